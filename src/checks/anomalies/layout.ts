// checks/anomalies: sorts the non-full rules into rows (explicit sources, any destination),
// columns (any source, explicit destinations) and cells (both explicit), by tier class.
import { mergeIntervals, type Interval } from '../../ir/ports.js';
import type { RulePoints } from './axis.js';
import { CELL, COL, FULL, ROW, realPair, type Shapes } from './shapes.js';

export interface Layout {
  readonly full: number[];
  /** Rules of each source class / destination class, ascending; their axis union. */
  readonly rows: number[][];
  readonly rowPoints: (readonly Interval[])[];
  readonly cols: number[][];
  readonly colPoints: (readonly Interval[])[];
  /** Cells with cell rules: keys A * nD + B ascending (real pairs only); rules of cell i in cellRules[cellStart[i] ..]. */
  readonly cellKeys: Float64Array;
  readonly cellStart: Int32Array;
  readonly cellRules: Int32Array;
  /** Per source class the destination classes it has cell rules with, and vice versa. */
  readonly rowCells: number[][];
  readonly colCells: number[][];
}

export const unionOf = (rules: ArrayLike<number>, p: RulePoints): readonly Interval[] => {
  const all: Interval[] = [];
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    for (let i = p.start[r]!; i < p.start[r + 1]!; i++) all.push({ lo: p.lo[i]!, hi: p.hi[i]! });
  }
  return rules.length === 1 ? all : mergeIntervals(all);
};

// Cell rules are grouped by sorting packed (cell key, rule) numbers: one typed-array sort
// instead of a Map of 100,000 small arrays. The packing is exact while it stays below 2^53.
function groupCells(sh: Shapes): { keys: Float64Array; start: Int32Array; rules: Int32Array } {
  const RULE_BITS = 2 ** Math.ceil(Math.log2(sh.shape.length + 1));
  if (sh.nS * sh.nD * RULE_BITS > Number.MAX_SAFE_INTEGER) throw new Error('rule-anomalies: too many tier classes x rules to pack');
  const packed: number[] = [];
  const { src, dst } = sh;
  sh.shape.forEach((shape, k) => {
    if (shape !== CELL) return;
    for (let i = src.start[k]!; i < src.start[k + 1]!; i++) {
      const a = src.list[i]!;
      for (let j = dst.start[k]!; j < dst.start[k + 1]!; j++) {
        const b = dst.list[j]!;
        if (realPair(sh, a, b)) packed.push((a * sh.nD + b) * RULE_BITS + k);
      }
    }
  });
  const sorted = Float64Array.from(packed).sort();
  const keys: number[] = [];
  const start: number[] = [];
  const rules = new Int32Array(sorted.length);
  sorted.forEach((v, i) => {
    const key = Math.floor(v / RULE_BITS);
    if (keys.length === 0 || keys[keys.length - 1] !== key) {
      keys.push(key);
      start.push(i);
    }
    rules[i] = v - key * RULE_BITS;
  });
  start.push(sorted.length);
  return { keys: Float64Array.from(keys), start: Int32Array.from(start), rules };
}

export function buildLayout(sh: Shapes): Layout {
  const full: number[] = [];
  const rows: number[][] = Array.from({ length: sh.nS }, () => []);
  const cols: number[][] = Array.from({ length: sh.nD }, () => []);
  sh.shape.forEach((shape, k) => {
    if (shape === FULL) full.push(k);
    else if (shape === ROW) for (let i = sh.src.start[k]!; i < sh.src.start[k + 1]!; i++) rows[sh.src.list[i]!]!.push(k);
    else if (shape === COL) for (let i = sh.dst.start[k]!; i < sh.dst.start[k + 1]!; i++) cols[sh.dst.list[i]!]!.push(k);
  });
  const cells = groupCells(sh);
  const rowCells: number[][] = Array.from({ length: sh.nS }, () => []);
  const colCells: number[][] = Array.from({ length: sh.nD }, () => []);
  for (const key of cells.keys) {
    const a = Math.floor(key / sh.nD);
    rowCells[a]!.push(key - a * sh.nD);
    colCells[key - a * sh.nD]!.push(a);
  }
  return {
    full,
    rows,
    rowPoints: rows.map((l) => unionOf(l, sh.points)),
    cols,
    colPoints: cols.map((l) => unionOf(l, sh.points)),
    cellKeys: cells.keys,
    cellStart: cells.start,
    cellRules: cells.rules,
    rowCells,
    colCells,
  };
}

/** Index of a cell key in lay.cellKeys, or -1. */
export function cellIndex(lay: Layout, key: number): number {
  let lo = 0;
  let hi = lay.cellKeys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = lay.cellKeys[mid]!;
    if (k === key) return mid;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The axis union of a cell's rules. */
export const cellPoints = (sh: Shapes, lay: Layout, cell: number): readonly Interval[] =>
  unionOf(lay.cellRules.subarray(lay.cellStart[cell]!, lay.cellStart[cell + 1]!), sh.points);

/**
 * Pairs (A, B) whose row rules and column rules share an axis point: there the two interact
 * and the cell needs its own sweep. Interval sweep by start; output-sensitive, O(n log n + k).
 */
export function rowColContacts(lay: Layout, nD: number): number[] {
  const items: { lo: number; hi: number; row: boolean; id: number }[] = [];
  lay.rowPoints.forEach((ivs, a) => ivs.forEach((iv) => items.push({ lo: iv.lo, hi: iv.hi, row: true, id: a })));
  lay.colPoints.forEach((ivs, b) => ivs.forEach((iv) => items.push({ lo: iv.lo, hi: iv.hi, row: false, id: b })));
  items.sort((x, y) => x.lo - y.lo);
  const out: number[] = [];
  let openRows: typeof items = [];
  let openCols: typeof items = [];
  for (const it of items) {
    // Everything still open after dropping what ended before it.lo overlaps it.
    if (it.row) {
      openCols = openCols.filter((c) => c.hi >= it.lo);
      for (const c of openCols) out.push(it.id * nD + c.id);
      openRows.push(it);
    } else {
      openRows = openRows.filter((r) => r.hi >= it.lo);
      for (const r of openRows) out.push(r.id * nD + it.id);
      openCols.push(it);
    }
  }
  return out;
}
