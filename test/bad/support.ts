// test support (hostile inputs): diagnostics as `code line:col-line:col text` entries for the catalogue
// manifest, the invariants every answer to hostile text must keep, and the CLI run under a time and
// memory meter. Shared by test/bad, test/fuzz and test/injection.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODES } from '../../src/diagnostics/codes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { SourceFile } from '../../src/source/source-file.js';
import { BIN, ROOT } from '../support/cli.js';

/** One expected diagnostic: [code, "line:col-line:col", source text under the span (shortened)]. */
export type Entry = readonly [code: string, span: string, text: string];

/** Longer span texts are cut to their first 37 characters and '...', so the manifest stays readable. */
export const MAX_SHOWN = 40;

export function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** `line:col-line:col`, 1-based, columns in UTF-16 code units, end exclusive (as every renderer shows). */
export function spanText(source: SourceFile, start: number, end: number): string {
  const a = source.position(start);
  const b = source.position(end);
  return `${a.line}:${a.col}-${b.line}:${b.col}`;
}

/** The manifest form of one diagnostic; a diagnostic without a span has position '-' and text ''. */
export function entry(source: SourceFile, d: Diagnostic): Entry {
  if (!d.span) return [d.code, '-', ''];
  return [d.code, spanText(source, d.span.start, d.span.end), shorten(source.text.slice(d.span.start, d.span.end))];
}

/**
 * What every answer to any text must satisfy, whatever the text: known codes, severities as the code
 * table says (analyze never overrides them; compile's backends may, so `tableSeverity: false` there),
 * spans inside this file and not reversed, a message, and never internal-error. Returns the violations (empty = fine), so property tests can show them.
 */
export function invariantViolations(source: SourceFile, ds: readonly Diagnostic[], opts: { tableSeverity?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const d of ds) {
    const where = `${d.code}@${d.span?.start}-${d.span?.end}`;
    if (!Object.hasOwn(CODES, d.code)) out.push(`${where}: unknown code`);
    else if ((opts.tableSeverity ?? true) && d.severity !== CODES[d.code].severity) out.push(`${where}: severity ${d.severity}, table says ${CODES[d.code].severity}`);
    if (d.code === 'internal-error') out.push(`${where}: internal error: ${d.message}`);
    if (typeof d.message !== 'string' || d.message.length === 0) out.push(`${where}: empty message`);
    for (const s of [d.span, ...d.related.map((r) => r.span)]) {
      if (s === undefined) continue;
      if (s.file !== source.name) out.push(`${where}: span in another file ${s.file}`);
      if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= source.text.length)) {
        out.push(`${where}: span ${s.start}-${s.end} outside 0-${source.text.length}`);
      }
    }
  }
  return out;
}

/** Signs of a crash in a process's output: JS stack frames or the names of the usual exceptions. */
export const CRASH_SIGNS = /^\s{4}at |\b(TypeError|RangeError|ReferenceError|SyntaxError|FATAL ERROR)\b|internal error/m;

/** Characters that must never reach a terminal raw from the text renderer (tab and newline aside). */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export interface MeteredRun {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall seconds, always measured. */
  readonly wall: number;
  /** user + system CPU seconds and peak RSS in MB, from /usr/bin/time when it exists. */
  readonly cpu: number | undefined;
  readonly maxRssMb: number | undefined;
}

const TIME = '/usr/bin/time';

/**
 * Runs the built CLI (bin/tierwall.js) with a 512 MB V8 heap, under /usr/bin/time when available:
 * CPU time, not wall time, is what the bounds check (a loaded CI machine stretches wall time).
 */
export function meteredCli(args: readonly string[], opts: { timeoutMs?: number; heapMb?: number } = {}): MeteredRun {
  const node = [process.execPath, `--max-old-space-size=${opts.heapMb ?? 512}`, BIN, ...args];
  const dir = mkdtempSync(join(tmpdir(), 'tw-meter-'));
  const stats = join(dir, 'time');
  const metered = existsSync(TIME);
  const t0 = performance.now();
  try {
    const r = metered
      ? spawnSync(TIME, ['-f', '%U %S %M', '-o', stats, ...node], { cwd: ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 })
      : spawnSync(node[0]!, node.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
    const wall = (performance.now() - t0) / 1000;
    let cpu: number | undefined;
    let maxRssMb: number | undefined;
    if (metered && existsSync(stats)) {
      // GNU time writes "Command exited with non-zero status N" first when the command fails.
      const last = readFileSync(stats, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      if (last.length === 3 && last.every((x) => Number.isFinite(x))) {
        cpu = last[0]! + last[1]!;
        maxRssMb = last[2]! / 1024;
      }
    }
    return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wall, cpu, maxRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keys of the IR that say where something was written (origin, defaultOrigin, span, subnetSpan, ...). */
const WHERE = /^(origin|defaultOrigin|span)$|Spans?$|Origin$/;

/** The IR without where things were written: what two texts of one policy must share. */
export function comparableIr(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparableIr);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!WHERE.test(k)) out[k] = comparableIr(v);
    return out;
  }
  return value;
}
