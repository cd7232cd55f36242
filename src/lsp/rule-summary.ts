// lsp: what one rule decides, according to the evaluator. Input: Policy + one of its rules.
// Output: every flow class the rule matches (between tiers, and between tiers and external zones)
// with the verdict the policy gives it and why.
import type { Policy, Rule } from '../ir/types.js';
import { Evaluator, servicesMatch, type Verdict } from '../eval/evaluate.js';
import { classesOfPair, rulesOfPair, type FlowClass } from '../eval/flow-classes.js';
import { zonesOf } from '../eval/zones.js';

export interface ClassVerdict {
  readonly flow: FlowClass;
  readonly verdict: Verdict;
  /** True when this rule is the first match, i.e. it decides the class. */
  readonly byThisRule: boolean;
}

export interface RuleSummary {
  readonly classes: readonly ClassVerdict[];
  readonly decided: number;
  /** Set when the rule matched more classes than were evaluated (`any -> any` in a large policy). */
  readonly truncated: boolean;
}

/** Enough for any summary a hover can show; bounds the work of `any -> any` over hundreds of tiers. */
export const MAX_CLASSES = 2000;

/** Flows inside one tier are left out: rules never decide them (isolation does). */
export function summarizeRule(policy: Policy, rule: Rule, limit = MAX_CLASSES): RuleSummary {
  const ev = new Evaluator(policy);
  const classes: ClassVerdict[] = [];
  let decided = 0;
  // A side naming nets or `world` stands for the external zones they cover (eval/zones.ts).
  const zones = zonesOf(policy);
  const sources = [...rule.sources, ...zones.zonesOf(rule.externalSources)];
  const destinations = [...rule.destinations, ...zones.zonesOf(rule.externalDestinations)];
  for (const src of sources) {
    for (const dst of destinations) {
      if (src === dst) continue;
      for (const flow of classesOfPair(src, dst, rulesOfPair(policy, src, dst))) {
        // `other` carries no port; classes are uniform, so their lowest port stands for all of them.
        if (!servicesMatch(rule, flow.proto, flow.lo)) continue;
        if (classes.length >= limit) return { classes, decided, truncated: true };
        const verdict = ev.evaluate({ src, dst, proto: flow.proto, port: flow.lo });
        const byThisRule = verdict.reason.kind === 'rule' && verdict.reason.rule.index === rule.index;
        if (byThisRule) decided++;
        classes.push({ flow, verdict, byThisRule });
      }
    }
  }
  return { classes, decided, truncated: false };
}
