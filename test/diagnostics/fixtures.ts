// test helpers for the diagnostic renderers: sources, spans found by text, and the sample diagnostics.
import { SourceFile, type Span } from '../../src/source/source-file.js';
import { diag, type Diagnostic } from '../../src/diagnostics/diagnostic.js';

export function sourceMap(...files: SourceFile[]): Map<string, SourceFile> {
  return new Map(files.map((f) => [f.name, f]));
}

/** The span of the nth occurrence of `needle` in the file. */
export function spanOf(file: SourceFile, needle: string, nth = 0): Span {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = file.text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' #${nth} not in ${file.name}`);
  }
  return file.span(at, at + needle.length);
}

export const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Raw C0/C1 controls, bidi overrides and isolates: nothing of these may reach a terminal. */
export const UNSAFE_OUTPUT = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/u;

export const X = new SourceFile(
  'policies/x.policy',
  'policy x;\ndefault deny;\ntier a 10.0.1.0/24;\ntier b 10.0.0.0/16;\n',
);

/** The brief's example: an overlap with a related span and a hint. */
export function overlap(): Diagnostic {
  return diag(
    'cidr-overlap',
    { subnet: '10.0.0.0/16', tier: 'b', other: '10.0.1.0/24', otherTier: 'a' },
    spanOf(X, '10.0.0.0/16'),
    {
      related: [{ span: spanOf(X, '10.0.1.0/24'), message: 'first declared here' }],
      hints: ["give tier 'b' a subnet disjoint from 10.0.1.0/24"],
    },
  );
}

/** A diagnostic on `span` with no related spans or hints (message text is irrelevant to layout). */
export function at(span: Span | undefined, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return diag('syntax-error', { detail: 'expected ;' }, span, { severity });
}

/** The echoed source text above the marks of the first snippet: what the carets underline. */
export function underlined(out: string, marks = /[\^-]+/): string {
  const lines = stripAnsi(out).split('\n');
  const i = lines.findIndex((l, k) => k > 0 && /^\s*\d+ \|/.test(lines[k - 1]!) && /^\s* \| /.test(l));
  const source = lines[i - 1]!.replace(/^\s*\d+ \| ?/, '');
  const markLine = lines[i]!.replace(/^\s* \| /, '');
  const m = marks.exec(markLine)!;
  return source.slice(m.index, m.index + m[0].length);
}
