// diff: net comparison by name, and the addresses that change zone. Input: two Policies. Output:
// NetChange[] (added, removed, ranges changed), new policy's order first, then removed nets. Flows
// are compared per zone name (diff/classes.ts); addresses that move between zones (into or out of
// `world`, a net, an overlap of nets) are compared here, old zone against new zone, so a widening
// net change is seen even though no zone name shows it.
import type { Net, Policy } from '../ir/types.js';
import { formatIpv4 } from '../ir/ipv4.js';
import { Evaluator } from '../eval/evaluate.js';
import { rulesOfPair } from '../eval/flow-classes.js';
import { zonesOf, type ExternalZone } from '../eval/zones.js';
import { netsKey, pairChanges } from './classes.js';
import { allowsSome, locationOf } from './tiers.js';
import type { NetChange, NetSnapshot, ZoneMove } from './types.js';

/** How many moved ranges a ZoneMove lists. */
const MAX_ADDRESSES = 4;

function snapshot(n: Net): NetSnapshot {
  return { name: n.name, ranges: n.cidrs.map((c) => c.text), origin: locationOf(n.origin) };
}

/** The same addresses: ranges compared as sets (their written order means nothing). */
function sameRanges(a: NetSnapshot, b: NetSnapshot): boolean {
  const sa = [...a.ranges].sort();
  const sb = [...b.ranges].sort();
  return sa.length === sb.length && sa.every((r, i) => r === sb[i]);
}


export function diffNets(oldPolicy: Policy, newPolicy: Policy): NetChange[] {
  const moves = zoneMoves(oldPolicy, newPolicy);
  // A move concerns the nets an address joined or left.
  const movesOf = (name: string) => moves.filter((m) => m.nets.has(name)).map((m) => m.move);
  const oldByName = new Map(oldPolicy.nets.map((n) => [n.name, n]));
  const newNames = new Set(newPolicy.nets.map((n) => n.name));
  const out: NetChange[] = [];
  for (const n of newPolicy.nets) {
    const before = oldByName.get(n.name);
    const moved = movesOf(n.name);
    const widens = moved.some(widening);
    if (!before) {
      out.push({ change: 'added', name: n.name, net: snapshot(n), reach: reachOf(newPolicy, n.name), moved, widens });
    } else if (!sameRanges(snapshot(before), snapshot(n))) {
      out.push({ change: 'changed', name: n.name, old: snapshot(before), new: snapshot(n), moved, widens });
    }
  }
  for (const n of oldPolicy.nets) {
    if (newNames.has(n.name)) continue;
    const moved = movesOf(n.name);
    out.push({ change: 'removed', name: n.name, net: snapshot(n), moved, widens: moved.some(widening) });
  }
  return out;
}

const widening = (m: ZoneMove): boolean => m.newlyAllowed.to.length + m.newlyAllowed.from.length > 0;

/** The tiers the zones of a net may open some flow to, and hear from, in the policy. */
function reachOf(policy: Policy, net: string): { to: string[]; from: string[] } {
  const ev = new Evaluator(policy);
  const zones = zonesOf(policy).external.filter((z) => z.nets.includes(net));
  const tiers = policy.tiers.map((t) => t.name);
  return {
    to: tiers.filter((t) => zones.some((z) => allowsSome(policy, ev, z.name, t))),
    from: tiers.filter((t) => zones.some((z) => allowsSome(policy, ev, t, z.name))),
  };
}

interface Segment {
  readonly lo: number;
  readonly hi: number;
  readonly zone: ExternalZone;
}

function segments(policy: Policy): Segment[] {
  const out: Segment[] = [];
  for (const zone of zonesOf(policy).external) for (const r of zone.ranges) out.push({ lo: r.lo, hi: r.hi, zone });
  return out.sort((a, b) => a.lo - b.lo);
}

/**
 * The addresses outside the tiers on both sides whose set of nets differs, grouped by (old zone,
 * new zone), each with what changes for the tiers both policies have. Moves that change no
 * verdict are left out. Cost: the zones' ranges of both sides (a sweep), then per move the
 * classes of the common tiers both ways.
 */
function zoneMoves(oldPolicy: Policy, newPolicy: Policy): { nets: Set<string>; move: ZoneMove }[] {
  const a = segments(oldPolicy);
  const b = segments(newPolicy);
  const groups = new Map<string, { from: ExternalZone; to: ExternalZone; ranges: { lo: number; hi: number }[] }>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const lo = Math.max(x.lo, y.lo);
    const hi = Math.min(x.hi, y.hi);
    if (lo <= hi && netsKey(x.zone.nets) !== netsKey(y.zone.nets)) {
      const key = `${x.zone.name}\n${y.zone.name}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { from: x.zone, to: y.zone, ranges: [] }));
      const last = g.ranges[g.ranges.length - 1];
      if (last && last.hi + 1 === lo) last.hi = hi;
      else g.ranges.push({ lo, hi });
    }
    if (x.hi <= y.hi) i++;
    else j++;
  }
  const oldEv = new Evaluator(oldPolicy);
  const newEv = new Evaluator(newPolicy);
  const inOld = new Set(oldPolicy.tiers.map((t) => t.name));
  const common = newPolicy.tiers.map((t) => t.name).filter((n) => inOld.has(n));
  const out: { nets: Set<string>; move: ZoneMove }[] = [];
  for (const { from, to, ranges } of groups.values()) {
    const compare = (newSrc: string, newDst: string, oldSrc: string, oldDst: string) => {
      const rules = [...rulesOfPair(oldPolicy, oldSrc, oldDst), ...rulesOfPair(newPolicy, newSrc, newDst)];
      return pairChanges(newSrc, newDst, rules, oldEv, newEv, { src: oldSrc, dst: oldDst });
    };
    const toTiers: string[] = [];
    const fromTiers: string[] = [];
    const other = new Set<string>();
    for (const t of common) {
      const outbound = compare(to.name, t, from.name, t);
      const inbound = compare(t, to.name, t, from.name);
      if (outbound.some((c) => c.change === 'newly-allowed')) toTiers.push(t);
      if (inbound.some((c) => c.change === 'newly-allowed')) fromTiers.push(t);
      if ([...outbound, ...inbound].some((c) => c.change !== 'newly-allowed')) other.add(t);
    }
    if (toTiers.length + fromTiers.length + other.size === 0) continue;
    const nets = new Set([...from.nets.filter((n) => !to.nets.includes(n)), ...to.nets.filter((n) => !from.nets.includes(n))]);
    out.push({
      nets,
      move: {
        from: from.name,
        to: to.name,
        addresses: ranges.slice(0, MAX_ADDRESSES).map(rangeText),
        newlyAllowed: { to: toTiers, from: fromTiers },
        otherwiseChanged: common.filter((t) => other.has(t)),
      },
    });
  }
  return out;
}

/** A range as a CIDR when it is one, else first-last. */
function rangeText(r: { lo: number; hi: number }): string {
  const size = r.hi - r.lo + 1;
  const bits = Math.log2(size);
  if (Number.isInteger(bits) && r.lo % size === 0) return `${formatIpv4(r.lo)}/${32 - bits}`;
  return `${formatIpv4(r.lo)}-${formatIpv4(r.hi)}`;
}
