// lsp: the words completion offers, with one line of documentation each (docs/language.md has the
// full reference). Input: nothing. Output: statement keywords, tier options, endpoint keywords,
// service settings.

export interface Term {
  readonly label: string;
  readonly detail: string;
}

/** Words that start a top-level statement. */
export const STATEMENT_KEYWORDS: readonly Term[] = [
  { label: 'policy', detail: 'policy NAME; — names the policy (chains, units and files are named after it)' },
  { label: 'tier', detail: 'tier NAME CIDR [gateway ADDR] [bridge IFNAME] [isolated]; — a Docker network' },
  { label: 'net', detail: 'net NAME CIDR[, CIDR]; — addresses outside the tiers, named for rules' },
  { label: 'allow', detail: 'allow SRC[, SRC] -> DST[, DST] [SERVICE, ...] [log]; — first match wins' },
  { label: 'deny', detail: 'deny SRC[, SRC] -> DST[, DST] [SERVICE, ...] [log]; — first match wins' },
  { label: 'default', detail: 'default allow|deny; — the verdict when no rule matches (deny if absent)' },
  { label: 'service', detail: 'service NAME { setting; ... } — a container on one or more tiers' },
];

export const TIER_OPTIONS: readonly Term[] = [
  { label: 'gateway', detail: 'gateway ADDR — the bridge address inside the subnet (default: the first host)' },
  { label: 'bridge', detail: 'bridge IFNAME — the Linux bridge interface name (1-15 bytes)' },
  { label: 'isolated', detail: 'isolated — containers in this tier cannot reach each other' },
  { label: 'ipv6', detail: 'ipv6 PREFIX — make the tier dual-stack with this IPv6 prefix (rules.v6 mirrors the policy)' },
];

/** What may follow the destinations of a rule. */
export const RULE_TAIL: readonly Term[] = [
  { label: 'tcp', detail: 'tcp/PORT or tcp/LO-HI — TCP to these destination ports' },
  { label: 'udp', detail: 'udp/PORT or udp/LO-HI — UDP to these destination ports' },
  { label: 'icmp', detail: 'icmp — all ICMP' },
  { label: 'log', detail: 'log — log the flows this rule decides' },
];

export const ANY: Term = { label: 'any', detail: 'any — every declared tier (not world)' };

/** `host` is not offered: lowering refuses it (host-not-managed). */
export const WORLD: Term = { label: 'world', detail: 'world — every address outside the tiers (nets included)' };

export const DEFAULT_ACTIONS: readonly Term[] = [
  { label: 'allow', detail: 'default allow; — unmatched traffic between tiers is allowed' },
  { label: 'deny', detail: 'default deny; — unmatched traffic between tiers is dropped' },
];

/** The settings of a service block, as ir/lower-services.ts accepts them. */
export const SETTINGS: readonly Term[] = [
  { label: 'image', detail: 'image "REF"; — the container image' },
  { label: 'tiers', detail: 'tiers TIER, ...; — the tiers the service joins' },
  { label: 'address', detail: 'address TIER ADDR; — a static address in one of its tiers' },
  { label: 'publish', detail: 'publish HOST:PORT -> tcp/PORT; — a port published on the host' },
  { label: 'user', detail: 'user "UID:GID"; — the user the container runs as' },
  { label: 'cap_add', detail: 'cap_add CAP, ...; — capabilities added back (all are dropped)' },
  { label: 'tmpfs', detail: 'tmpfs "/path", ...; — writable tmpfs mounts' },
  { label: 'env', detail: 'env NAME "value"; — an environment variable' },
  { label: 'command', detail: 'command "arg", ...; — the command to run' },
  { label: 'writable', detail: 'writable; — a writable root filesystem (read-only otherwise)' },
];
