// checks: `rule-shadowed`, `rule-redundant`, `rule-correlated`, `rule-generalization`. Input: the
// rules. Output: per (rule, code) one diagnostic on the rule, related spans on the rules involved.
import { diag, type Diagnostic, type Related } from '../diagnostics/diagnostic.js';
import type { Policy, Rule } from '../ir/types.js';
import type { Span } from '../source/source-file.js';
import type { Check } from './check.js';
import { analyzeRules } from './anomalies/analyze.js';
import { classify, type Finding } from './anomalies/classify.js';
import { zonedPolicy } from '../eval/zones.js';

// The definitions are in anomalies/classify.ts; the algorithm in anomalies/analyze.ts.

/** A rule behind `any -> any` can have thousands of related rules; list the first ones by position. */
export const MAX_RELATED = 20;

const verb = (r: Rule) => `${r.action === 'allow' ? 'allows' : 'denies'}${r.log ? ' (and logs)' : ''}`;
const past = (action: string) => (action === 'allow' ? 'allowed' : 'denied');

function bySpan(a: Span, b: Span): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start;
}

/** Related spans for the rules of a finding (the first MAX_RELATED by rule order) and the default. */
function relatedOf(policy: Policy, f: Finding, message: (r: Rule) => string): { related: Related[]; more: string[] } {
  const related: Related[] = [];
  let shown = 0;
  for (const q of f.related) {
    if (q < 0) {
      if (policy.defaultOrigin) related.push({ span: policy.defaultOrigin.span, message: `the default (${policy.defaultAction}) decides them the same way` });
    } else if (shown++ < MAX_RELATED) {
      related.push({ span: policy.rules[q]!.origin.span, message: message(policy.rules[q]!) });
    }
  }
  related.sort((a, b) => bySpan(a.span, b.span));
  const extra = shown - MAX_RELATED;
  return { related, more: extra > 0 ? [`${extra} more rules are involved; only the first ${MAX_RELATED} are shown`] : [] };
}

function toDiagnostic(policy: Policy, f: Finding): Diagnostic {
  const rule = policy.rules[f.rule]!;
  const span = rule.origin.span;
  const first = f.related.find((q) => q >= 0);
  switch (f.kind) {
    case 'shadowed': {
      const { related, more } = relatedOf(policy, f, (q) => `this earlier rule ${verb(q)} some of its flows first`);
      return diag('rule-shadowed', { verdict: past(policy.rules[first!]!.action) }, span, {
        related,
        hints: [`move the rule above the rules that cover it, or remove it`, ...more],
      });
    }
    case 'redundant-covered': {
      const same = f.related.every((q) => policy.rules[q]!.action === rule.action);
      const reason = `every flow it matches is already ${same ? past(rule.action) : 'decided'} by earlier rules`;
      const { related, more } = relatedOf(policy, f, (q) => `this earlier rule ${verb(q)} some of its flows first`);
      const logHint = rule.log && same ? ["its 'log' never takes effect: the earlier rules decide these flows"] : [];
      return diag('rule-redundant', { reason }, span, { related, hints: ['remove the rule', ...logHint, ...more] });
    }
    case 'redundant-fallthrough': {
      const toDefault = f.related.includes(-1);
      const who = toDefault ? (first !== undefined ? 'later rules and the default' : `the default (${policy.defaultAction})`) : 'later rules';
      const reason = `without it, ${who} would give every flow it decides the same verdict`;
      const { related, more } = relatedOf(policy, f, (q) => `this later rule ${verb(q)} them the same way`);
      const logHint = !rule.log && rule.action === 'deny' ? ["add 'log' if the point of the rule is to record these flows"] : [];
      return diag('rule-redundant', { reason }, span, { related, hints: ['remove the rule', ...logHint, ...more] });
    }
    case 'generalization': {
      const { related, more } = relatedOf(policy, f, (q) => `this earlier rule is an exception: it ${verb(q)} part of these flows`);
      return diag('rule-generalization', {}, span, {
        related,
        hints: ['fine if the exceptions are intended; otherwise move this rule above them', ...more],
      });
    }
    case 'correlated': {
      const { related, more } = relatedOf(policy, f, (q) => `this earlier rule ${verb(q)} the flows both match`);
      return diag('rule-correlated', {}, span, {
        related,
        hints: ['the flows both rules match follow the earlier one; split the rules so they do not overlap, or reorder them', ...more],
      });
    }
  }
}

export const ruleAnomalies: Check = {
  id: 'rule-anomalies',
  run(policy: Policy): Diagnostic[] {
    // External zones join the analysis as tiers (same rules, same indexes, same origins).
    const zoned = zonedPolicy(policy);
    const { shapes, facts } = analyzeRules(zoned);
    return classify(zoned, shapes, facts).map((f) => toDiagnostic(zoned, f));
  },
};
