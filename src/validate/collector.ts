// validate: gathers problems in the order they are found, joins adjacent port classes that fail the
// same way into one problem, and keeps at most MAX_PROBLEMS (a broken dispatch can fail millions).
import type { ExpectedDecision, ProbedClass, RulesetProblem, ValidationProblem, ValidationResult } from './types.js';
import type { Outcome } from './walk.js';
import type { LogTrail } from './svc-set.js';
import type { Citer } from './cite.js';

export const MAX_PROBLEMS = 50;

interface Pending {
  readonly flow: ProbedClass;
  readonly expected: ExpectedDecision;
  readonly outcome: Outcome;
}

function sameTrail(a: LogTrail | undefined, b: LogTrail | undefined): boolean {
  for (; a && b; a = a.prev, b = b.prev) if (a.rule !== b.rule) return false;
  return a === b;
}

/** Does `next` continue `last`: same probe and state, the next ports, failing for the same reasons? */
function continues(last: Pending, next: Pending): boolean {
  const f = last.flow;
  const g = next.flow;
  return f.src === g.src && f.dst === g.dst && f.proto === g.proto && f.state === g.state
    && f.hi !== undefined && g.lo === f.hi + 1
    && last.expected === next.expected
    && last.outcome.verdict === next.outcome.verdict && last.outcome.cause === next.outcome.cause
    && sameTrail(last.outcome.logs, next.outcome.logs);
}

export class Collector {
  private readonly problems: ValidationProblem[] = [];
  private omitted = 0;
  private last: Pending | undefined;

  constructor(private readonly citer: Citer) {}

  get count(): number {
    return this.problems.length + this.omitted + (this.last ? 1 : 0);
  }

  ruleset(p: RulesetProblem): void {
    this.flush();
    this.push(p);
  }

  flow(flow: ProbedClass, expected: ExpectedDecision, outcome: Outcome): void {
    const next = { flow, expected, outcome };
    if (this.last && continues(this.last, next)) {
      this.last = { ...this.last, flow: { ...this.last.flow, hi: flow.hi } };
      return;
    }
    this.flush();
    this.last = next;
  }

  result(classes: number): ValidationResult {
    this.flush();
    if (this.problems.length === 0) return { ok: true, classes };
    return { ok: false, problems: this.problems, omitted: this.omitted };
  }

  private flush(): void {
    const p = this.last;
    if (!p) return;
    this.last = undefined;
    if (this.problems.length >= MAX_PROBLEMS) this.omitted++;
    else this.push({ kind: 'flow', flow: p.flow, expected: p.expected, actual: this.citer.actual(p.outcome) });
  }

  private push(p: ValidationProblem): void {
    if (this.problems.length >= MAX_PROBLEMS) this.omitted++;
    else this.problems.push(p);
  }
}
