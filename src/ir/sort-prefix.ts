// ir: sorts the first n numbers of a typed array in place. Callers sort many short runs (the anomaly
// sweep's events per cell, one pair's port boundaries): below a few dozen, an insertion sort beats
// the native typed-array sort's call overhead.
export function sortPrefix(a: Float64Array | Uint32Array, n: number): void {
  if (n > 32) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
