// diagnostics/render: stable machine-readable JSON (schemas/diagnostics.schema.json, version 1).
// Diagnostics + sources -> one pretty-printed document with a trailing newline, sorted like the text.
import type { SourceFile, Span } from '../../source/source-file.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostic.js';
import { locate, type Point } from './locate.js';
import { countSeverities, type SeverityCounts } from './summary.js';

/** A location in the JSON output; start/end are null when there is no span or its file is unknown. */
export interface JsonLocation {
  readonly file: string | null;
  readonly start: Point | null;
  readonly end: Point | null;
}

export interface JsonDiagnostic extends JsonLocation {
  readonly code: string;
  readonly severity: Diagnostic['severity'];
  readonly message: string;
  readonly related: readonly (JsonLocation & { readonly message: string })[];
  readonly hints: readonly string[];
}

/** The whole document; bump `version` on any incompatible change. */
export interface JsonReport {
  readonly version: 1;
  readonly diagnostics: readonly JsonDiagnostic[];
  readonly summary: SeverityCounts;
}

function where(span: Span | undefined, sources: ReadonlyMap<string, SourceFile>): JsonLocation {
  if (!span) return { file: null, start: null, end: null };
  const at = locate(span, sources);
  return { file: at.file, start: at.start ?? null, end: at.end ?? null };
}

export function jsonReport(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>): JsonReport {
  return {
    version: 1,
    diagnostics: sortDiagnostics(diagnostics).map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...where(d.span, sources),
      related: d.related.map((r) => ({ message: r.message, ...where(r.span, sources) })),
      hints: [...d.hints],
    })),
    summary: countSeverities(diagnostics),
  };
}

export function renderJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>): string {
  return `${JSON.stringify(jsonReport(diagnostics, sources), null, 2)}\n`;
}
