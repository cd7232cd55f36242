// checks/anomalies: which rules decide flows of each full rule. Input: the full layer and what the
// sweeps recorded per segment. Output: per full rule its deciders, ascending.
import type { RulePoints } from './axis.js';
import type { Collector } from './collector.js';
import type { FullLayer } from './full-layer.js';
import { groupBy } from './int-list.js';

/*
 * A full rule's flows on segment s are decided by the segment's first full rule (where the
 * sweeps saw it decide: realizedA) or by a non-full rule that beat every full rule there
 * (foreign). The foreign deciders of a segment are the same for every full rule covering it, and
 * many full rules match the same ports (`any -> any tcp/80` several times), so the foreign part
 * is computed once per distinct set of axis intervals. Cost: the sum, over those distinct sets,
 * of the foreign lists of their segments.
 */

function collectDistinct(out: number[], values: Int32Array, from: number, to: number, stamp: Int32Array, mark: number): void {
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (stamp[v] !== mark) {
      stamp[v] = mark;
      out.push(v);
    }
  }
}

function mergeDistinct(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    const v = Math.min(x, y);
    out.push(v);
    if (x === v) i++;
    if (y === v) j++;
  }
  return out;
}

export function fullDeciders(p: RulePoints, layer: FullLayer, col: Collector, nRules: number): Map<number, readonly number[]> {
  // Groups of full rules with identical intervals.
  const groups = new Map<string, number[]>();
  for (const f of layer.rules) {
    const key = Array.from(p.lo.subarray(p.start[f]!, p.start[f + 1]!), (lo, i) => `${lo}-${p.hi[p.start[f]! + i]}`).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  const members = [...groups.values()];
  const foreign = groupBy(layer.segments, col.foreignSeg, col.foreignBy);
  const stamp = new Int32Array(nRules).fill(-1);
  const out = new Map<number, readonly number[]>();
  members.forEach((g, gi) => {
    const collected: number[] = [];
    for (let i = p.start[g[0]!]!; i < p.start[g[0]! + 1]!; i++) {
      const from = foreign.start[layer.segOf(p.lo[i]!)]!;
      const to = foreign.start[layer.segOf(p.hi[i]!) + 1]!;
      collectDistinct(collected, foreign.values, from, to, stamp, gi);
    }
    const shared = collected.sort((x, y) => x - y);
    for (const f of g) {
      // The segments' first full rules, where they decided something, other than f itself.
      const firsts: number[] = [];
      for (let i = p.start[f]!; i < p.start[f + 1]!; i++) {
        const last = layer.segOf(p.hi[i]!);
        for (let s = layer.segOf(p.lo[i]!); s <= last; s++) {
          const a = layer.a[s]!;
          if (col.realizedA[s] && a !== f && firsts[firsts.length - 1] !== a) firsts.push(a);
        }
      }
      out.set(f, mergeDistinct(shared, [...new Set(firsts)].sort((x, y) => x - y)));
    }
  });
  return out;
}
