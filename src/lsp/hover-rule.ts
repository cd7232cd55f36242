// lsp: the hover of a rule. Input: PolicyDocument + RuleDecl. Output: markdown: the rule, how many
// flow classes it decides, the evaluator's verdict per class, and the anomaly diagnostics on it.
import type { RuleDecl } from '../syntax/ast.js';
import type { Policy } from '../ir/types.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { describeService } from '../eval/query.js';
import type { Verdict } from '../eval/evaluate.js';
import type { PolicyDocument } from './documents.js';
import { summarizeRule, type ClassVerdict } from './rule-summary.js';

/** Rows of the verdict table; the count says how many more there are. */
export const MAX_ROWS = 12;

export function ruleHover(pd: PolicyDocument, decl: RuleDecl): string {
  const { analysis } = pd;
  const source = analysis.source;
  const out = ['```tierwall', ruleText(pd, decl), '```', ''];
  const rule = analysis.policy.rules.find((r) => r.origin.span.start === decl.span.start);
  if (!rule) {
    out.push('_Not evaluated: this rule has errors (see the diagnostics)._');
    return out.join('\n');
  }
  const policy = analysis.policy;
  out.push(`Rule ${rule.index + 1} of ${policy.rules.length} (the first rule that matches a flow decides it).`);
  if (hasErrors(analysis.diagnostics)) out.push('', '_The policy has errors: verdicts are those of the parts that are valid._');
  const summary = summarizeRule(policy, rule);
  out.push('', decidedLine(summary.decided, summary.classes.length, summary.truncated));
  if (summary.classes.length > 0) out.push('', ...table(policy, summary.classes));
  // Anomalies are reported on the whole rule, rule-self checks on an endpoint: both are inside it.
  const onRule = analysis.diagnostics.filter((d) => d.span && d.span.start >= decl.span.start && d.span.end <= decl.span.end);
  for (const d of onRule) {
    out.push('', `**${d.code}** (${d.severity}): ${d.message}`);
    for (const r of d.related) out.push(`- line ${source.position(r.span.start).line}: ${r.message}`);
  }
  return out.join('\n');
}

/** The rule on one line, without the comments written inside it. */
function ruleText({ analysis }: PolicyDocument, decl: RuleDecl): string {
  let text = '';
  let at = decl.span.start;
  for (const c of analysis.ast.comments) {
    if (c.span.start < at || c.span.end > decl.span.end) continue;
    text += analysis.source.text.slice(at, c.span.start);
    at = c.span.end;
  }
  text += analysis.source.text.slice(at, decl.span.end);
  return text.replace(/\s+/g, ' ');
}

function decidedLine(decided: number, matched: number, truncated: boolean): string {
  const classes = `${matched} flow class${matched === 1 ? '' : 'es'}${truncated ? ' evaluated (of more)' : ''}`;
  if (matched === 0) return 'Matches no flow between two different tiers, nor between a tier and the outside.';
  if (decided === 0) return `Decides **none** of the ${classes} it matches: earlier rules decide them.`;
  if (decided === matched) return `Decides **all** of the ${classes} it matches.`;
  return `Decides **${decided}** of the ${classes} it matches; earlier rules decide the rest.`;
}

function table(policy: Policy, classes: readonly ClassVerdict[]): string[] {
  const rows = ['| flow | verdict | decided by |', '|---|---|---|'];
  for (const c of classes.slice(0, MAX_ROWS)) {
    const flow = `${c.flow.src} -> ${c.flow.dst} ${describeService(c.flow)}`;
    rows.push(`| \`${flow}\` | ${verdictText(c.verdict)} | ${c.byThisRule ? 'this rule' : reasonText(policy, c.verdict)} |`);
  }
  if (classes.length > MAX_ROWS) rows.push(`| … ${classes.length - MAX_ROWS} more | | |`);
  return rows;
}

const verdictText = (v: Verdict): string => (v.log ? `${v.action}, logged` : v.action);

function reasonText(policy: Policy, v: Verdict): string {
  switch (v.reason.kind) {
    case 'rule': // first match: a class this rule matches but does not decide is decided earlier
      return `rule ${v.reason.rule.index + 1} (line ${v.reason.rule.origin.line})`;
    case 'default':
      return `the default (${policy.defaultAction})`;
    case 'intra-tier':
      return v.reason.isolated ? 'isolation' : 'intra-tier';
  }
}
