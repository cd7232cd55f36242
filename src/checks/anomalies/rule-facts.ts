// checks/anomalies: per-rule facts from what the sweeps collected. Input: Collector + full layer.
// Output: Facts (flat, indexed by rule): the evaluator-level truth classify.ts judges.
import type { Collector } from './collector.js';
import type { FullLayer } from './full-layer.js';
import { fullDeciders } from './full-deciders.js';
import { groupBy, type IntList } from './int-list.js';
import { NONE, type Shapes } from './shapes.js';

/** Lists per rule, flat: rule r's entries are list[start[r] .. start[r+1]), ascending. */
export interface PerRule {
  readonly start: Int32Array;
  readonly list: Int32Array;
}

export interface Facts {
  /** 1: the rule matches at least one flow between two different tiers. */
  readonly matches: Uint8Array;
  /** 1: it is the first match of at least one flow. */
  readonly decides: Uint8Array;
  /** 1: removing it changes the verdict (action or log) of at least one flow. */
  readonly changes: Uint8Array;
  /** Earlier rules that are the first match of some flow the rule matches. */
  readonly deciders: PerRule;
  /** If it decides but changes nothing: what decides those flows without it (-1: the default). */
  readonly replacements: PerRule;
}

/** One rule's facts as a plain object (for tests and debugging). */
export interface RuleFacts {
  readonly matches: boolean;
  readonly decides: boolean;
  readonly changes: boolean;
  readonly deciders: readonly number[];
  readonly replacements: readonly number[];
}

export const entries = (p: PerRule, r: number): Int32Array => p.list.subarray(p.start[r]!, p.start[r + 1]!);

export function factsOf(f: Facts, r: number): RuleFacts {
  return {
    matches: f.matches[r] === 1,
    decides: f.decides[r] === 1,
    changes: f.changes[r] === 1,
    deciders: Array.from(entries(f.deciders, r)),
    replacements: Array.from(entries(f.replacements, r)),
  };
}

/**
 * Distinct values per rule, ascending, from (rule, value) pairs; `keep(r)` filters rules and
 * `extra(r)` supplies a ready list instead (the full rules' deciders). Values may be -1.
 */
function perRule(n: number, keys: IntList, values: IntList, keep: (r: number) => boolean, extra?: Map<number, readonly number[]>): PerRule {
  const g = groupBy(n, keys, values);
  const stamp = new Int32Array(n + 1).fill(-1);
  const start = new Int32Array(n + 1);
  let size = 0;
  for (const l of extra?.values() ?? []) size += l.length;
  const list = new Int32Array(g.values.length + size);
  let k = 0;
  for (let r = 0; r < n; r++) {
    const from = k;
    const ready = extra?.get(r);
    if (ready) for (const v of ready) list[k++] = v;
    else if (keep(r)) {
      for (let i = g.start[r]!; i < g.start[r + 1]!; i++) {
        const v = g.values[i]!;
        if (stamp[v + 1] !== r) {
          stamp[v + 1] = r; // v may be -1 (the default)
          list[k++] = v;
        }
      }
      if (k - from > 1) list.subarray(from, k).sort();
    }
    start[r + 1] = k;
  }
  return { start, list: list.subarray(0, k) };
}

export function collectFacts(sh: Shapes, layer: FullLayer, col: Collector): Facts {
  const n = sh.shape.length;
  const full = fullDeciders(sh.points, layer, col, n);
  return {
    matches: sh.shape.map((s) => (s === NONE ? 0 : 1)),
    decides: col.decides,
    changes: col.changes,
    deciders: perRule(n, col.coverRule, col.coverBy, () => true, full),
    replacements: perRule(n, col.nextRule, col.nextBy, (r) => col.decides[r] === 1 && col.changes[r] === 0),
  };
}
