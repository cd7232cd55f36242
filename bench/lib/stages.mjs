// bench: stage times the CLI does not report, each measurement in a process of its own (bench/run
// kills it after a timeout): the front end as `check` runs it (parse, lower, checks, rendering the
// diagnostics as text), and the emit time of one backend (`compile --timings` reports all backends
// of a target as one number). bench/run bundles this file with esbuild from src/ into
// bench/.work/tw/dist/stages.mjs, next to its CLI build (templates/ is found from there).
// Usage: node stages.mjs POLICY front            -> {parseMs, lowerMs, checksMs, renderMs, diagnostics}
//        node stages.mjs POLICY emit BACKEND     -> {frontMs, emitMs, artifacts, bytes} (checks skipped)
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/source/source-file.js';
import { lowerPolicy, parse, runChecks } from '../../src/pipeline.js';
import { renderText } from '../../src/diagnostics/render/index.js';
import { hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { backend as iptables } from '../../src/backends/iptables/backend.js';
import { backend as installer } from '../../src/backends/installer/backend.js';
import { backend as systemd } from '../../src/backends/systemd/backend.js';
import { backend as logging } from '../../src/backends/logging/backend.js';
import { backend as compose } from '../../src/backends/compose/backend.js';
import { backend as report } from '../../src/backends/report/backend.js';

const BACKENDS = { iptables, installer, systemd, logging, compose, report };

const [file, mode, name] = process.argv.slice(2);
if (!file || !(mode === 'front' || (mode === 'emit' && BACKENDS[name]))) {
  process.stderr.write(`usage: stages.mjs POLICY front | stages.mjs POLICY emit (${Object.keys(BACKENDS).join('|')})\n`);
  process.exit(2);
}
const print = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const t0 = performance.now();
const source = new SourceFile(file, readFileSync(file, 'utf8'));
const parsed = parse(source);
const t1 = performance.now();
const lowered = lowerPolicy(parsed.ast, source);
const t2 = performance.now();
if (mode === 'emit') {
  const result = BACKENDS[name].generate(lowered.policy);
  const t3 = performance.now();
  const bytes = result.artifacts.reduce((n, a) => n + Buffer.byteLength(a.content), 0);
  print({ frontMs: t2 - t0, emitMs: t3 - t2, artifacts: result.artifacts.length, bytes });
} else {
  // As pipeline.analyze: checks only run on a policy without parse or lowering errors.
  const diagnostics = [...parsed.diagnostics, ...lowered.diagnostics];
  if (!hasErrors(diagnostics)) diagnostics.push(...runChecks(lowered.policy));
  const t3 = performance.now();
  const text = renderText(sortDiagnostics(diagnostics), new Map([[file, source]]), { color: false });
  const t4 = performance.now();
  print({ parseMs: t1 - t0, lowerMs: t2 - t1, checksMs: t3 - t2, renderMs: t4 - t3, diagnostics: diagnostics.length, textBytes: Buffer.byteLength(text) });
}
