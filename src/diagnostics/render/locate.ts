// diagnostics/render: turns a Span into the line:col positions every renderer reports.
// Columns are SourceFile's: 1-based UTF-16 code units; `end` is exclusive (just past the span).
import type { SourceFile, Span } from '../../source/source-file.js';

/** A 1-based line/col plus the 0-based offset it came from (clamped to the text). */
export interface Point {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

/** Where a span is. start/end are undefined when its file is not among the sources. */
export interface Located {
  readonly file: string;
  readonly start: Point | undefined;
  readonly end: Point | undefined;
}

function point(source: SourceFile, offset: number): Point {
  const o = Math.max(0, Math.min(offset, source.text.length));
  const { line, col } = source.position(o); // no object spread: this runs twice per span rendered
  return { line, col, offset: o };
}

export function locate(span: Span, sources: ReadonlyMap<string, SourceFile>): Located {
  const source = sources.get(span.file);
  if (!source) return { file: span.file, start: undefined, end: undefined };
  const start = point(source, span.start);
  const end = point(source, Math.max(span.start, span.end)); // a reversed span is a bug: show it empty
  return { file: span.file, start, end };
}
