// bench: the emit time of one backend, in a process of its own (bench/run kills it after a
// timeout), because `compile --timings` reports all backends of a target as one number.
// bench/run bundles this file with esbuild from src/ into bench/.work/tw/dist/emit-one.mjs, next
// to the CLI snapshot (templates/ is found from there). Checks are skipped: backends need the IR.
// Usage: node emit-one.mjs POLICY BACKEND -> one JSON line {frontMs, emitMs, artifacts, bytes}.
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/source/source-file.js';
import { lowerPolicy, parse } from '../../src/pipeline.js';
import { backend as iptables } from '../../src/backends/iptables/backend.js';
import { backend as installer } from '../../src/backends/installer/backend.js';
import { backend as systemd } from '../../src/backends/systemd/backend.js';
import { backend as logging } from '../../src/backends/logging/backend.js';
import { backend as compose } from '../../src/backends/compose/backend.js';
import { backend as report } from '../../src/backends/report/backend.js';

const BACKENDS = { iptables, installer, systemd, logging, compose, report };

const [file, name] = process.argv.slice(2);
const backend = BACKENDS[name];
if (!file || !backend) {
  process.stderr.write(`usage: emit-one.mjs POLICY (${Object.keys(BACKENDS).join('|')})\n`);
  process.exit(2);
}
const t0 = performance.now();
const source = new SourceFile(file, readFileSync(file, 'utf8'));
const { policy } = lowerPolicy(parse(source).ast, source);
const t1 = performance.now();
const result = backend.generate(policy);
const t2 = performance.now();
const bytes = result.artifacts.reduce((n, a) => n + Buffer.byteLength(a.content), 0);
process.stdout.write(`${JSON.stringify({ frontMs: t1 - t0, emitMs: t2 - t1, artifacts: result.artifacts.length, bytes })}\n`);
