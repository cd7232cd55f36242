// ir: "the next slot not yet taken" over an array of slots, as a union-find with path compression:
// painting intervals of slots in priority order touches each slot once, skipping taken runs in
// near-constant time. Used where rules in policy order claim port classes or axis segments
// (eval/first-match.ts, checks/anomalies/full-layer.ts).

/** Slots 0..n-1 all free; next[n] = n is the sentinel that `nextFree` returns when none is left. */
export function freeSlots(n: number, reuse?: Int32Array): Int32Array {
  const next = reuse && reuse.length > n ? reuse : new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) next[k] = k;
  return next;
}

/** The first free slot >= k (n when none). Take slot s with `next[s] = s + 1`. */
export function nextFree(next: Int32Array, k: number): number {
  let root = k;
  while (next[root] !== root) root = next[root]!;
  while (next[k] !== root) {
    const up = next[k]!;
    next[k] = root;
    k = up;
  }
  return root;
}
