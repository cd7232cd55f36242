// diagnostics: the code table. Every code is stable (never renamed or reused), has a default
// severity, a one-line doc (rendered into docs/diagnostics.md) and the message formatter.
export type Severity = 'error' | 'warning' | 'info';

type P = Record<string, string | number>;
interface CodeEntry {
  readonly severity: Severity;
  readonly doc: string;
  readonly message: (p: P) => string;
}

const e = (doc: string, message: (p: P) => string): CodeEntry => ({ severity: 'error', doc, message });
const w = (doc: string, message: (p: P) => string): CodeEntry => ({ severity: 'warning', doc, message });

export const CODES = {
  // --- input and lexing ---
  'io-error': e('A file could not be read or written.', (p) => `${p.path}: ${p.reason}`),
  'unknown-character': e('A character that no token starts with.', (p) => `unexpected character ${p.char}`),
  'unterminated-string': e('A string literal without its closing quote on the same line.', () => 'unterminated string literal'),
  'invalid-string': e('A string literal holding a control character or a forbidden character.', (p) => `invalid character ${p.char} in string`),
  // --- syntax ---
  'syntax-error': e('The parser expected something else here.', (p) => `${p.detail}`),
  // --- values ---
  'invalid-cidr': e('Not an IPv4 prefix a.b.c.d/n.', (p) => `invalid CIDR '${p.text}': ${p.reason}`),
  'cidr-host-bits': e('The prefix has host bits set; the canonical form is suggested.', (p) => `'${p.text}' has host bits set; did you mean ${p.canonical}?`),
  'invalid-ipv6-prefix': e('Not an IPv6 prefix ADDR/n (eight groups of 1-4 hex digits, at most one ::, n 0-128).', (p) => `invalid IPv6 prefix '${p.text}': ${p.reason}`),
  'ipv6-host-bits': e('The IPv6 prefix has host bits set; the canonical form is suggested.', (p) => `'${p.text}' has host bits set; did you mean ${p.canonical}?`),
  'ipv6-not-canonical': w('The IPv6 prefix is not written in its canonical form (RFC 5952: lowercase, no leading zeros, the longest run of zero groups as ::); the artifacts use the canonical form.', (p) => `'${p.text}' is written as ${p.canonical} in canonical form`),
  'invalid-address': e('Not an IPv4 address.', (p) => `invalid IPv4 address '${p.text}'`),
  'port-out-of-range': e('Ports are 1-65535.', (p) => `port ${p.port} is out of range 1-65535`),
  'port-range-reversed': e('A port range LO-HI with LO > HI.', (p) => `port range ${p.lo}-${p.hi} is reversed; did you mean ${p.hi}-${p.lo}?`),
  'invalid-name': e('Names are [a-z][a-z0-9-]*, at most 63 characters.', (p) => `invalid ${p.kind} name '${p.name}': ${p.reason}`),
  'invalid-bridge-name': e('Bridge names are Linux interface names: 1-15 bytes, no /, :, whitespace or trailing +.', (p) => `invalid bridge name '${p.name}': ${p.reason}`),
  'reserved-bridge-name': e('A bridge name the host or Docker already uses (lo, all, default, docker0, docker_gwbridge, br-<id>, veth*, eth0, enp0s3, ...).', (p) => `bridge name '${p.name}' ${p.reason}`),
  'duplicate-policy': e('More than one policy statement.', () => 'policy name declared twice'),
  'duplicate-default': e('More than one default statement.', () => 'default declared twice'),
  // --- tiers ---
  'duplicate-tier': e('Two tiers with one name.', (p) => `tier '${p.name}' is declared twice`),
  'duplicate-bridge': e('Two tiers on one bridge.', (p) => `bridge '${p.bridge}' is used by tiers '${p.first}' and '${p.second}'`),
  'cidr-overlap': e('Two tiers whose subnets overlap.', (p) => `subnet ${p.subnet} of tier '${p.tier}' overlaps ${p.other} of tier '${p.otherTier}'`),
  'gateway-outside-subnet': e('The gateway is not inside the tier subnet.', (p) => `gateway ${p.gateway} is outside subnet ${p.subnet}`),
  'gateway-reserved': e('The gateway is the network or broadcast address.', (p) => `gateway ${p.gateway} is the ${p.which} address of ${p.subnet}`),
  'subnet-too-small': e('The subnet has no room for a gateway and a container.', (p) => `subnet ${p.subnet} is too small for a Docker network (needs /30 or larger)`),
  'special-purpose-subnet': e('The subnet overlaps an IPv4 range that is not for hosts (RFC 6890): 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/4, 240.0.0.0/4.', (p) => `subnet ${p.subnet} overlaps ${p.range}, ${p.what}`),
  'ipv6-subnet-too-small': e('The IPv6 prefix is longer than /126: no room for a gateway and a container.', (p) => `IPv6 subnet ${p.subnet} of tier '${p.tier}' is too small for a Docker network (needs /126 or larger)`),
  'ipv6-overlap': e('Two tiers whose IPv6 prefixes overlap.', (p) => `IPv6 subnet ${p.subnet} of tier '${p.tier}' overlaps ${p.other} of tier '${p.otherTier}'`),
  'ipv6-special-purpose': e('The IPv6 prefix overlaps a range that is not for hosts: ::/128, ::1/128, ::ffff:0:0/96, 100::/64, fe80::/10, ff00::/8.', (p) => `IPv6 subnet ${p.subnet} overlaps ${p.range}, ${p.what}`),
  'docker-pool-overlap': w("The subnet overlaps Docker's default address pools; dockerd may hand it to another network.", (p) => `subnet ${p.subnet} overlaps Docker's default address pool ${p.pool}`),
  // --- rules ---
  'unknown-tier': e('A rule or service names a tier (or, in a rule, a net) that is not declared.', (p) => `unknown ${p.what ?? 'tier'} '${p.name}'${p.suggestion ? `; did you mean '${p.suggestion}'?` : ''}`),
  'host-not-managed': e("A rule names `host`: traffic between containers and the Docker host itself goes through the INPUT and OUTPUT chains, which tierwall does not manage (it manages forwarded traffic in DOCKER-USER).", (p) => `'host' cannot be ${p.side}: traffic ${p.side === 'a source' ? 'from' : 'to'} the Docker host itself does not pass DOCKER-USER, and tierwall does not manage INPUT/OUTPUT`),
  'external-both-sides': e('A rule with an external peer (a net or `world`) on both sides: traffic between two external peers never reaches a tier, so tierwall cannot govern it.', (p) => `rule names external peers on both sides ('${p.src}' -> '${p.dst}'); traffic between them does not reach a tier`),
  'isolated-allow': e('An allow rule from an isolated tier to itself: isolation always wins.', (p) => `tier '${p.tier}' is isolated; this rule cannot allow traffic inside it`),
  'intra-tier-rule': w('A rule from a tier to itself: traffic inside a tier is governed by isolation, not by rules.', (p) => `rule has no effect on traffic inside tier '${p.tier}'`),
  'rule-shadowed': e('Earlier rules (possibly several together) match every flow of this rule with the opposite action: it never decides anything.', (p) => `rule is shadowed: every flow it matches is already ${p.verdict} by earlier rules`),
  'rule-redundant': w('Removing the rule changes no decision.', (p) => `rule is redundant: ${p.reason}`),
  'rule-correlated': w('The rule partly overlaps an earlier rule with the opposite action; their order decides the overlap.', () => 'rule overlaps an earlier rule with the opposite action; order decides the overlap'),
  'rule-generalization': w('The rule matches a superset of an earlier rule with the opposite action: the earlier rule is an exception to it.', () => 'rule generalizes an earlier rule with the opposite action'),
  'rule-matches-nothing': w('A rule whose source and destination sets leave no pair of different tiers.', () => 'rule matches no traffic between different tiers'),
  // --- nets ---
  'duplicate-net': e('Two nets with one name, or a net named like a tier.', (p) => `'${p.name}' is declared twice (as ${p.first} and as ${p.second})`),
  'net-overlaps-tier': e("A net's range overlaps a tier's subnet: the addresses would be both inside and outside the tiers.", (p) => `${p.cidr} of net '${p.net}' overlaps subnet ${p.subnet} of tier '${p.tier}'`),
  'net-duplicate-cidr': w('A net lists one range twice, or a range inside another of its ranges.', (p) => `${p.cidr} is already covered by ${p.other} in net '${p.net}'`),
  // --- services ---
  'duplicate-service': e('Two services with one name.', (p) => `service '${p.name}' is declared twice`),
  'service-bridges-deny': w('A service attached to two tiers lets traffic between them bypass a deny.', (p) => `service '${p.service}' joins tiers '${p.a}' and '${p.b}', bridging traffic the policy denies (${p.flow})`),
  'invalid-image': e('Image references are [registry/]name[:tag][@digest] without spaces or quotes.', (p) => `invalid image reference '${p.image}'`),
  'invalid-user': e('User is NAME, UID or UID:GID with [a-z0-9_-].', (p) => `invalid user '${p.user}'`),
  'invalid-capability': e('Not a Linux capability name.', (p) => `unknown capability '${p.cap}'`),
  'invalid-path': e('Paths are absolute, without .., whitespace, quotes or control characters.', (p) => `invalid path '${p.path}': ${p.reason}`),
  'invalid-env': e('Environment names are [A-Za-z_][A-Za-z0-9_]*; values have no control characters.', (p) => `invalid environment entry '${p.name}'`),
  'address-outside-subnet': e("A service's static address is outside its tier's subnet or reserved.", (p) => `address ${p.address} is not a usable host address of tier '${p.tier}' (${p.subnet})`),
  'duplicate-address': e('Two services with one static address.', (p) => `address ${p.address} is already used by service '${p.other}'`),
  'publish-conflict': e('Two published ports on the same host address, port and protocol.', (p) => `host port ${p.binding} is published twice`),
  'publish-wildcard': w("A port published on 0.0.0.0 that the policy opens to `world`: every network the host is on reaches it.", (p) => `port ${p.binding} is published on all host addresses and the policy lets any outside address reach it (world -> ${p.tier})`),
  'service-no-tier': e('A service must join at least one tier.', (p) => `service '${p.name}' joins no tier`),
  'unknown-setting': e('A service setting tierwall does not know.', (p) => `unknown service setting '${p.name}'${p.suggestion ? `; did you mean '${p.suggestion}'?` : ''}`),
  'invalid-setting': e('A service setting with the wrong number or kind of values.', (p) => `'${p.setting}' expects ${p.expected}`),
  'address-tier-not-joined': e("A static address for a tier the service does not join.", (p) => `service '${p.service}' does not join tier '${p.tier}'`),
  'duplicate-setting': e('A service setting given twice.', (p) => `'${p.setting}' is set twice`),
  // --- backends ---
  'backend-unsupported': e('The target cannot express a policy feature; it is never dropped silently.', (p) => `backend '${p.backend}' cannot express ${p.feature}`),
  'k8s-external-ends': w("compile --target k8s: a rule names a net or `world`. NetworkPolicies are written for traffic between tiers only; tier pods stay isolated from every address outside the tiers, so such traffic is denied whatever the rule says.", (p) => `backend 'k8s' does not translate this rule's ends outside the tiers (${p.ends}): the NetworkPolicies deny traffic between tier pods and outside addresses, so ${p.effect}`),
  'validation-failed': e('A generated artifact (rules.v4, or the Kubernetes NetworkPolicies) does not decide some flow class as the policy does; nothing was written.', (p) => `${p.artifact}: ${p.detail}`),
  'monitoring-tier-missing': e('compile --target monitoring: the policy declares no tier named by --monitoring-tier (default monitoring) for Prometheus and node-exporter.', (p) => `the policy has no tier '${p.tier}' for the monitoring stack${p.suggestion ? `; did you mean '${p.suggestion}'?` : ''}`),
  'monitoring-scrape-denied': e("compile --target monitoring: the policy denies traffic inside the monitoring tier (it is isolated), so Prometheus could not scrape node-exporter.", (p) => `Prometheus could not scrape node-exporter (tcp/${p.port}) inside tier '${p.tier}': the policy denies it (${p.reason})`),
  'unknown-target': e('compile --target names no backend.', (p) => `unknown target '${p.target}' (known: ${p.known})`),
  // --- bugs ---
  'internal-error': e('A bug in tierwall. Please report it with the policy that triggers it.', (p) => `internal error: ${p.detail}`),
} satisfies Record<string, CodeEntry>;

export type Code = keyof typeof CODES;
