// checks/anomalies: does one rule match every flow another matches? Input: two rules' shapes and
// axis intervals. Output: boolean; tells a generalization (contains) from a correlation (overlaps).
import type { RulePoints } from './axis.js';
import type { ClassSets, Shapes } from './shapes.js';

/** Is x in the sorted slice list[from .. to)? */
function has(list: Int32Array, from: number, to: number, x: number): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === x) return true;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Are q's axis intervals inside r's? Both merged and sorted. */
function pointsWithin(p: RulePoints, q: number, r: number): boolean {
  let j = p.start[r]!;
  const end = p.start[r + 1]!;
  for (let i = p.start[q]!; i < p.start[q + 1]!; i++) {
    while (j < end && p.hi[j]! < p.lo[i]!) j++;
    if (j === end || p.lo[j]! > p.lo[i]! || p.hi[j]! < p.hi[i]!) return false;
  }
  return true;
}

/**
 * Are q's classes on one side inside r's, up to the one class that forms no pair with q's other
 * side? (`a -> a, b` only reaches (a, b), so it lies inside `a -> b`.) `other*` describe q's
 * opposite side and its single tiers; `self*` this side's.
 */
function sideWithin(
  sets: ClassSets,
  q: number,
  r: number,
  n: number,
  other: ClassSets,
  otherSingle: Int32Array,
  selfSingle: Int32Array,
  selfClassOf: Int32Array,
): boolean {
  if (sets.all[r]) return true;
  const rFrom = sets.start[r]!;
  const rTo = sets.start[r + 1]!;
  let spare = -1; // the class of this side that forms no pair with all of q's other side
  if (!other.all[q] && other.start[q + 1]! - other.start[q]! === 1) {
    const t = otherSingle[other.list[other.start[q]!]!]!;
    if (t >= 0 && selfSingle[selfClassOf[t]!] === t) spare = selfClassOf[t]!;
  }
  if (sets.all[q]) return spare >= 0 && rTo - rFrom === n - 1 && !has(sets.list, rFrom, rTo, spare);
  for (let i = sets.start[q]!; i < sets.start[q + 1]!; i++) {
    const x = sets.list[i]!;
    if (x !== spare && !has(sets.list, rFrom, rTo, x)) return false;
  }
  return true;
}

/** M(q) ⊆ M(r): every flow (between two different tiers) q matches, r matches too. */
export function ruleWithin(sh: Shapes, q: number, r: number): boolean {
  return (
    pointsWithin(sh.points, q, r) &&
    sideWithin(sh.src, q, r, sh.nS, sh.dst, sh.dstSingle, sh.srcSingle, sh.srcClassOf) &&
    sideWithin(sh.dst, q, r, sh.nD, sh.src, sh.srcSingle, sh.dstSingle, sh.dstClassOf)
  );
}
