// eval: first match over one pair's rules for every port class at once. Input: the rules that can
// decide a pair (policy order) and a protocol. Output: the pair's port classes (cut at every boundary
// of those rules) and, per class, the first rule that matches it (undefined: none, the default decides).
// Asking Evaluator-style "first rule matching port p" per class costs classes x rules; a large pair
// has hundreds of classes and dozens of rules, and a 100,000-rule policy has 400,000 pairs. Here
// each rule paints the classes its services cover that no earlier rule painted, skipping painted
// runs with a union-find "next unpainted" pointer: rules x log(classes) + classes per pair.
import type { Rule } from '../ir/types.js';
import { PORT_MAX, PORT_MIN, type Interval } from '../ir/ports.js';
import { servicesMatch, type FlowProto } from './evaluate.js';

export interface PortDecisions {
  /**
   * The elementary port intervals covering PORT_MIN..PORT_MAX, as their first ports in order plus
   * PORT_MAX + 1 at the end: class k is starts[k]..starts[k + 1] - 1. A typed array, not interval
   * objects: a large policy has millions of classes.
   */
  readonly starts: Uint32Array;
  /** Per class, the first rule (policy order) whose services match its ports; undefined: no rule does. */
  readonly winners: readonly (Rule | undefined)[];
}

/** The first rule matching tcp or udp ports, per elementary interval of the rules' boundaries. */
export function firstMatchByPort(rules: readonly Rule[], proto: 'tcp' | 'udp'): PortDecisions {
  const starts = portStarts(rules, proto);
  const n = starts.length - 1;
  const winners: (Rule | undefined)[] = new Array<Rule | undefined>(n).fill(undefined);
  // next[k]: the first unpainted class >= k (path-compressed); next[n] = n is the sentinel.
  const next = new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) next[k] = k;
  const find = (k: number): number => {
    let root = k;
    while (next[root] !== root) root = next[root]!;
    while (next[k] !== root) {
      const up = next[k]!;
      next[k] = root;
      k = up;
    }
    return root;
  };
  let left = n;
  const paint = (rule: Rule, from: number, hi: number): void => {
    for (let k = find(from); k < n && starts[k]! <= hi; k = find(k + 1)) {
      winners[k] = rule;
      next[k] = k + 1;
      left--;
    }
  };
  for (const rule of rules) {
    if (left === 0) break;
    if (rule.allTraffic) {
      paint(rule, 0, PORT_MAX);
      continue;
    }
    for (const s of rule.services) if (s.proto === proto) paint(rule, classAt(starts, s.lo), s.hi);
  }
  return { starts, winners };
}

/** The first rule matching icmp or any other protocol (no ports), or undefined. */
export function firstMatchOf(rules: readonly Rule[], proto: Exclude<FlowProto, 'tcp' | 'udp'>): Rule | undefined {
  for (const rule of rules) if (servicesMatch(rule, proto, undefined)) return rule;
  return undefined;
}

/**
 * The first ports of the elementary intervals of the rules' tcp or udp boundaries, then PORT_MAX + 1
 * (ir/ports.ts elementaryIntervals for these rules, from a sorted typed array: this runs for every
 * pair of a large policy).
 */
export function portStarts(rules: readonly Rule[], proto: 'tcp' | 'udp'): Uint32Array {
  let m = 2;
  for (const r of rules) for (const s of r.services) if (s.proto === proto) m += 2;
  const points = new Uint32Array(m);
  points[0] = PORT_MIN;
  points[1] = PORT_MAX + 1;
  let p = 2;
  for (const r of rules) {
    for (const s of r.services) {
      if (s.proto !== proto) continue;
      points[p++] = s.lo;
      points[p++] = s.hi + 1;
    }
  }
  points.sort();
  let w = 1;
  for (let k = 1; k < m; k++) if (points[k] !== points[w - 1]) points[w++] = points[k]!;
  return points.subarray(0, w);
}

/** The elementary intervals themselves, as objects (for callers that want few of them). */
export function portCuts(rules: readonly Rule[], proto: 'tcp' | 'udp'): Interval[] {
  return intervalsOf(portStarts(rules, proto));
}

export function intervalsOf(starts: Uint32Array): Interval[] {
  const out: Interval[] = [];
  for (let k = 0; k + 1 < starts.length; k++) out.push({ lo: starts[k]!, hi: starts[k + 1]! - 1 });
  return out;
}

/** The class that starts at port `lo` (every rule boundary starts one). */
function classAt(starts: Uint32Array, lo: number): number {
  let a = 0;
  let b = starts.length - 2;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (starts[mid]! < lo) a = mid + 1;
    else b = mid;
  }
  return a;
}
