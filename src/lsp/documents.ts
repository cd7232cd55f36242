// lsp: the analysis of each open document, computed once per version, and the conversions between
// compiler spans and LSP ranges. Input: TextDocument. Output: PolicyDocument (document + Analysis).
import { fileURLToPath } from 'node:url';
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SourceFile, type Span } from '../source/source-file.js';
import { analyze, type Analysis } from '../pipeline.js';

/** A document as the editor has it, with the front end's view of the same text. */
export interface PolicyDocument {
  readonly doc: TextDocument;
  readonly analysis: Analysis;
}

/**
 * The name the compiler sees for a document: the file path for `file:` URIs (policy names derive
 * from it, as in `tierwall check`), the URI itself for anything else (untitled buffers).
 */
export function sourceName(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A file: URI that is not a path on this platform; the URI still names it.
    }
  }
  return uri;
}

/**
 * LSP positions count UTF-16 code units, and so do JS string indices, which are what SourceFile
 * offsets are: a span maps to a range without re-encoding.
 */
export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export class AnalysisCache {
  // TextDocument.update mutates the document in place, so the version is kept beside it.
  private readonly entries = new Map<string, { readonly version: number; readonly entry: PolicyDocument }>();

  /** The analysis of the document's current version. */
  get(doc: TextDocument): PolicyDocument {
    const cached = this.entries.get(doc.uri);
    if (cached && cached.version === doc.version && cached.entry.doc === doc) return cached.entry;
    const entry = { doc, analysis: analyze(new SourceFile(sourceName(doc.uri), doc.getText())) };
    this.entries.set(doc.uri, { version: doc.version, entry });
    return entry;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
