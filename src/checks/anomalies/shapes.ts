// checks/anomalies: tier equivalence classes and rule shapes. Input: Policy. Output: for every
// rule its source and destination classes and its shape (full, row, col, cell or none).
import type { Policy } from '../../ir/types.js';
import { RulePointsBuilder, type RulePoints } from './axis.js';

/*
 * Tiers that appear in exactly the same rules' source sets are interchangeable as sources (same
 * for destinations), so the analysis works on classes, found by partition refinement over the
 * rules' explicit sets. A side that lists every tier (`any`) distinguishes nothing and is kept
 * symbolic ("all"): a rule with `any` on both sides is never expanded into pairs.
 * Per-rule data is kept in flat typed arrays (see RulePoints for why).
 */

/** Shape codes; row/col/cell double as the sweep's kind bits. */
export const ROW = 1; // explicit sources, every destination
export const COL = 2; // every source, explicit destinations
export const CELL = 4; // explicit on both sides
export const FULL = 8; // every source and every destination
export const NONE = 0; // no pair of two different tiers, or no service

/** Sets of classes per rule, flat: rule r's classes are list[start[r] .. start[r+1]), ascending. */
export interface ClassSets {
  readonly start: Int32Array;
  readonly list: Int32Array;
  /** 1 when the side is every tier (then the rule has no entries in list). */
  readonly all: Uint8Array;
}

export interface Shapes {
  /** Number of source and destination classes. */
  readonly nS: number;
  readonly nD: number;
  /** The tier of a one-tier class, else -1. A pair (A, B) of the same one tier is no flow. */
  readonly srcSingle: Int32Array;
  readonly dstSingle: Int32Array;
  readonly srcClassOf: Int32Array;
  readonly dstClassOf: Int32Array;
  readonly src: ClassSets;
  readonly dst: ClassSets;
  readonly shape: Uint8Array;
  readonly points: RulePoints;
}

/** Tier ids per rule side, flat; all[r] = 1 for `any` or a list of every tier. */
class SideBuilder {
  readonly start: Int32Array;
  readonly all: Uint8Array;
  private readonly list: number[] = [];

  constructor(rules: number, private readonly tiers: number) {
    this.start = new Int32Array(rules + 1);
    this.all = new Uint8Array(rules);
  }

  add(r: number, any: boolean, names: readonly string[], id: Map<string, number>): void {
    const list = this.list;
    const from = list.length;
    if (!any) {
      for (const x of names) {
        const i = id.get(x);
        if (i !== undefined && (names.length === 1 || !list.includes(i, from))) list.push(i);
      }
    }
    if (any || list.length - from === this.tiers) {
      this.all[r] = 1;
      list.length = from;
    }
    this.start[r + 1] = list.length;
  }

  done(): ClassSets {
    return { start: this.start, list: Int32Array.from(this.list), all: this.all };
  }
}

/** Partition refinement: classOf[t] for n elements split by every set; classes numbered by first element. */
function refine(n: number, sets: ClassSets): { classOf: Int32Array; count: number } {
  const classOf = new Int32Array(n);
  const cap = sets.list.length + 1;
  const stamp = new Int32Array(cap).fill(-1);
  const moved = new Int32Array(cap);
  let next = 1;
  for (let k = 0; k + 1 < sets.start.length; k++) {
    for (let i = sets.start[k]!; i < sets.start[k + 1]!; i++) {
      const t = sets.list[i]!;
      const c = classOf[t]!;
      if (stamp[c] !== k) {
        stamp[c] = k;
        moved[c] = next++;
      }
      classOf[t] = moved[c]!;
      stamp[moved[c]!] = k; // a class created by this set is not split again by it
    }
  }
  const renumber = new Int32Array(next).fill(-1);
  let count = 0;
  for (let t = 0; t < n; t++) {
    const c = classOf[t]!;
    if (renumber[c] === -1) renumber[c] = count++;
    classOf[t] = renumber[c]!;
  }
  return { classOf, count };
}

function singles(classOf: Int32Array, count: number): Int32Array {
  const single = new Int32Array(count).fill(-1);
  const size = new Int32Array(count);
  classOf.forEach((c, t) => {
    size[c]++;
    single[c] = t;
  });
  for (let c = 0; c < count; c++) if (size[c] !== 1) single[c] = -1;
  return single;
}

/** The tier sets mapped to class sets (distinct, ascending). */
function toClasses(sets: ClassSets, classOf: Int32Array, count: number): ClassSets {
  const stamp = new Int32Array(count).fill(-1);
  const start = new Int32Array(sets.start.length);
  const list: number[] = [];
  for (let r = 0; r + 1 < sets.start.length; r++) {
    const from = list.length;
    for (let i = sets.start[r]!; i < sets.start[r + 1]!; i++) {
      const c = classOf[sets.list[i]!]!;
      if (stamp[c] !== r) {
        stamp[c] = r;
        list.push(c);
      }
    }
    // Insertion sort in place: these lists are a few classes long.
    for (let i = from + 1; i < list.length; i++) {
      const v = list[i]!;
      let j = i - 1;
      for (; j >= from && list[j]! > v; j--) list[j + 1] = list[j]!;
      list[j + 1] = v;
    }
    start[r + 1] = list.length;
  }
  return { start, list: Int32Array.from(list), all: sets.all };
}

export function buildShapes(policy: Policy): Shapes {
  const n = policy.tiers.length;
  const id = new Map(policy.tiers.map((t, i) => [t.name, i]));
  // One pass over the IR: on a large policy, touching 100,000 rule objects is what costs.
  const srcB = new SideBuilder(policy.rules.length, n);
  const dstB = new SideBuilder(policy.rules.length, n);
  const points = new RulePointsBuilder(policy.rules.length);
  policy.rules.forEach((rule, r) => {
    srcB.add(r, rule.sourceAny, rule.sources, id);
    dstB.add(r, rule.destinationAny, rule.destinations, id);
    points.add(r, rule);
  });
  const srcTiers = srcB.done();
  const dstTiers = dstB.done();
  const pts = points.done();
  const S = refine(n, srcTiers);
  const D = refine(n, dstTiers);
  const srcSingle = singles(S.classOf, S.count);
  const dstSingle = singles(D.classOf, D.count);
  const src = toClasses(srcTiers, S.classOf, S.count);
  const dst = toClasses(dstTiers, D.classOf, D.count);
  const shape = new Uint8Array(policy.rules.length);
  for (let k = 0; k < shape.length; k++) {
    const ns = src.start[k + 1]! - src.start[k]!;
    const nd = dst.start[k + 1]! - dst.start[k]!;
    const sAll = src.all[k] === 1;
    const dAll = dst.all[k] === 1;
    if (n < 2 || pts.start[k + 1] === pts.start[k] || (!sAll && ns === 0) || (!dAll && nd === 0)) shape[k] = NONE;
    else if (sAll) shape[k] = dAll ? FULL : COL;
    else if (dAll) shape[k] = ROW;
    else {
      const a = src.list[src.start[k]!]!;
      const b = dst.list[dst.start[k]!]!;
      // One tier on both sides: no pair of different tiers (rule-self reports it).
      shape[k] = ns === 1 && nd === 1 && srcSingle[a]! >= 0 && srcSingle[a] === dstSingle[b] ? NONE : CELL;
    }
  }
  return { nS: S.count, nD: D.count, srcSingle, dstSingle, srcClassOf: S.classOf, dstClassOf: D.classOf, src, dst, shape, points: pts };
}

/** Is (A, B) a real pair, i.e. not the same single tier on both sides? */
export const realPair = (sh: Shapes, a: number, b: number): boolean => !(sh.srcSingle[a]! >= 0 && sh.srcSingle[a] === sh.dstSingle[b]);
