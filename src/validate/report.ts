// validate: problems as words and as `validation-failed` diagnostics. The span points at what the
// policy says (rule, default or tier); the ruleset's side goes into hints (rules.v4 is no source file).
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Origin } from '../ir/types.js';
import type { ActualCause, ActualDecision, ExpectedDecision, FlowProblem, ProbedClass, RuleRef, ValidationProblem, ValidationResult } from './types.js';

export const RULES_ARTIFACT = 'rules.v4';

const VERB: Readonly<Record<string, string>> = { ACCEPT: 'accepts', DROP: 'drops', RETURN: 'returns to Docker', SPLIT: 'splits', UNDECIDED: 'cannot decide' };

const where = (o: Origin | undefined): string => (o ? `${o.file}:${o.line}` : 'implicit');

export function describeFlow(f: ProbedClass): string {
  const ports = f.lo === undefined ? '' : f.lo === 1 && f.hi === 65535 ? '/any' : f.lo === f.hi ? `/${f.lo}` : `/${f.lo}-${f.hi}`;
  const end = (name: string, addr: string): string => (name === addr ? name : `${name} (${addr})`);
  return `${f.state} ${f.proto}${ports} from ${end(f.src, f.srcAddress)} to ${end(f.dst, f.dstAddress)}`;
}

export function describeExpected(e: ExpectedDecision): string {
  const r = e.reason;
  const verb = `${VERB[e.verdict]}${e.log ? ' and logs' : ''}`;
  switch (r.kind) {
    case 'rule':
      return `${verb} it (rule at ${where(r.origin)})`;
    case 'default':
      return `${verb} it (${r.origin ? `default at ${where(r.origin)}` : 'implicit default'})`;
    case 'intra-tier':
      return `${verb} it (${r.isolated ? 'isolated' : 'non-isolated'} tier at ${where(r.origin)})`;
    case 'foreign':
      return 'leaves it to Docker: an address outside every tier is not tierwall\'s to decide';
    case 'established':
      return 'accepts it: packets of established connections always pass';
  }
}

export function describeRule(r: RuleRef): string {
  const comment = r.comment === undefined ? '' : ` "${r.comment}"`;
  return r.line === 0 ? `the entry rule in DOCKER-USER${comment}` : `${r.chain} rule ${r.num} (${RULES_ARTIFACT}:${r.line}${comment})`;
}

function describeCause(c: ActualCause): string {
  return c.kind === 'end' ? `the end of chain ${c.chain}` : describeRule(c.rule);
}

export function describeActual(a: ActualDecision): string {
  const logged = a.logs.length > 0 ? ' and logs' : '';
  if (a.verdict === 'SPLIT') return `treats only part of the tier's addresses alike at ${describeCause(a.cause)}`;
  if (a.verdict === 'UNDECIDED') return `matches by what the packet does not show (a port after Docker's DNAT, or an established packet's direction) at ${describeCause(a.cause)}`;
  return `${VERB[a.verdict]}${logged} it at ${describeCause(a.cause)}`;
}

export function describeProblem(p: ValidationProblem): string {
  if (p.kind === 'ruleset') return p.line === 0 ? p.reason : `line ${p.line}: ${p.reason}`;
  return `${describeFlow(p.flow)}: the ruleset ${describeActual(p.actual)}, but the policy ${describeExpected(p.expected)}`;
}

function spanOf(p: FlowProblem): Origin | undefined {
  const r = p.expected.reason;
  return r.kind === 'rule' || r.kind === 'default' || r.kind === 'intra-tier' ? r.origin : undefined;
}

const BUG_HINT = "this is a bug in tierwall's iptables backend; please report it with the policy";

/** One problem as a `validation-failed` error diagnostic. */
export function problemDiagnostic(p: ValidationProblem): Diagnostic {
  const params = { artifact: RULES_ARTIFACT, detail: describeProblem(p) };
  if (p.kind === 'ruleset') {
    const line = p.line === 0 ? `entry rule: ${p.text}` : `${RULES_ARTIFACT}:${p.line}: ${p.text}`;
    return diag('validation-failed', params, undefined, { hints: [line, BUG_HINT] });
  }
  const hints: string[] = [];
  for (const l of p.actual.logs) hints.push(`logged by ${describeRule(l.rule)}${l.prefix === undefined ? '' : ` with prefix "${l.prefix}"`}: ${l.rule.text}`);
  if (p.actual.cause.kind === 'rule') hints.push(`decided by: ${p.actual.cause.rule.text}`);
  hints.push(BUG_HINT);
  return diag('validation-failed', params, spanOf(p)?.span, { hints });
}

/** The diagnostics of a result: none when it is ok; one per problem, and a note of the omitted ones. */
export function validationDiagnostics(result: ValidationResult): Diagnostic[] {
  if (result.ok) return [];
  const out = result.problems.map(problemDiagnostic);
  if (result.omitted > 0) {
    out.push(diag('validation-failed', { artifact: RULES_ARTIFACT, detail: `${result.omitted} more problem(s) not listed` }, undefined));
  }
  return out;
}
