// cli: `tierwall fmt <files...> [--check|--write]`: canonical formatting. Without a flag the
// formatted text goes to stdout; --check lists files that would change; --write rewrites them.
import { SourceFile } from '../../source/source-file.js';
import { format } from '../../syntax/format.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { readInput, writeFileAtomic } from '../io.js';
import { EXIT, printDiagnostics } from '../output.js';

export interface FmtOptions {
  check?: boolean;
  write?: boolean;
}

export function runFmt(files: string[], opts: FmtOptions): number {
  const sources = new Map<string, SourceFile>();
  const problems: Diagnostic[] = [];
  let status: number = EXIT.ok;
  for (const f of files) {
    const { name, text } = readInput(f);
    const source = new SourceFile(name, text);
    sources.set(name, source);
    const r = format(source);
    if (r.diagnostics.some((d) => d.severity === 'error')) {
      // A file that does not parse is left exactly as it is.
      for (const d of r.diagnostics) problems.push(d);
      status = EXIT.failed;
      continue;
    }
    const changed = r.text !== text;
    if (opts.check) {
      if (changed) {
        process.stdout.write(`${name}\n`);
        status = EXIT.failed;
      }
    } else if (opts.write) {
      if (changed && f !== '-') writeFileAtomic(f, r.text);
      else if (f === '-') process.stdout.write(r.text);
    } else {
      process.stdout.write(r.text);
    }
  }
  printDiagnostics('text', problems, sources);
  if (opts.check && status === EXIT.failed && problems.length === 0) {
    process.stderr.write('tierwall: the files above are not formatted; run tierwall fmt --write\n');
  }
  return status;
}
