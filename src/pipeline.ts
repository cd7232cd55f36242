// The pipeline: parse -> lower -> check -> emit. Each stage is also exported on its own.
// Input: source text. Output: the IR plus every diagnostic, and (compile) artifacts in memory.
import { SourceFile } from './source/source-file.js';
import { sortDiagnostics, hasErrors, diag, type Diagnostic } from './diagnostics/diagnostic.js';
import { parse } from './syntax/parse.js';
import { lowerPolicy } from './ir/lower.js';
import { runChecks } from './checks/registry.js';
import type { PolicyFile } from './syntax/ast.js';
import type { Policy } from './ir/types.js';

export { parse, lowerPolicy, runChecks };

/** Wall time spent per stage, for `--timings` and bench/. */
export interface StageTimings {
  parse: number;
  lower: number;
  checks: number;
  emit?: number;
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
 * The front end. Checks run only when parsing and lowering found no error: checking a policy
 * with holes in it would report consequences of the holes, not new problems.
 */
export function analyze(source: SourceFile): Analysis {
  const t0 = performance.now();
  const parsed = parse(source);
  const t1 = performance.now();
  const lowered = lowerPolicy(parsed.ast, source);
  const t2 = performance.now();
  const diagnostics: Diagnostic[] = [...parsed.diagnostics, ...lowered.diagnostics];
  if (!hasErrors(diagnostics)) diagnostics.push(...runChecks(lowered.policy));
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
