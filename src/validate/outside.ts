// validate: the addresses outside the tiers to probe with. Every such address is in one external zone
// (eval/zones.ts: the nets holding it, `world` for none) and the policy treats a zone's addresses
// alike; the ruleset looks at an address only through its -s/-d prefixes. So the space outside the
// tiers is cut at every zone boundary and every prefix the ruleset names, and one address stands for
// each (zone, set of prefixes holding it): any address of the group takes the same path through the
// ruleset (a /32 is wholly inside or outside each prefix, `!` or not) and gets the same expectation.
// Input: Policy + Ruleset (+ entry rule). Output: probe addresses with their zones; the uplink name.
import type { Policy } from '../ir/types.js';
import { formatIpv4, lastAddress } from '../ir/ipv4.js';
import { zonesOf } from '../eval/zones.js';
import type { AddrMatch, IptRule, Ruleset } from './ruleset.js';

const UPLINKS = ['eth0', 'ens3', 'uplink0', 'wan0'];
const TOP = 2 ** 32 - 1;
/** Below 1.0.0.0 is "this network" (0/8): a probe there reads oddly in a report, so avoid it when possible. */
const FLOOR = 2 ** 24;

/** One address standing for a group of addresses outside the tiers, and the zone holding it. */
export interface OutsideProbe {
  readonly zone: string;
  readonly address: number;
  readonly text: string;
}

/**
 * One probe per (zone, set of ruleset prefixes holding the address), in address order of the
 * groups' first addresses. Cost: a sweep over the zones' ranges and the distinct prefixes.
 */
export function outsideProbes(policy: Policy, rs: Ruleset, entry: IptRule): OutsideProbe[] {
  // Distinct prefixes (negation aside: `!` answers by the same containment).
  const prefixes = new Map<string, { lo: number; hi: number }>();
  const add = (m: AddrMatch | undefined): void => {
    if (!m) return;
    const key = `${m.base}/${m.prefix}`;
    if (!prefixes.has(key)) prefixes.set(key, { lo: m.base, hi: lastAddress(m.base, m.prefix) });
  };
  add(entry.src);
  add(entry.dst);
  for (const chain of rs.chains.values()) {
    for (const r of chain.rules) {
      add(r.src);
      add(r.dst);
    }
  }
  // Breakpoints: where a prefix or a zone range starts, and right after one ends.
  type Edge = { at: number; id: number; delta: 1 | -1 };
  const edges: Edge[] = [];
  let id = 0;
  for (const p of prefixes.values()) {
    edges.push({ at: p.lo, id, delta: 1 });
    if (p.hi < TOP) edges.push({ at: p.hi + 1, id, delta: -1 });
    id++;
  }
  const ranges: { lo: number; hi: number; zone: string }[] = [];
  for (const z of zonesOf(policy).external) for (const r of z.ranges) ranges.push({ lo: r.lo, hi: r.hi, zone: z.name });
  ranges.sort((a, b) => a.lo - b.lo);
  const points = new Set<number>();
  for (const e of edges) points.add(e.at);
  for (const r of ranges) {
    points.add(r.lo);
    if (r.hi < TOP) points.add(r.hi + 1);
  }
  const sorted = [...points].sort((a, b) => a - b);
  edges.sort((a, b) => a.at - b.at);
  const active = new Set<number>();
  const groups = new Map<string, { zone: string; address: number }>();
  let e = 0;
  let z = 0;
  for (let k = 0; k < sorted.length; k++) {
    const lo = sorted[k]!;
    const hi = k + 1 < sorted.length ? sorted[k + 1]! - 1 : TOP;
    while (e < edges.length && edges[e]!.at <= lo) {
      const edge = edges[e++]!;
      if (edge.delta === 1) active.add(edge.id);
      else active.delete(edge.id);
    }
    while (z < ranges.length && ranges[z]!.hi < lo) z++;
    const range = ranges[z];
    if (!range || range.lo > lo) continue; // inside a tier
    const key = `${range.zone} ${[...active].sort((a, b) => a - b).join(',')}`;
    const at = hi >= FLOOR ? Math.max(lo, FLOOR) : lo;
    const g = groups.get(key);
    if (!g) groups.set(key, { zone: range.zone, address: at });
    else if (g.address < FLOOR && at >= FLOOR) g.address = at;
  }
  return [...groups.values()].sort((a, b) => a.address - b.address).map((g) => ({ zone: g.zone, address: g.address, text: formatIpv4(g.address) }));
}

/** An interface name for the host's uplink that no tier's bridge uses. */
export function uplinkName(policy: Policy): string {
  const bridges = new Set(policy.tiers.map((t) => t.bridge));
  return UPLINKS.find((u) => !bridges.has(u)) ?? `up${bridges.size}`;
}
