// The pipeline: parse -> lower -> check -> emit. Each stage is also exported on its own.
// Input: source text. Output: the IR plus every diagnostic, and (compile) artifacts in memory.
import { SourceFile } from './source/source-file.js';
import { sortDiagnostics, hasErrors, diag, type Diagnostic } from './diagnostics/diagnostic.js';
import { parse } from './syntax/parse.js';
import { lowerPolicy } from './ir/lower.js';
import { runChecks, CHECKS } from './checks/registry.js';
import type { PolicyFile } from './syntax/ast.js';
import type { Policy } from './ir/types.js';

export { parse, lowerPolicy, runChecks };

/** Wall time spent per stage, for `--timings` and bench/. */
export interface StageTimings {
  parse: number;
  lower: number;
  checks: number;
  emit?: number;
  validate?: number;
}

export interface Analysis {
  readonly source: SourceFile;
  readonly ast: PolicyFile;
  readonly policy: Policy;
  /** Sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly timings: StageTimings;
}

/**
 * Checks that compare rules with each other: on a policy whose statements were partly dropped
 * for errors they would report consequences of the holes (a rule "redundant" only because the
 * rule before it failed to parse), so they wait until the earlier errors are fixed.
 */
const RULE_ORDER_CHECKS: ReadonlySet<string> = new Set(['rule-anomalies', 'service-checks']);

/** The front end: every problem of a file in one run, as far as it can be told. */
export function analyze(source: SourceFile): Analysis {
  const t0 = performance.now();
  const parsed = parse(source);
  const t1 = performance.now();
  const lowered = lowerPolicy(parsed.ast, source);
  const t2 = performance.now();
  const diagnostics: Diagnostic[] = [...parsed.diagnostics, ...lowered.diagnostics];
  if (!hasErrors(diagnostics)) {
    for (const d of runChecks(lowered.policy)) diagnostics.push(d); // no spread: it overflows past ~125k
  } else {
    for (const check of CHECKS) if (!RULE_ORDER_CHECKS.has(check.id)) for (const d of check.run(lowered.policy)) diagnostics.push(d);
  }
  const t3 = performance.now();
  return {
    source,
    ast: parsed.ast,
    policy: lowered.policy,
    diagnostics: sortDiagnostics(diagnostics),
    timings: { parse: t1 - t0, lower: t2 - t1, checks: t3 - t2 },
  };
}

export function analyzeText(name: string, text: string): Analysis {
  return analyze(new SourceFile(name, text));
}

/** Turns an unexpected exception into a diagnostic that says plainly it is a bug. */
export function internalError(error: unknown): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  return diag('internal-error', { detail }, undefined, {
    hints: ['this is a bug in tierwall; set TIERWALL_DEBUG=1 for a stack trace and report it with the policy'],
  });
}
