// checks/anomalies: the Al-Shaer & Hamed taxonomy from the evaluator-level facts. Input: Facts.
// Output: Findings (rule, kind, the rules involved), at most one per (rule, kind).
import type { Policy } from '../../ir/types.js';
import { ruleWithin } from './contain.js';
import { entries, type Facts } from './rule-facts.js';
import type { Shapes } from './shapes.js';

/*
 * Definitions (a flow is one (source tier, destination tier, protocol, port), tiers different):
 * - shadowed: the rule is the first match of no flow, and every flow it matches is decided by
 *   earlier rules with the opposite action (one rule or several together).
 * - redundant, covered: the rule is the first match of no flow, and some of the earlier rules
 *   deciding its flows share its action (so its intent is at least partly met).
 * - redundant, fall-through: it decides flows, but without it each would get the same verdict,
 *   log flag included, from a later rule or the default.
 * Shadowed or redundant <=> removing the rule changes no verdict (test/checks property test).
 * - generalization: the rule decides flows and matches every flow of an earlier opposite-action
 *   rule that decides some of its flows (the earlier rule is an exception to it).
 * - correlated: likewise, but the earlier rule also matches flows this one does not.
 * Only earlier rules that actually decide some of the rule's flows count: an overlap that a third,
 * even earlier rule already decides does not depend on the order of these two. A rule that
 * decides nothing gets only its shadowed/redundant finding (its deciders are listed there).
 */
export type FindingKind = 'shadowed' | 'redundant-covered' | 'redundant-fallthrough' | 'generalization' | 'correlated';

export interface Finding {
  readonly rule: number;
  readonly kind: FindingKind;
  /** Rule indexes involved, ascending; -1 stands for the default. */
  readonly related: readonly number[];
}

export function classify(policy: Policy, sh: Shapes, facts: Facts): Finding[] {
  const rules = policy.rules;
  const { start, list } = facts.deciders;
  const out: Finding[] = [];
  // Index loops over the flat lists: no per-rule allocation unless the rule is reported.
  for (let r = 0; r < rules.length; r++) {
    if (!facts.matches[r]) continue;
    const action = rules[r]!.action;
    const from = start[r]!;
    const to = start[r + 1]!;
    if (!facts.decides[r]) {
      // Every flow it matches is decided earlier, so it has deciders.
      let opposite = true;
      for (let i = from; i < to && opposite; i++) opposite = rules[list[i]!]!.action !== action;
      out.push({ rule: r, kind: opposite ? 'shadowed' : 'redundant-covered', related: Array.from(list.subarray(from, to)) });
      continue;
    }
    if (!facts.changes[r]) out.push({ rule: r, kind: 'redundant-fallthrough', related: Array.from(entries(facts.replacements, r)) });
    let general: number[] | undefined;
    let partial: number[] | undefined;
    for (let i = from; i < to; i++) {
      const q = list[i]!;
      if (rules[q]!.action === action) continue;
      if (ruleWithin(sh, q, r)) (general ??= []).push(q);
      else (partial ??= []).push(q);
    }
    if (general) out.push({ rule: r, kind: 'generalization', related: general });
    if (partial) out.push({ rule: r, kind: 'correlated', related: partial });
  }
  return out;
}
