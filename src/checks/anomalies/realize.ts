// checks/anomalies: where the shared sweeps stand for real flows. Input: the layout. Output: the
// axis region where some real tier pair has only the full rules (or only one row's / column's).
import { subtractIntervals, type Interval } from '../../ir/ports.js';
import { AXIS, union } from './axis.js';
import { cellPoints, type Layout } from './layout.js';
import { realPair, type Shapes } from './shapes.js';

/*
 * One sweep serves many cells: the full layer alone stands for every pair that no row, column
 * or cell rule touches at a point; a row's rules plus the full layer for every pair of the row
 * whose column and cell rules miss the point. A shared sweep may only count points where such
 * a pair exists, or it would invent flows: usually a counting shortcut settles it (some pair
 * has no rules at all), otherwise an exact sweep over the covering counts does.
 */

/** The axis region where test(counts) holds; counts[i] = how many lists of counters[i] cover the point. */
export function regionWhere(counters: readonly (readonly (readonly Interval[])[])[], test: (c: Int32Array) => boolean): Interval[] {
  const pos: number[] = [];
  const what: number[] = [];
  counters.forEach((lists, i) => {
    for (const list of lists) {
      for (const iv of list) {
        pos.push(iv.lo, iv.hi + 1);
        what.push(i + 1, -(i + 1));
      }
    }
  });
  const order = pos.map((_, k) => k).sort((x, y) => pos[x]! - pos[y]!);
  const counts = new Int32Array(counters.length);
  const out: Interval[] = [];
  let k = 0;
  let p = 0;
  while (p < AXIS) {
    while (k < order.length && pos[order[k]!]! <= p) {
      const w = what[order[k++]!]!;
      counts[Math.abs(w) - 1]! += Math.sign(w);
    }
    const end = k < order.length ? Math.min(AXIS, pos[order[k]!]!) - 1 : AXIS - 1;
    if (test(counts)) {
      const last = out[out.length - 1];
      if (last && last.hi === p - 1) out[out.length - 1] = { lo: last.lo, hi: end };
      else out.push({ lo: p, hi: end });
    }
    p = end + 1;
  }
  return out;
}

/** The largest number of lists covering one point. */
export function maxCover(lists: readonly (readonly Interval[])[]): number {
  let best = 0;
  regionWhere([lists], (c) => ((best = Math.max(best, c[0]!)), false));
  return best;
}

const ALL: Interval[] = [{ lo: 0, hi: AXIS - 1 }];

/** Where some real pair has neither row, column nor cell rules: the full layer alone decides. */
export function fullRegion(sh: Shapes, lay: Layout): Interval[] {
  const freeRows = lay.rows.filter((l) => l.length === 0).length;
  const freeCols = lay.cols.filter((l) => l.length === 0).length;
  const diag: number[][] = []; // [A, B] of tiers alone in both their classes: (A, B) is no pair
  sh.srcSingle.forEach((t, a) => {
    const b = t >= 0 ? sh.dstClassOf[t]! : -1;
    if (b >= 0 && sh.dstSingle[b] === t) diag.push([a, b]);
  });
  const free = (a: number, b: number) => lay.rows[a]!.length === 0 && lay.cols[b]!.length === 0;
  const unreal = diag.filter(([a, b]) => free(a!, b!)).length;
  let taken = 0;
  for (const key of lay.cellKeys) if (free(Math.floor(key / sh.nD), key % sh.nD)) taken++;
  if (freeRows * freeCols - unreal - taken > 0) return ALL;
  const keys = Array.from(lay.cellKeys);
  const cellFree = keys.map((key, i) => {
    const a = Math.floor(key / sh.nD);
    const b = key % sh.nD;
    return subtractIntervals(subtractIntervals(cellPoints(sh, lay, i), lay.rowPoints[a]!), lay.colPoints[b]!);
  });
  const diagCover = diag.map(([a, b]) => union(lay.rowPoints[a!]!, lay.colPoints[b!]!));
  const { nS, nD } = sh;
  const nDiag = diag.length;
  return regionWhere([lay.rowPoints, lay.colPoints, diagCover, cellFree], (c) => (nS - c[0]!) * (nD - c[1]!) - (nDiag - c[2]!) - c[3]! > 0);
}

/** The other side of the pair space, seen from a row (its columns) or a column (its rows). */
export interface Across {
  readonly lines: readonly (readonly number[])[]; // rules per class on the other side
  readonly points: readonly (readonly Interval[])[];
  readonly free: number; // classes there without rules
  readonly maxCover: number;
}

/**
 * Where the rules of one row (or column) act with the full layer alone for some real pair of it.
 * `partner(x)` is the other side's class forming no pair with it, or -1; `cells` the other side's
 * classes it shares cell rules with, and `cellPoints(x)` their axis union.
 */
export function lineRegion(own: readonly Interval[], across: Across, partner: number, cells: readonly number[], cellPoints: (x: number) => readonly Interval[]): readonly Interval[] {
  const nReal = across.lines.length - (partner >= 0 ? 1 : 0);
  let freeReal = across.free - (partner >= 0 && across.lines[partner]!.length === 0 ? 1 : 0);
  for (const x of cells) if (across.lines[x]!.length === 0) freeReal--;
  if (freeReal > 0 || across.maxCover + cells.length < nReal) return own;
  const lists: (readonly Interval[])[] = across.points.filter((_, x) => x !== partner);
  for (const x of cells) lists.push(subtractIntervals(cellPoints(x), across.points[x]!));
  return subtractIntervals(own, regionWhere([lists], (c) => c[0]! >= nReal));
}

export function partnerOfRow(sh: Shapes, a: number): number {
  const t = sh.srcSingle[a]!;
  if (t < 0) return -1;
  const b = sh.dstClassOf[t]!;
  return realPair(sh, a, b) ? -1 : b;
}

export function partnerOfCol(sh: Shapes, b: number): number {
  const t = sh.dstSingle[b]!;
  if (t < 0) return -1;
  const a = sh.srcClassOf[t]!;
  return realPair(sh, a, b) ? -1 : a;
}
