// diagnostics/render: rustc-style text. Diagnostics + sources -> header, `--> file:line:col`, the source
// line with carets under the span, related spans underlined with '-', `= hint:` lines, then a summary.
import type { SourceFile } from '../../source/source-file.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostic.js';
import { painter, type Paint, type Style } from './ansi.js';
import { locate, type Located, type Point } from './locate.js';
import { countSeverities, summarize } from './summary.js';
import { displayLine, safeLines } from './terminal-text.js';

export interface TextOptions {
  /** ANSI colours; the CLI passes `isTTY && !NO_COLOR`. Default off. */
  readonly color?: boolean;
}

/** The echoed source line of a span's start and the display columns to underline on it. */
interface Snippet {
  readonly line: number;
  readonly text: string;
  readonly pad: number;
  readonly width: number;
}

/** A span crossing lines is underlined to the end of its first line; an empty one gets one mark. */
function snippet(source: SourceFile, start: Point, end: Point): Snippet {
  const raw = source.lineText(start.line);
  const from = Math.min(start.col - 1, raw.length);
  const to = end.line === start.line ? Math.max(from, Math.min(end.col - 1, raw.length)) : raw.length;
  const shown = displayLine(raw);
  const pad = shown.columns[from]!;
  return { line: start.line, text: shown.text, pad, width: Math.max(1, shown.columns[to]! - pad) };
}

/** Renders all diagnostics, sorted, then the summary line; '' when there are none. */
export function renderText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: TextOptions = {},
): string {
  const paint = painter(options.color === true);
  // Lines are joined into flat chunks as we go: a million small rope strings kept alive until one
  // final join made the young-generation GC copy them again and again (most of the time at 36k
  // diagnostics). Each chunk ends with '\n', so the chunks concatenate to the lines joined by '\n'.
  const chunks: string[] = [];
  let out: string[] = [];
  const flush = () => {
    if (out.length > 0) chunks.push(`${out.join('\n')}\n`);
    out = [];
  };
  for (const d of sortDiagnostics(diagnostics)) {
    for (const line of renderOne(d, sources, paint)) out.push(line);
    out.push('');
    if (out.length >= CHUNK_LINES) flush();
  }
  const summary = summarize(countSeverities(diagnostics));
  if (summary) out.push(paint(summary.severity, summary.severity) + paint('bold', `: ${summary.text}`));
  flush();
  return chunks.join('');
}

/** Lines per flushed chunk: large enough that chunks live outside the young generation. */
const CHUNK_LINES = 8192;

function renderOne(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>, paint: Paint): string[] {
  const primary = d.span && locate(d.span, sources);
  const related = d.related.map((r) => ({ where: locate(r.span, sources), label: r.message }));
  const lines = [primary, ...related.map((r) => r.where)].flatMap((w) => (w?.start ? [w.start.line] : []));
  const pad = ' '.repeat(String(Math.max(1, ...lines)).length);
  const bar = paint('gutter', `${pad} |`);
  const [first = '', ...rest] = safeLines(d.message);
  const out = [paint(d.severity, `${d.severity}[${d.code}]`) + paint('bold', `: ${first}`), ...rest.map((l) => paint('bold', l))];
  let shown = false; // a source block was printed: separate what follows with a bare gutter
  const block = (arrow: string, where: Located, mark: string, style: Style, label: string | undefined) => {
    if (shown) out.push(bar);
    const at = where.start ? `:${where.start.line}:${where.start.col}` : '';
    out.push(`${paint('gutter', `${pad}${arrow}`)} ${safeLines(where.file).join(' ')}${at}`);
    const source = sources.get(where.file);
    if (!source || !where.start || !where.end) {
      if (label !== undefined) out.push(...note(pad, 'note', label, paint));
      return;
    }
    const s = snippet(source, where.start, where.end);
    const [head = '', ...more] = label === undefined ? [] : safeLines(label);
    const marks = mark.repeat(s.width) + (label === undefined ? '' : ` ${head}`);
    out.push(bar, `${paint('gutter', `${String(s.line).padStart(pad.length)} |`)}${s.text ? ` ${s.text}` : ''}`);
    out.push(`${bar} ${' '.repeat(s.pad)}${paint(style, marks)}`);
    const indent = ' '.repeat(s.pad + s.width + 1);
    for (const m of more) out.push(`${bar} ${indent}${paint(style, m)}`);
    shown = true;
  };
  if (primary) block('-->', primary, '^', d.severity, undefined);
  for (const r of related) block(':::', r.where, '-', 'gutter', r.label);
  if (shown && d.hints.length > 0) out.push(bar);
  for (const h of d.hints) out.push(...note(pad, 'hint', h, paint));
  return out;
}

/** `= hint: text`, continuation lines aligned under the text. */
function note(pad: string, kind: string, text: string, paint: Paint): string[] {
  const [head = '', ...more] = safeLines(text);
  const indent = ' '.repeat(pad.length + kind.length + 5);
  return [`${paint('gutter', `${pad} =`)} ${paint('bold', `${kind}:`)} ${head}`, ...more.map((m) => indent + m)];
}
