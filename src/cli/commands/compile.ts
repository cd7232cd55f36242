// cli: `tierwall compile <file> -o <dir>`: refuses to emit when the policy has errors; writes
// only changed files, atomically.
import { SourceFile } from '../../source/source-file.js';
import { compile } from '../../compile.js';
import type { DiagnosticFormat } from '../../diagnostics/render/index.js';
import { readInput, writeArtifacts } from '../io.js';
import { EXIT, failed, printDiagnostics } from '../output.js';

export interface CompileOptions {
  output: string;
  target: string;
  format: DiagnosticFormat;
  strict?: boolean;
  timings?: boolean;
  namespace?: string;
  dnsEgress?: boolean;
  monitoringTier?: string;
  prometheusImage?: string;
  nodeExporterImage?: string;
  /** commander's --no-validate sets validate: false. */
  validate?: boolean;
}

export async function runCompile(file: string, opts: CompileOptions): Promise<number> {
  const { name, text } = readInput(file);
  const source = new SourceFile(name, text);
  const noValidate = opts.validate === false;
  if (noValidate) {
    process.stderr.write('tierwall: WARNING: --no-validate: the generated rules are NOT checked against the policy; use only in an emergency\n');
  }
  const result = await compile(source, opts.target, {
    namespace: opts.namespace,
    dnsEgress: opts.dnsEgress,
    monitoringTier: opts.monitoringTier,
    prometheusImage: opts.prometheusImage,
    nodeExporterImage: opts.nodeExporterImage,
    noValidate,
  });
  printDiagnostics(opts.format, result.diagnostics, new Map([[name, source]]));
  if (failed(result.diagnostics, opts.strict ?? false) || result.artifacts.length === 0) {
    process.stderr.write(`tierwall: nothing written to ${opts.output}: fix the errors above\n`);
    return EXIT.failed;
  }
  const t0 = performance.now();
  const w = writeArtifacts(opts.output, result.artifacts);
  const write = performance.now() - t0;
  process.stderr.write(`tierwall: ${opts.output}: ${w.written.length} written, ${w.unchanged.length} unchanged\n`);
  if (opts.timings) {
    const t = result.timings;
    const ms = (x: number | undefined) => (x ?? 0).toFixed(1);
    process.stderr.write(`timings (ms): parse ${ms(t.parse)} lower ${ms(t.lower)} checks ${ms(t.checks)} emit ${ms(t.emit)} validate ${ms(t.validate)} write ${ms(write)}\n`);
  }
  return EXIT.ok;
}
