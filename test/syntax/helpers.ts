// test helpers for the syntax stage: marked sources (⟨…⟩ shows where a diagnostic must point),
// parsing a string, and comparing ASTs without their spans.
import { SourceFile } from '../../src/source/source-file.js';
import { parse } from '../../src/syntax/parse.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

export function source(text: string, name = 'test.policy'): SourceFile {
  return new SourceFile(name, text);
}

export function parseText(text: string) {
  return parse(source(text));
}

/**
 * `marked('tier a 10.0.0.0/24 ⟨allow⟩ a -> b;')` -> the text without markers and the marked spans
 * as [start, end) offsets, in order. `⟨⟩` marks an empty span (a missing token at the end).
 */
export function marked(withMarks: string): { text: string; spans: [number, number][] } {
  let text = '';
  const spans: [number, number][] = [];
  let open = -1;
  for (const ch of withMarks) {
    if (ch === '⟨') open = text.length;
    else if (ch === '⟩') spans.push([open, text.length]);
    else text += ch;
  }
  return { text, spans };
}

/** code@start-end for each diagnostic: what the tests compare. */
export function located(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${d.span?.start}-${d.span?.end}`);
}

/** Parses marked text and returns [actual, expected] located diagnostics, all with `code`. */
export function expectAt(withMarks: string, code: string): { actual: string[]; expected: string[] } {
  const { text, spans } = marked(withMarks);
  const { diagnostics } = parseText(text);
  return { actual: located(diagnostics), expected: spans.map(([s, e]) => `${code}@${s}-${e}`) };
}

/** A deep copy without `span` and `file` keys, for "same AST modulo spans". */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || k === 'file') continue;
      // `isolated` and `log` are spans-or-undefined: keep whether they are present.
      out[k] = (k === 'isolated' || k === 'log') ? v !== undefined : withoutSpans(v);
    }
    return out;
  }
  return value;
}
