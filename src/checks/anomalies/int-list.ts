// checks/anomalies: a growable Int32Array, for the analysis' large lists of rule-index pairs.
export class IntList {
  data = new Int32Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Groups pairs (key[i], value[i]) by key (0 <= key < n): the values of key k are
 * values[start[k] .. start[k+1]), in insertion order. Counting sort, O(n + pairs).
 */
export function groupBy(n: number, keys: IntList, values: IntList): { start: Int32Array; values: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < keys.length; i++) start[keys.data[i]! + 1]!++;
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, n);
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[fill[keys.data[i]!]!++] = values.data[i]!;
  return { start, values: out };
}
