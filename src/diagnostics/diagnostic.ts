// diagnostics: the one Diagnostic type every stage reports with, and a collector.
// Stages report, they don't throw; `throw` is for bugs (rendered as internal-error).
import type { Span } from '../source/source-file.js';
import { CODES, type Code, type Severity } from './codes.js';

/** A secondary location: "first declared here". */
export interface Related {
  readonly span: Span;
  readonly message: string;
}

/** One problem found in a policy, with a stable code (see docs/diagnostics.md). */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span | undefined;
  readonly related: readonly Related[];
  readonly hints: readonly string[];
}

export interface DiagnosticExtras {
  related?: readonly Related[];
  hints?: readonly string[];
  /** Overrides the code's default severity (e.g. --strict, backend capability errors). */
  severity?: Severity;
}

/** Builds a diagnostic whose message comes from the code's formatter. */
export function diag(
  code: Code,
  params: Record<string, string | number>,
  span: Span | undefined,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const entry = CODES[code];
  return {
    code,
    severity: extras.severity ?? entry.severity,
    message: entry.message(params),
    span,
    related: extras.related ?? [],
    hints: extras.hints ?? [],
  };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Stable order for output: by file, offset, then code. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.span?.file ?? '';
    const fb = b.span?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const sa = a.span?.start ?? -1;
    const sb = b.span?.start ?? -1;
    if (sa !== sb) return sa - sb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
