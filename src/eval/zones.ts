// eval: the address space outside the tiers, cut into zones every rule treats alike. A zone is the
// set of external addresses inside exactly the same nets: `office` (in office only), `office+vpn`
// (in both), `world` (in no net). Rules name nets and `world`; flows name zones. Input: Policy.
// Output: Zones (memoised per policy), and the policy seen with every zone as a tier (zonedPolicy)
// for the analyses written for tier pairs (rule anomalies, diff classes).
import { WORLD, type Policy, type Rule, type Tier } from '../ir/types.js';
import { formatIpv4, lastAddress } from '../ir/ipv4.js';

/** External addresses that lie in exactly the nets `nets` (none: `world`). */
export interface ExternalZone {
  /** `world`, a net's name, or the names of several nets joined by `+` (in declaration order). */
  readonly name: string;
  readonly nets: readonly string[];
  /** The zone's addresses as inclusive [lo, hi] intervals of unsigned 32-bit numbers, ascending. */
  readonly ranges: readonly { readonly lo: number; readonly hi: number }[];
  /** One address of the zone, for probes and examples (for `world`, one at or above 1.0.0.0). */
  readonly address: string;
}

const TOP = 2 ** 32 - 1;

export class Zones {
  /** Zones with nets in the order of their first address, then `world` (when any address is left). */
  readonly external: readonly ExternalZone[];
  private readonly byName: ReadonlyMap<string, ExternalZone>;
  private readonly tierNames: ReadonlySet<string>;

  constructor(policy: Policy) {
    this.external = cut(policy);
    this.byName = new Map(this.external.map((z) => [z.name, z]));
    this.tierNames = new Set(policy.tiers.map((t) => t.name));
  }

  isExternal(zone: string): boolean {
    return this.byName.has(zone);
  }

  isTier(zone: string): boolean {
    return this.tierNames.has(zone);
  }

  get(zone: string): ExternalZone | undefined {
    return this.byName.get(zone);
  }

  /** Do a rule side's external ends (net names, `world`) cover the external zone? */
  externalMatch(ends: readonly string[], zone: string): boolean {
    if (ends.length === 0) return false;
    const z = this.byName.get(zone);
    if (!z) return false;
    for (const e of ends) if (e === WORLD || z.nets.includes(e)) return true;
    return false;
  }

  /** The external zones a rule side's external ends cover, in zone order. */
  zonesOf(ends: readonly string[]): string[] {
    if (ends.length === 0) return [];
    return this.external.filter((z) => this.externalMatch(ends, z.name)).map((z) => z.name);
  }

  /** The zone holding an address: a tier's name, an external zone's, or undefined (a tier's gap cannot happen). */
  zoneOfAddress(address: number, policy: Policy): string | undefined {
    for (const t of policy.tiers) if (address >= t.subnet.base && address <= lastAddress(t.subnet.base, t.subnet.prefix)) return t.name;
    for (const z of this.external) for (const r of z.ranges) if (address >= r.lo && address <= r.hi) return z.name;
    return undefined;
  }
}

const memo = new WeakMap<Policy, Zones>();

export function zonesOf(policy: Policy): Zones {
  let z = memo.get(policy);
  if (!z) memo.set(policy, (z = new Zones(policy)));
  return z;
}

/** Does any rule name a net or `world`? Policies that do not keep their tier-only fast paths. */
export function hasExternalRules(policy: Policy): boolean {
  return policy.rules.some((r) => r.externalSources.length > 0 || r.externalDestinations.length > 0);
}

/**
 * Sweeps the nets' ranges over the 32-bit space: each elementary segment outside every tier gets
 * the set of nets holding it; segments with the same set form one zone. Tiers win where a net
 * overlaps one (checks report net-overlaps-tier): those addresses are the tier's.
 */
function cut(policy: Policy): ExternalZone[] {
  type Edge = { at: number; net: number; delta: 1 | -1 };
  const edges: Edge[] = [];
  policy.nets.forEach((n, i) => {
    for (const c of n.cidrs) {
      edges.push({ at: c.base, net: i, delta: 1 });
      const end = lastAddress(c.base, c.prefix);
      if (end < TOP) edges.push({ at: end + 1, net: i, delta: -1 });
    }
  });
  // Tier subnets, as holes.
  const holes = policy.tiers
    .map((t) => ({ lo: t.subnet.base, hi: lastAddress(t.subnet.base, t.subnet.prefix) }))
    .sort((a, b) => a.lo - b.lo);
  const points = new Set<number>([0]);
  for (const e of edges) points.add(e.at);
  for (const h of holes) {
    points.add(h.lo);
    if (h.hi < TOP) points.add(h.hi + 1);
  }
  const sorted = [...points].sort((a, b) => a - b);
  edges.sort((a, b) => a.at - b.at);
  const count = new Int32Array(policy.nets.length);
  const zones = new Map<string, { nets: string[]; ranges: { lo: number; hi: number }[] }>();
  let e = 0;
  let h = 0;
  for (let k = 0; k < sorted.length; k++) {
    const lo = sorted[k]!;
    const hi = k + 1 < sorted.length ? sorted[k + 1]! - 1 : TOP;
    while (e < edges.length && edges[e]!.at <= lo) {
      count[edges[e]!.net]! += edges[e]!.delta;
      e++;
    }
    while (h < holes.length && holes[h]!.hi < lo) h++;
    // Holes may nest or repeat when tiers overlap (an error reported elsewhere): any cover counts.
    let inTier = false;
    for (let x = h; x < holes.length && holes[x]!.lo <= lo; x++) if (holes[x]!.hi >= lo) inTier = true;
    if (inTier) continue;
    const nets: string[] = [];
    policy.nets.forEach((n, i) => {
      if (count[i]! > 0) nets.push(n.name);
    });
    const name = nets.length === 0 ? WORLD : nets.join('+');
    let z = zones.get(name);
    if (!z) zones.set(name, (z = { nets, ranges: [] }));
    const last = z.ranges[z.ranges.length - 1];
    if (last && last.hi + 1 === lo) last.hi = hi;
    else z.ranges.push({ lo, hi });
  }
  const out: ExternalZone[] = [];
  let world: ExternalZone | undefined;
  for (const [name, z] of zones) {
    const zone: ExternalZone = { name, nets: z.nets, ranges: z.ranges, address: formatIpv4(representative(z.ranges, name === WORLD)) };
    if (name === WORLD) world = zone;
    else out.push(zone);
  }
  out.sort((a, b) => a.ranges[0]!.lo - b.ranges[0]!.lo);
  if (world) out.push(world);
  return out;
}

/** The first address of the zone; for `world`, the first at or above 1.0.0.0 (0/8 is "this network"). */
function representative(ranges: readonly { lo: number; hi: number }[], world: boolean): number {
  if (!world) return ranges[0]!.lo;
  const floor = 2 ** 24;
  for (const r of ranges) if (r.hi >= floor) return Math.max(r.lo, floor);
  return ranges[0]!.lo;
}

/**
 * The policy with every external zone as one more tier (after the real ones) and every rule's
 * sides listing the zones its nets and `world` cover. `any` stays "every real tier": it is written
 * out, as it no longer means every tier of this policy. Only for analyses over tier pairs that never
 * reach a backend (the pseudo-tiers have no bridge). The policy itself when no rule names an
 * external end: then the zones are decided by the default alone and change no analysis.
 */
export function zonedPolicy(policy: Policy): Policy {
  if (!hasExternalRules(policy)) return policy;
  const zones = zonesOf(policy);
  const pseudo: Tier[] = zones.external.map((z) => ({
    name: z.name,
    subnet: { text: `${formatIpv4(z.ranges[0]!.lo)}/32`, base: z.ranges[0]!.lo, prefix: 32 },
    gateway: '',
    bridge: '',
    isolated: false,
    origin: policy.nets.find((n) => n.name === z.nets[0])?.origin ?? policy.rules[0]!.origin,
  }));
  const rules: Rule[] = policy.rules.map((r) => ({
    ...r,
    sources: [...r.sources, ...zones.zonesOf(r.externalSources)],
    destinations: [...r.destinations, ...zones.zonesOf(r.externalDestinations)],
    sourceAny: r.sourceAny && r.externalSources.length === 0 && pseudo.length === 0,
    destinationAny: r.destinationAny && r.externalDestinations.length === 0 && pseudo.length === 0,
  }));
  return { ...policy, tiers: [...policy.tiers, ...pseudo], rules };
}
