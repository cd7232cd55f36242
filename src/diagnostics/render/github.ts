// diagnostics/render: GitHub Actions workflow commands, one `::error file=..,line=..::message` per
// diagnostic, escaped like @actions/core (escapeData / escapeProperty) so no value can end the command.
import type { SourceFile } from '../../source/source-file.js';
import type { Severity } from '../codes.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostic.js';
import { locate } from './locate.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** The command's message part: % CR LF percent-encoded. */
export function escapeData(s: string): string {
  if (!/[%\r\n]/.test(s)) return s; // the common case, without three passes over the text
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: like escapeData, plus ':' and ',' which delimit properties. */
export function escapeProperty(s: string): string {
  if (!/[%\r\n:,]/.test(s)) return s;
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** file, line, col, endLine, endColumn (exclusive, like SARIF); columns only on a one-line span. */
function properties(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>): [string, string | number][] {
  if (!d.span) return [['title', d.code]];
  const at = locate(d.span, sources);
  const props: [string, string | number][] = [['file', at.file]];
  if (at.start && at.end) {
    const oneLine = at.end.line === at.start.line; // the runner rejects col/endColumn across lines
    props.push(['line', at.start.line]);
    if (oneLine) props.push(['col', at.start.col]);
    props.push(['endLine', at.end.line]);
    if (oneLine) props.push(['endColumn', at.end.col]);
  }
  props.push(['title', d.code]);
  return props;
}

/** The annotation text: the message, then related locations and hints on their own lines. */
function text(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>): string {
  const related = d.related.map((r) => {
    const at = locate(r.span, sources);
    return `${at.file}${at.start ? `:${at.start.line}:${at.start.col}` : ''}: ${r.message}`;
  });
  return [d.message, ...related, ...d.hints.map((h) => `hint: ${h}`)].join('\n');
}

export function renderGithub(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = properties(d, sources).map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
      return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(text(d, sources))}\n`;
    })
    .join('');
}
