// ir: port interval arithmetic shared by checks, eval and backends.
// Intervals are closed [lo, hi] within 1..65535.

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

export const PORT_MIN = 1;
export const PORT_MAX = 65535;

/** Sorts and merges overlapping and adjacent intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.lo <= last.hi + 1) {
      if (iv.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: iv.hi };
    } else {
      out.push({ lo: iv.lo, hi: iv.hi });
    }
  }
  return out;
}

/** a ∩ b, both merged and sorted. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const lo = Math.max(a[i]!.lo, b[j]!.lo);
    const hi = Math.min(a[i]!.hi, b[j]!.hi);
    if (lo <= hi) out.push({ lo, hi });
    if (a[i]!.hi < b[j]!.hi) i++;
    else j++;
  }
  return out;
}

/** a minus b, both merged and sorted. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const iv of a) {
    let lo = iv.lo;
    const hi = iv.hi;
    while (j < b.length && b[j]!.hi < lo) j++;
    let k = j;
    while (k < b.length && b[k]!.lo <= hi) {
      if (b[k]!.lo > lo) out.push({ lo, hi: b[k]!.lo - 1 });
      lo = Math.max(lo, b[k]!.hi + 1);
      k++;
    }
    if (lo <= hi) out.push({ lo, hi });
  }
  return out;
}

/**
 * Cuts [PORT_MIN, PORT_MAX] into the elementary intervals induced by the given intervals'
 * boundaries: inside each piece, every given interval either contains all ports or none.
 */
export function elementaryIntervals(intervals: readonly Interval[]): Interval[] {
  const cuts = new Set<number>([PORT_MIN, PORT_MAX + 1]);
  for (const iv of intervals) {
    cuts.add(iv.lo);
    cuts.add(iv.hi + 1);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Interval[] = [];
  for (let i = 0; i + 1 < points.length; i++) out.push({ lo: points[i]!, hi: points[i + 1]! - 1 });
  return out;
}

export function formatInterval(iv: Interval): string {
  return iv.lo === iv.hi ? String(iv.lo) : `${iv.lo}-${iv.hi}`;
}
