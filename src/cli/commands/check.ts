// cli: `tierwall check <files...>`: runs the front end on each file and reports diagnostics.
import { SourceFile } from '../../source/source-file.js';
import { analyze } from '../../pipeline.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticFormat } from '../../diagnostics/render/index.js';
import { readInput } from '../io.js';
import { EXIT, failed, printDiagnostics } from '../output.js';

export interface CheckOptions {
  format: DiagnosticFormat;
  strict?: boolean;
}

export function runCheck(files: string[], opts: CheckOptions): number {
  const sources = new Map<string, SourceFile>();
  const all: Diagnostic[] = [];
  for (const f of files) {
    const { name, text } = readInput(f);
    const source = new SourceFile(name, text);
    sources.set(name, source);
    for (const d of analyze(source).diagnostics) all.push(d); // no spread: it overflows past ~125k
  }
  printDiagnostics(opts.format, all, sources);
  return failed(all, opts.strict ?? false) ? EXIT.failed : EXIT.ok;
}
