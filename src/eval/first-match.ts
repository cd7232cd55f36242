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
import { freeSlots, nextFree } from '../ir/next-free.js';
import { sortPrefix } from '../ir/sort-prefix.js';

export interface PortDecisions {
  /**
   * The elementary port intervals covering PORT_MIN..PORT_MAX, as their first ports in order plus
   * PORT_MAX + 1 at the end: class k is starts[k]..starts[k + 1] - 1. Numbers, not interval
   * objects: a large policy has millions of classes.
   */
  readonly starts: readonly number[];
  /** Per class, the first rule (policy order) whose services match its ports; undefined: no rule does. */
  readonly winners: readonly (Rule | undefined)[];
}

/** The first rule matching tcp or udp ports, per elementary interval of the rules' boundaries. */
export function firstMatchByPort(rules: readonly Rule[], proto: 'tcp' | 'udp'): PortDecisions {
  const starts = portStarts(rules, proto);
  const n = starts.length - 1;
  const winners: (Rule | undefined)[] = [];
  for (let k = 0; k < n; k++) winners.push(undefined);
  // The unpainted classes (ir/next-free.ts), in a reused buffer: this runs for every pair of a large policy.
  const next = (nextScratch = freeSlots(n, nextScratch.length > n ? nextScratch : new Int32Array(2 * (n + 1))));
  const find = (k: number): number => nextFree(next, k);
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
    const ports = portsOf(rule)[proto];
    for (let i = 0; i < ports.length; i += 2) paint(rule, classAt(starts, ports[i]!), ports[i + 1]!);
  }
  return { starts, winners };
}

/** A rule's tcp and udp intervals as flat [lo, hi, lo, hi, ...] arrays. */
interface FlatPorts {
  readonly tcp: readonly number[];
  readonly udp: readonly number[];
}

const flat = new WeakMap<Rule, FlatPorts>();

/**
 * Read once per rule: a rule's services mix shapes (tcp/udp intervals, icmp), so reading them on
 * every pair the rule belongs to was a slow, polymorphic loop (~1 s at 100,000 rules).
 */
function portsOf(rule: Rule): FlatPorts {
  let f = flat.get(rule);
  if (!f) {
    const tcp: number[] = [];
    const udp: number[] = [];
    for (const s of rule.services) if (s.proto !== 'icmp') (s.proto === 'tcp' ? tcp : udp).push(s.lo, s.hi);
    flat.set(rule, (f = { tcp, udp }));
  }
  return f;
}

/** The first rule matching icmp or any other protocol (no ports), or undefined. */
export function firstMatchOf(rules: readonly Rule[], proto: Exclude<FlowProto, 'tcp' | 'udp'>): Rule | undefined {
  for (const rule of rules) if (servicesMatch(rule, proto, undefined)) return rule;
  return undefined;
}

/**
 * The first ports of the elementary intervals of the rules' tcp or udp boundaries, then PORT_MAX + 1
 * (ir/ports.ts elementaryIntervals for these rules). This runs for every pair of a large policy
 * (1.6 million times in one 100,000-rule compile), so the points go through a reused buffer, sorted
 * in place (a pair has a few dozen), and the result is the one allocation.
 */
export function portStarts(rules: readonly Rule[], proto: 'tcp' | 'udp'): readonly number[] {
  let m = 0;
  const add = (point: number): void => {
    if (m === scratch.length) {
      const grown = new Uint32Array(scratch.length * 2);
      grown.set(scratch);
      scratch = grown;
    }
    scratch[m++] = point;
  };
  add(PORT_MIN);
  add(PORT_MAX + 1);
  for (const r of rules) {
    const ports = portsOf(r)[proto];
    for (let i = 0; i < ports.length; i += 2) {
      add(ports[i]!);
      add(ports[i + 1]! + 1);
    }
  }
  const points = scratch;
  sortPrefix(points, m);
  let w = 1;
  for (let k = 1; k < m; k++) if (points[k] !== points[w - 1]) points[w++] = points[k]!;
  const out = new Array<number>(w);
  for (let k = 0; k < w; k++) out[k] = points[k]!;
  return out;
}

let scratch = new Uint32Array(256);
let nextScratch: Int32Array = new Int32Array(256);

/** The elementary intervals themselves, as objects (for callers that want few of them). */
export function portCuts(rules: readonly Rule[], proto: 'tcp' | 'udp'): Interval[] {
  return intervalsOf(portStarts(rules, proto));
}

export function intervalsOf(starts: readonly number[]): Interval[] {
  const out: Interval[] = [];
  for (let k = 0; k + 1 < starts.length; k++) out.push({ lo: starts[k]!, hi: starts[k + 1]! - 1 });
  return out;
}

/** The class that starts at port `lo` (every rule boundary starts one). */
function classAt(starts: readonly number[], lo: number): number {
  let a = 0;
  let b = starts.length - 2;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (starts[mid]! < lo) a = mid + 1;
    else b = mid;
  }
  return a;
}
