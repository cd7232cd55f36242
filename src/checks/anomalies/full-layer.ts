// checks/anomalies: the layer of rules with `any` on both sides. Input: those rules' axis intervals.
// Output: the axis cut into segments, each with its first and second matching full rule.
import { AXIS, type RulePoints } from './axis.js';
import { freeSlots, nextFree } from '../../ir/next-free.js';

const NONE = 2 ** 31 - 1;

/*
 * Full rules apply to every tier pair alike, so they are never expanded per pair: every cell
 * of the analysis asks this layer "which full rule comes first (and second) here?".
 * a/a2 are filled with a union-find "next segment still missing its second rule", so each
 * segment is written at most twice: O((F + S) α) for F intervals and S segments.
 */
export class FullLayer {
  /** Segment i is [starts[i], starts[i + 1] - 1]; starts ends with AXIS. */
  readonly starts: Int32Array;
  /** First and second full rule (by index) matching the segment, or -1. */
  readonly a: Int32Array;
  readonly a2: Int32Array;
  /** The first segment at or after s that some full rule matches (segments if none). */
  readonly nextCovered: Int32Array;
  /** Sparse table: level k holds the max of a (none = 2^31 - 1) over 2^k segments from each start. */
  private readonly maxA: Int32Array[] = [];

  constructor(readonly rules: readonly number[], p: RulePoints) {
    const cuts = new Set<number>([0, AXIS]);
    for (const r of rules) {
      for (let i = p.start[r]!; i < p.start[r + 1]!; i++) {
        cuts.add(p.lo[i]!);
        cuts.add(p.hi[i]! + 1);
      }
    }
    this.starts = Int32Array.from([...cuts].sort((x, y) => x - y));
    const n = this.starts.length - 1;
    this.a = new Int32Array(n).fill(-1);
    this.a2 = new Int32Array(n).fill(-1);
    const next = freeSlots(n);
    const find = (i: number): number => nextFree(next, i);
    for (const r of rules) {
      for (let i = p.start[r]!; i < p.start[r + 1]!; i++) {
        const last = this.segOf(p.hi[i]!);
        for (let s = find(this.segOf(p.lo[i]!)); s <= last; s = find(s + 1)) {
          if (this.a[s] === -1) this.a[s] = r;
          else {
            this.a2[s] = r;
            next[s] = s + 1;
          }
        }
      }
    }
    this.nextCovered = new Int32Array(n + 1);
    this.nextCovered[n] = n;
    for (let s = n - 1; s >= 0; s--) this.nextCovered[s] = this.a[s]! >= 0 ? s : this.nextCovered[s + 1]!;
    let level = Int32Array.from(this.a, (x) => (x < 0 ? NONE : x));
    this.maxA.push(level);
    for (let w = 1; 2 * w <= n; w *= 2) {
      const prev = level;
      level = new Int32Array(n - 2 * w + 1);
      for (let s = 0; s < level.length; s++) level[s] = Math.max(prev[s]!, prev[s + w]!);
      this.maxA.push(level);
    }
  }

  /** Is some segment of [lo, hi] matched by no full rule or first by a full rule after `rule`? */
  someAfter(lo: number, hi: number, rule: number): boolean {
    const k = 31 - Math.clz32(hi - lo + 1);
    const t = this.maxA[k]!;
    return Math.max(t[lo]!, t[hi - (1 << k) + 1]!) > rule;
  }

  get segments(): number {
    return this.a.length;
  }

  /** The segment holding axis point p. */
  segOf(p: number): number {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
