// cli: prints diagnostics in the chosen format and decides exit codes.
// Exit codes: 0 clean, 1 errors (or warnings with --strict), 2 usage, 3 internal error.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import { renderDiagnostics, type DiagnosticFormat } from '../diagnostics/render/index.js';
import { VERSION } from './version.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

export const FORMATS: readonly DiagnosticFormat[] = ['text', 'json', 'sarif', 'github'];

export function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/**
 * Text goes to stderr (it is commentary on the command's work); the machine formats go to
 * stdout so they can be piped into a file or an upload step.
 */
export function printDiagnostics(format: DiagnosticFormat, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>): void {
  if (format === 'text' && diagnostics.length === 0) return;
  const text = renderDiagnostics(format, diagnostics, sources, { color: useColor(), toolVersion: VERSION });
  (format === 'text' ? process.stderr : process.stdout).write(text);
}

export function failed(diagnostics: readonly Diagnostic[], strict: boolean): boolean {
  return diagnostics.some((d) => d.severity === 'error' || (strict && d.severity === 'warning'));
}
