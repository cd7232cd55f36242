// lsp: compiler diagnostics -> LSP diagnostics. Input: PolicyDocument. Output: what
// textDocument/publishDiagnostics carries: the same codes, spans and related spans as `tierwall check`.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Code, Severity } from '../diagnostics/codes.js';
import { toRange, type PolicyDocument } from './documents.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Rules that never decide anything: editors fade them out (DiagnosticTag.Unnecessary). */
const UNNECESSARY: ReadonlySet<Code> = new Set<Code>(['rule-shadowed', 'rule-redundant', 'rule-matches-nothing', 'intra-tier-rule']);

export function toLspDiagnostics(pd: PolicyDocument): LspDiagnostic[] {
  return pd.analysis.diagnostics.map((d) => toLspDiagnostic(pd.doc, d));
}

/** Every span of a diagnostic is in the document it was found in (one file per analysis). */
export function toLspDiagnostic(doc: TextDocument, d: Diagnostic): LspDiagnostic {
  const at = (span: Diagnostic['span']) => (span ? toRange(doc, span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  // Hints go into the message, one per line, as `check` prints them under the carets.
  const message = [d.message, ...d.hints.map((h) => `hint: ${h}`)].join('\n');
  const related: DiagnosticRelatedInformation[] = d.related.map((r) => ({ location: { uri: doc.uri, range: at(r.span) }, message: r.message }));
  const out: LspDiagnostic = { range: at(d.span), severity: SEVERITY[d.severity], code: d.code, source: 'tierwall', message };
  if (related.length > 0) out.relatedInformation = related;
  if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
  return out;
}
