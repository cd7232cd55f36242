// backends/iptables: rules.v6, the IPv6 ruleset, by address family rather than by a second model.
// Input: Policy IR. Output: the IPv6 projection of the policy and the ip6tables form of its model.
//
// How: the chain design of model.ts names addresses only as whole tier prefixes (`-s`/`-d TIER`) and
// protocols only as `-p tcp|udp|icmp`. So rules.v6 is model.ts run on the policy's IPv6 projection
// (the dual-stack tiers, each still carrying its IPv4 subnet as a stand-in), then renamed token by
// token: each tier's IPv4 subnet -> its IPv6 prefix, `-p icmp` -> `-p ipv6-icmp`. The rename is a
// bijection (tier subnets are distinct, IPv6 prefixes too), so the validator proves rules.v6 by
// renaming it back and reading it as rules.v4 of the projection (compile.ts). Any address the
// rename does not know is a bug, thrown, never passed through.
//
// The projection: a flow between two dual-stack tiers is decided by the same rules, in the same
// order, as over IPv4, so rules keep their positions (and their tags, LOG prefixes and comments)
// and only lose the tiers that have no IPv6 prefix. A tier without one has no IPv6 address: there
// is no IPv6 path to or from it (Docker's own isolation drops what might try). At the host's edge
// an IPv6 address outside the tiers is in `world` (nets are IPv4 ranges): rules keep their `world`
// ends and lose their nets, so the edge lines (ingress by --ctorigdstport, egress, the default) hold
// for IPv6 too; Docker 28 DNATs published ports over IPv6 like over IPv4 (test/lab/NOTES.md).
import { WORLD, type Policy, type Rule, type Tier } from '../../ir/types.js';
import type { IptablesModel } from './model-types.js';
import { buildIptables, quoted } from './model.js';
import { ruleComment } from '../shared/names.js';

export const RULES_V6_FILE = 'rules.v6';

/** Whether the policy needs rules.v6 (and install.sh needs ip6tables' DOCKER-USER). */
export const hasIpv6 = (policy: Policy): boolean => policy.tiers.some((t) => t.ipv6 !== undefined);

/** The dual-stack part of the policy, with IPv4 subnets as the tiers' stand-in addresses. */
export function ipv6Projection(policy: Policy): Policy {
  const dual = new Set(policy.tiers.filter((t) => t.ipv6).map((t) => t.name));
  const world = (ends: readonly string[]): string[] => ends.filter((e) => e === WORLD);
  // `any` keeps its meaning (every tier of the projection: the list is filtered the same way).
  const rule = (r: Rule): Rule => ({
    ...r,
    sources: r.sources.filter((n) => dual.has(n)),
    destinations: r.destinations.filter((n) => dual.has(n)),
    externalSources: world(r.externalSources),
    externalDestinations: world(r.externalDestinations),
  });
  return { ...policy, tiers: policy.tiers.filter((t) => dual.has(t.name)), nets: [], rules: policy.rules.map(rule) };
}

/** IPv4 stand-in prefix -> IPv6 prefix, for the dual-stack tiers. */
function renames(tiers: readonly Tier[]): Map<string, string> {
  return new Map(tiers.filter((t) => t.ipv6).map((t) => [t.subnet.text, t.ipv6!.text]));
}

const ADDRESS_ARG = /(^| )(-[sd]) (\S+)(?= |$)/g;
const PROTO_ARG = /(^| )-p (\S+)(?= |$)/g;

/** Renames the address and protocol arguments of one rule; an address not in `map` is a bug. */
export function renameRule(rule: string, map: ReadonlyMap<string, string>, protos: ReadonlyMap<string, string>): string {
  return rule
    .replace(ADDRESS_ARG, (_m, pre: string, flag: string, addr: string) => {
      const to = map.get(addr);
      if (to === undefined) throw new Error(`rules.v6: no IPv6 counterpart for ${flag} ${addr} in: ${rule}`);
      return `${pre}${flag} ${to}`;
    })
    .replace(PROTO_ARG, (_m, pre: string, proto: string) => `${pre}-p ${protos.get(proto) ?? proto}`);
}

const TO_V6_PROTO = new Map([['icmp', 'ipv6-icmp']]);
const TO_V4_PROTO = new Map([['ipv6-icmp', 'icmp']]);

/**
 * Neighbour solicitations and advertisements (ICMPv6 135, 136): IPv6's ARP. With br_netfilter they
 * pass ip6tables FORWARD when two containers of one tier find each other, sent to a solicited-node
 * multicast address, which no tier holds: the edge's default would drop them and the tier would go
 * silent inside itself. They are accepted first, whatever the policy: a node discards NDP that
 * crossed a router (hop limit 255), so they never carry traffic between tiers or from outside.
 * Measured in test/docker/dual-stack.docker.test.ts (intra-tier flows).
 */
export const NDP_TYPES = [135, 136] as const;

function ndpLines(policyName: string): string[] {
  return NDP_TYPES.map((t) => `-p ipv6-icmp -m icmp6 --icmpv6-type ${t} -m comment --comment ${quoted(ruleComment(policyName, 'ndp'))} -j ACCEPT`);
}

/** The ip6tables ruleset: the projection's model with IPv6 prefixes and ipv6-icmp, NDP let through. */
export function buildIp6tables(policy: Policy): IptablesModel {
  const model = buildIptables(ipv6Projection(policy));
  const map = renames(policy.tiers);
  const chains = model.chains.map((c) => ({ name: c.name, rules: c.rules.map((r) => renameRule(r, map, TO_V6_PROTO)) }));
  // Right after the established line of the main chain (the model's first line there).
  const main = chains.find((c) => c.name === model.mainChain)!;
  main.rules.splice(1, 0, ...ndpLines(policy.name));
  return { ...model, chains };
}

/**
 * rules.v6 read back as rules.v4 of the projection (for the validator): every `-s`/`-d` of every
 * `-A` line must be a dual-stack tier's IPv6 prefix (anything else throws), ipv6-icmp becomes icmp.
 */
export function rulesV6AsV4(policy: Policy, text: string): string {
  const back = new Map([...renames(policy.tiers)].map(([v4, v6]) => [v6, v4]));
  // The NDP lines exist only in IPv6 and decide no flow of the policy: the reader leaves them out,
  // exactly as written (any other line with an ICMPv6 type is read, and refused, like the rest).
  const ndp = new Set(ndpLines(policy.name));
  return text
    .split('\n')
    .filter((l) => !(l.startsWith('-A ') && ndp.has(l.slice(l.indexOf(' ', 3) + 1))))
    .map((l) => (l.startsWith('-A ') ? renameRule(l, back, TO_V4_PROTO) : l))
    .join('\n');
}
