// cli: `tierwall ir <file>`: the IR as JSON (schema: schemas/ir.schema.json), for tools and tests.
import { SourceFile } from '../../source/source-file.js';
import { analyze } from '../../pipeline.js';
import { readInput } from '../io.js';
import { EXIT, failed, printDiagnostics } from '../output.js';

export function runIr(file: string): number {
  const { name, text } = readInput(file);
  const source = new SourceFile(name, text);
  const a = analyze(source);
  printDiagnostics('text', a.diagnostics, new Map([[name, source]]));
  if (failed(a.diagnostics, false)) return EXIT.failed;
  process.stdout.write(`${JSON.stringify({ irVersion: 2, ...a.policy }, null, 2)}\n`);
  return EXIT.ok;
}
