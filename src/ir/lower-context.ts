// ir: state shared by the lowering passes: the source (for origins) and the diagnostics list.
import type { SourceFile, Span } from '../source/source-file.js';
import { diag, type Diagnostic, type DiagnosticExtras } from '../diagnostics/diagnostic.js';
import type { Code } from '../diagnostics/codes.js';
import type { Origin } from './types.js';

export class LowerContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly source: SourceFile) {}

  origin(span: Span): Origin {
    const { line, col } = this.source.position(span.start);
    return { file: this.source.name, line, col, span };
  }

  report(code: Code, params: Record<string, string | number>, span: Span | undefined, extras?: DiagnosticExtras): void {
    this.diagnostics.push(diag(code, params, span, extras));
  }
}
