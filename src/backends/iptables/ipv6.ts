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
// is no IPv6 path to or from it (Docker's own isolation drops what might try). Rules with an
// external end (a net or `world`) match nothing in it: nets are IPv4 ranges, and traffic from
// outside the tiers is not decided by tierwall's chains (the main chain RETURNs it).
import type { Policy, Rule, Tier } from '../../ir/types.js';
import type { IptablesModel } from './model-types.js';
import { buildIptables } from './model.js';

export const RULES_V6_FILE = 'rules.v6';

/** Whether the policy needs rules.v6 (and install.sh needs ip6tables' DOCKER-USER). */
export const hasIpv6 = (policy: Policy): boolean => policy.tiers.some((t) => t.ipv6 !== undefined);

/** The dual-stack part of the policy, with IPv4 subnets as the tiers' stand-in addresses. */
export function ipv6Projection(policy: Policy): Policy {
  const dual = new Set(policy.tiers.filter((t) => t.ipv6).map((t) => t.name));
  const rule = (r: Rule): Rule => {
    const external = r.externalSources.length > 0 || r.externalDestinations.length > 0;
    return {
      ...r,
      sources: external ? [] : r.sources.filter((n) => dual.has(n)),
      destinations: external ? [] : r.destinations.filter((n) => dual.has(n)),
      sourceAny: !external && r.sourceAny,
      destinationAny: !external && r.destinationAny,
      externalSources: [],
      externalDestinations: [],
    };
  };
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

/** The ip6tables ruleset: the projection's model with IPv6 prefixes and ipv6-icmp. */
export function buildIp6tables(policy: Policy): IptablesModel {
  const model = buildIptables(ipv6Projection(policy));
  const map = renames(policy.tiers);
  return { ...model, chains: model.chains.map((c) => ({ name: c.name, rules: c.rules.map((r) => renameRule(r, map, TO_V6_PROTO)) })) };
}

/**
 * rules.v6 read back as rules.v4 of the projection (for the validator): every `-s`/`-d` of every
 * `-A` line must be a dual-stack tier's IPv6 prefix (anything else throws), ipv6-icmp becomes icmp.
 */
export function rulesV6AsV4(policy: Policy, text: string): string {
  const back = new Map([...renames(policy.tiers)].map(([v4, v6]) => [v6, v4]));
  return text
    .split('\n')
    .map((l) => (l.startsWith('-A ') ? renameRule(l, back, TO_V4_PROTO) : l))
    .join('\n');
}
