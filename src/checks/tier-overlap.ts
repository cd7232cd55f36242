// checks: `cidr-overlap`. Input: the tiers. Output: one error per tier whose subnet overlaps the
// subnet of a tier declared before it (primary: the later tier; related: the earliest such tier).
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy, Tier } from '../ir/types.js';
import { lastAddress } from '../ir/ipv4.js';
import type { Check } from './check.js';

/**
 * Two prefixes overlap only when one contains the other, so the subnets form a forest under
 * containment. Sorting by (base, size descending) lists each subnet right after its ancestors;
 * one sweep with a stack of open ancestors finds, for every tier, the earliest-declared tier
 * among its ancestors and (in a reverse pass) among its descendants. O(n log n): 10,000 tiers
 * take milliseconds, and a pile of identical subnets does not become n^2 pairs.
 */
export function earliestOverlapping(tiers: readonly Tier[]): Int32Array {
  return earliestOverlappingPrefixes(tiers.map((t) => ({ base: t.subnet.base, last: lastAddress(t.subnet.base, t.subnet.prefix), prefix: t.subnet.prefix })));
}

/** A prefix as the sweep sees it: first and last address (IPv4 numbers or IPv6 bigints), length. */
export interface SweptPrefix<A extends number | bigint> {
  readonly base: A;
  readonly last: A;
  readonly prefix: number;
}

/** earliestOverlapping over bare prefixes, in declaration order (ipv6-overlap.ts uses it with bigints). */
export function earliestOverlappingPrefixes<A extends number | bigint>(prefixes: readonly SweptPrefix<A>[]): Int32Array {
  const n = prefixes.length;
  const order = [...prefixes.keys()].sort((i, j) => {
    const a = prefixes[i]!;
    const b = prefixes[j]!;
    return (a.base < b.base ? -1 : a.base > b.base ? 1 : 0) || a.prefix - b.prefix || i - j;
  });
  const parent = new Int32Array(n).fill(-1);
  const ancMin = new Int32Array(n); // min declaration index over the tier and its ancestors
  const stack: number[] = [];
  for (const t of order) {
    const base = prefixes[t]!.base;
    while (stack.length > 0) {
      if (prefixes[stack[stack.length - 1]!]!.last >= base) break;
      stack.pop();
    }
    const p = stack.length > 0 ? stack[stack.length - 1]! : -1;
    parent[t] = p;
    ancMin[t] = p >= 0 ? Math.min(t, ancMin[p]!) : t;
    stack.push(t);
  }
  // Children follow their parent in `order`, so a reverse pass folds subtrees upwards.
  const descMin = new Int32Array(n).fill(n); // min declaration index strictly below the tier
  for (let k = n - 1; k >= 0; k--) {
    const t = order[k]!;
    const p = parent[t]!;
    if (p >= 0) descMin[p] = Math.min(descMin[p]!, t, descMin[t]!);
  }
  const out = new Int32Array(n).fill(-1);
  for (let t = 0; t < n; t++) {
    const p = parent[t]!;
    const other = Math.min(p >= 0 ? ancMin[p]! : n, descMin[t]!);
    if (other < t) out[t] = other;
  }
  return out;
}

/** Each item that overlaps an earlier one, with the earliest of those (what a sweep's `earliest` says). */
export function overlapPairs<T>(items: readonly T[], earliest: Int32Array): [later: T, earlier: T][] {
  const out: [T, T][] = [];
  earliest.forEach((j, i) => {
    if (j >= 0) out.push([items[i]!, items[j]!]);
  });
  return out;
}

export const tierOverlap: Check = {
  id: 'tier-overlap',
  run(policy: Policy): Diagnostic[] {
    return overlapPairs(policy.tiers, earliestOverlapping(policy.tiers)).map(([t, u]) =>
      diag('cidr-overlap', { subnet: t.subnet.text, tier: t.name, other: u.subnet.text, otherTier: u.name }, t.subnetSpan ?? t.origin.span, {
        related: [{ span: u.subnetSpan ?? u.origin.span, message: `tier '${u.name}' declared here with ${u.subnet.text}` }],
        hints: ['Docker refuses two networks with overlapping subnets; give each tier its own range'],
      }),
    );
  },
};
