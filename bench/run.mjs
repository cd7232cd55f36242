// bench/run.mjs: the tierwall benchmark (started by bench/run, which installs what it needs).
// Builds the CLI from src/ into bench/.work/tw, generates deterministic policies per size, times
// tierwall check/compile against ferm and Capirca on equivalent inputs, measures the ruleset's
// shape and load time, apply speed and cold start, then writes RESULTS.md and prints a summary.
// All scratch files live in bench/.work/ (gitignored).
//
//   bench/run                       every size; writes bench/RESULTS.md
//   bench/run --quick               3x4 and 100x1000, fewer runs (a smoke test); bench/.work/RESULTS.md
//   bench/run --sizes 100x1000,1000x10000 [--runs N] [--seed N] [--out FILE] [--no-profile]
//             [--timeout S]   kill any one run after S seconds (default 300): reported as timed out
//             [--budget S]    stop repeating a tool at a size once its runs took S seconds (default 600)
//   node bench/run.mjs --render     RESULTS.md again from bench/.work/results.json (no measuring)
//
// Wall times come from this process's monotonic clock around each run; CPU time and peak RSS
// from /usr/bin/time. Runs of tierwall and its peers are interleaved per repetition, so a burst of
// load from other jobs on the machine hits all of them alike. Medians are reported with min-max.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { output, timed } from './lib/measure.mjs';
import { prepareCase, treeHash } from './lib/cases.mjs';
import { capircaRestoreText } from './lib/peers.mjs';
import { countRules, worstPath } from './lib/ruleset.mjs';
import { compareRulesets } from './lib/equivalence.mjs';
import { topFunctions } from './lib/profile.mjs';
import { renderResults, summaryLines } from './lib/report.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const WORK = join(BENCH, '.work');
const LIB = join(BENCH, 'lib');

/** The sizes: tiers x rules, repetitions, and `iptables-restore --test` repetitions. */
const SIZES = [
  { label: '3x4', tiers: 3, rules: 4, runs: 7, quickRuns: 3, loadRuns: 5 },
  { label: '100x1000', tiers: 100, rules: 1000, runs: 7, quickRuns: 3, loadRuns: 5 },
  { label: '1000x10000', tiers: 1000, rules: 10000, runs: 5, quickRuns: 2, loadRuns: 3 },
  { label: '1000x100000', tiers: 1000, rules: 100000, runs: 3, quickRuns: 1, loadRuns: 1 },
];

function usage(message) {
  if (message) process.stderr.write(`bench/run: ${message}\n`);
  process.stderr.write('usage: bench/run [--quick] [--sizes TxR,...] [--runs N] [--seed N] [--timeout S] [--budget S] [--out FILE] [--no-profile]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { quick: false, sizes: undefined, runs: undefined, seed: 1, out: undefined, profile: true, timeout: 300, budget: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--quick') o.quick = true;
    else if (a === '--sizes') o.sizes = value().split(',');
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--out') o.out = resolve(value());
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--budget') o.budget = Number(value());
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  let sizes = o.quick ? SIZES.slice(0, 2) : SIZES;
  if (o.sizes) {
    sizes = o.sizes.map((label) => {
      const known = SIZES.find((s) => s.label === label);
      if (known) return known;
      const m = /^(\d+)x(\d+)$/.exec(label);
      if (!m || Number(m[1]) < 2 || Number(m[1]) > 1000) usage(`bad size ${label} (TIERSxRULES, 2-1000 tiers)`);
      return { label, tiers: Number(m[1]), rules: Number(m[2]), runs: 3, quickRuns: 2, loadRuns: 1 };
    });
  }
  if (o.runs !== undefined && !(Number.isInteger(o.runs) && o.runs > 0)) usage('--runs must be a positive integer');
  if (!Number.isInteger(o.seed)) usage('--seed must be an integer');
  if (!(o.timeout > 0) || !(o.budget > 0)) usage('--timeout and --budget are positive seconds');
  const full = !o.quick && !o.sizes && o.runs === undefined;
  o.out ??= full ? join(BENCH, 'RESULTS.md') : join(WORK, 'RESULTS.md');
  return { ...o, argv, full, sizes: sizes.map((s) => ({ ...s, runs: o.runs ?? (o.quick ? s.quickRuns : s.runs) })) };
}

const log = (line) => process.stderr.write(`${line}\n`);
const firstLine = (text) => text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '?';

function machineFacts() {
  const version = (cmd, args) => {
    try {
      return firstLine(output(cmd, args, { allowFail: true }));
    } catch {
      return 'missing';
    }
  };
  const pkg = (name) => version('dpkg-query', ['-W', '-f=${Version}', name]);
  const git = (args) => {
    try {
      return output('git', ['-C', ROOT, ...args]).trim();
    } catch {
      return '?';
    }
  };
  const dirty = git(['status', '--porcelain']).split('\n').filter((l) => l.trim()).length;
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '?',
    memGB: os.totalmem() / 2 ** 30,
    kernel: os.release(),
    node: process.version,
    ferm: version('ferm', ['--version']),
    capirca: `python3-capirca ${pkg('python3-capirca')}`,
    iptables: version('iptables', ['--version']),
    hyperfine: version('hyperfine', ['--version']),
    tierwall: version('node', [join(WORK, 'tw', 'bin', 'tierwall.js'), '--version']),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ` + ${dirty} uncommitted paths` : ''}`,
  };
}

/**
 * Builds the CLI from the working tree's src/ into .work/tw/dist with scripts/build.mjs (cwd
 * .work/tw, src/ linked in), next to copies of bin/, templates/ and package.json: the whole run
 * measures one build whose templates match it, whatever happens to dist/ meanwhile.
 */
function snapshotCli() {
  const tw = join(WORK, 'tw');
  rmSync(tw, { recursive: true, force: true });
  mkdirSync(tw, { recursive: true });
  for (const p of ['bin', 'templates', 'package.json']) cpSync(join(ROOT, p), join(tw, p), { recursive: true });
  symlinkSync(join(ROOT, 'src'), join(tw, 'src'));
  const built = spawnSync('node', [join(ROOT, 'scripts', 'build.mjs')], { cwd: tw, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`scripts/build.mjs failed: ${built.stderr.trim().slice(0, 500)}`);
  const hash = treeHash(join(tw, 'dist'));
  // Stage times the CLI does not print (check's stages, each backend's emit): lib/stages.mjs.
  const stagesJs = join(tw, 'dist', 'stages.mjs');
  const r = spawnSync('node', ['--input-type=module', '-e', `
    const { build } = await import('esbuild');
    await build({ entryPoints: [${JSON.stringify(join(LIB, 'stages.mjs'))}], outfile: ${JSON.stringify(stagesJs)}, bundle: true, format: 'esm',
      platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'error',
      banner: { js: "import { createRequire as __twCreateRequire } from 'node:module'; const require = __twCreateRequire(import.meta.url);" } });`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) log(`bench: could not bundle lib/stages.mjs (check stages, per-backend emit times will be missing): ${r.stderr.trim().slice(0, 300)}`);
  return { tierwall: join(tw, 'bin', 'tierwall.js'), hash, stages: r.status === 0 ? stagesJs : undefined };
}

/** The first `SomeError: message` line of a crashed node process's stderr, else the exit code. */
function errorLine(stderrFile, code) {
  const text = existsSync(stderrFile) ? readFileSync(stderrFile, 'utf8') : '';
  return /^\w*Error: .*$/m.exec(text)?.[0].slice(0, 200) ?? `exit ${code}`;
}

const BACKENDS = ['iptables', 'installer', 'systemd', 'logging', 'compose', 'report'];

/** check's stages, once (lib/stages.mjs front): parse, lower, checks, rendering the diagnostics. */
function frontStages(size, policy, tw, opts) {
  if (!tw.stages) return undefined;
  const file = join(WORK, 'out', size.label, 'stages-front.json');
  const res = timed(['node', tw.stages, policy, 'front'], { stdout: file, stderr: `${file}.stderr`, timeoutS: opts.timeout });
  const out =
    res.code === 0
      ? { ...JSON.parse(readFileSync(file, 'utf8')), wallMs: res.wallMs, rssMB: res.rssMB }
      : { failure: res.timedOut ? `timed out after ${opts.timeout} s` : errorLine(`${file}.stderr`, res.code) };
  log(`  check stages: ${out.failure ?? ['parse', 'lower', 'checks', 'render'].map((k) => `${k} ${(out[`${k}Ms`] / 1000).toFixed(2)} s`).join(', ')}`);
  return out;
}

/** Each backend of the docker target alone, once (lib/stages.mjs emit), with a shorter timeout. */
function emitByBackend(size, policy, tw, opts) {
  if (!tw.stages) return {};
  const timeoutS = Math.min(opts.timeout, 120);
  const out = {};
  for (const b of BACKENDS) {
    const file = join(WORK, 'out', size.label, `emit-${b}.json`);
    const res = timed(['node', tw.stages, policy, 'emit', b], { stdout: file, stderr: `${file}.stderr`, timeoutS });
    if (res.code === 0) out[b] = { ...JSON.parse(readFileSync(file, 'utf8')), rssMB: res.rssMB };
    else out[b] = { failure: res.timedOut ? `timed out after ${timeoutS} s` : errorLine(`${file}.stderr`, res.code) };
    log(`  emit ${b.padEnd(9)} ${out[b].failure ?? `${(out[b].emitMs / 1000).toFixed(2)} s (parse+lower ${(out[b].frontMs / 1000).toFixed(2)} s), ${res.rssMB.toFixed(0)} MB`}`);
  }
  return out;
}

/** `timings (ms): parse 1.2 lower 0.3 ...` from compile --timings: { parse: 1.2, lower: 0.3, ... } in order. */
function parseTimings(stderr) {
  const line = /^timings \(ms\): (.*)$/m.exec(stderr)?.[1];
  if (!line) return undefined;
  return Object.fromEntries([...line.matchAll(/([A-Za-z-]+) ([\d.]+)/g)].map(([, k, v]) => [k, Number(v)]));
}

function bytesOf(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytesOf(p) : statSync(p).size;
  }
  return n;
}

/** One size: the case, then `runs` interleaved repetitions of every tool, then the ruleset's shape. */
function benchSize(size, opts, tw) {
  log(`== ${size.label}: ${size.tiers} tiers x ${size.rules} rules, ${size.runs} runs`);
  const c = prepareCase(size, opts.seed, { work: WORK, tierwall: tw.tierwall, twHash: tw.hash, libDir: LIB, log });
  const out = join(WORK, 'out', size.label);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const policy = join(c.dir, 'bench.policy');
  const node = (args) => ['node', tw.tierwall, ...args];
  const limit = { timeoutS: opts.timeout };

  const tools = {
    check: () => timed(node(['check', policy]), { ...limit, stderr: join(out, 'check.stderr') }),
    compile: () => {
      rmSync(join(out, 'tw'), { recursive: true, force: true });
      return timed(node(['compile', policy, '-o', join(out, 'tw'), '--timings']), { ...limit, stderr: join(out, 'compile.stderr') });
    },
    compileIptables: () => {
      rmSync(join(out, 'tw-iptables'), { recursive: true, force: true });
      return timed(node(['compile', policy, '-o', join(out, 'tw-iptables'), '--target', 'iptables', '--timings']), { ...limit, stderr: join(out, 'compile-iptables.stderr') });
    },
    ferm: () => timed(['ferm', '--noexec', '--lines', join(c.dir, 'bench.ferm')], { ...limit, stdout: join(out, 'ferm.v4'), stderr: join(out, 'ferm.stderr') }),
    capirca: () => {
      rmSync(join(out, 'capirca'), { recursive: true, force: true });
      mkdirSync(join(out, 'capirca'));
      const cap = join(c.dir, 'capirca');
      return timed(['aclgen', `--base_directory=${cap}`, `--definitions_directory=${join(cap, 'def')}`, `--output_directory=${join(out, 'capirca')}`], {
        ...limit,
        stderr: join(out, 'capirca.stderr'),
      });
    },
  };
  const runs = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  const stages = { compile: [], compileIptables: [] };
  const stderrOf = (name) => join(out, `${name === 'compileIptables' ? 'compile-iptables' : name}.stderr`);
  // A tool leaves the rotation when a run times out, or when its runs so far took more than the
  // budget: one more repetition of a 10-minute run would say nothing new.
  const retired = new Map();
  for (let r = 0; r < size.runs; r++) {
    for (const [name, run] of Object.entries(tools)) {
      if (retired.has(name)) continue;
      const res = run();
      res.load1 = os.loadavg()[0];
      if (res.timedOut) {
        res.failure = `timed out after ${opts.timeout} s`;
        retired.set(name, res.failure);
      } else if (res.code !== 0) {
        const tail = existsSync(stderrOf(name)) ? readFileSync(stderrOf(name), 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
        res.failure = `exit ${res.code}${res.signal ? ` (${res.signal})` : ''}${res.error ? ` ${res.error}` : ''}: ${tail.slice(0, 300)}`;
      }
      if (res.failure) log(`  ${name} run ${r + 1} FAILED: ${res.failure}`);
      if (name in stages && res.code === 0) {
        const t = parseTimings(readFileSync(stderrOf(name), 'utf8'));
        if (t) stages[name].push({ ms: t, wall: res.wallMs });
      }
      runs[name].push(res);
      log(`  run ${r + 1}/${size.runs} ${name.padEnd(15)} ${(res.wallMs / 1000).toFixed(2)} s wall, ${(res.cpuMs / 1000).toFixed(2)} s cpu, ${res.rssMB.toFixed(0)} MB${res.code ? ' FAILED' : ''}`);
      const spent = runs[name].reduce((a, x) => a + x.wallMs, 0) / 1000;
      if (!retired.has(name) && r + 1 < size.runs && spent > opts.budget) {
        retired.set(name, `stopped after ${r + 1} of ${size.runs} runs: ${spent.toFixed(0)} s spent, budget ${opts.budget} s`);
        log(`  ${name}: ${retired.get(name)}`);
      }
    }
  }

  // The ruleset's shape, from the last successful outputs.
  const front = frontStages(size, policy, tw, opts);
  const emit = emitByBackend(size, policy, tw, opts);

  // rules.v4 is the same from both targets; the iptables target's is there even when the full
  // compile timed out.
  const shape = {};
  const rulesV4 = [join(out, 'tw-iptables', 'rules.v4'), join(out, 'tw', 'rules.v4')].find((f) => existsSync(f));
  if (rulesV4) {
    const text = readFileSync(rulesV4, 'utf8');
    const outputBytes = runs.compile.at(-1)?.code === 0 ? bytesOf(join(out, 'tw')) : NaN;
    shape.tierwall = { rules: countRules(text), bytes: statSync(rulesV4).size, outputBytes, ...worstPath(text) };
  }
  const fermOut = join(out, 'ferm.v4');
  if (existsSync(fermOut) && runs.ferm.at(-1)?.code === 0) {
    const n = countRules(readFileSync(fermOut, 'utf8'));
    shape.ferm = { rules: n, worst: n, bytes: statSync(fermOut).size };
  }
  const capOut = join(out, 'capirca', 'bench');
  if (existsSync(capOut)) {
    const text = readFileSync(capOut, 'utf8');
    writeFileSync(join(out, 'capirca.v4'), capircaRestoreText(text));
    const n = countRules(text);
    shape.capirca = { rules: n, worst: n, bytes: statSync(capOut).size };
  }

  // The peers must decide what tierwall decides: sampled flows through all three rulesets.
  // Without a rules.v4 (compile failed), ferm's output is the reference for Capirca's.
  let equivalence;
  const outputs = { tierwall: rulesV4, ferm: shape.ferm && fermOut, capirca: shape.capirca && join(out, 'capirca.v4') };
  const [reference, ...others] = Object.keys(outputs).filter((k) => outputs[k]);
  if (reference && others.length > 0) {
    const model = JSON.parse(readFileSync(join(c.dir, 'model.json'), 'utf8'));
    const text = (k) => readFileSync(outputs[k], 'utf8');
    try {
      const peers = Object.fromEntries(others.map((k) => [k, text(k)]));
      equivalence = { reference, ...compareRulesets(model, text(reference), peers, size.rules > 20000 ? 500 : 2000, reference) };
    } catch (e) {
      equivalence = { error: e.message };
    }
    log(`  equivalence: ${JSON.stringify(equivalence)}`);
  }

  // iptables-restore --test, inside a throwaway namespace (netns-load.sh creates and removes it).
  const specs = [];
  if (shape.tierwall) specs.push(`tierwall=noflush=${rulesV4}`);
  if (shape.ferm) specs.push(`ferm=full=${fermOut}`);
  if (shape.capirca) specs.push(`capirca=full=${join(out, 'capirca.v4')}`);
  const load = {};
  if (specs.length > 0) {
    log(`  iptables-restore --test x${size.loadRuns} in a network namespace: ${specs.map((s) => s.split('=')[0]).join(', ')}`);
    const r = spawnSync('bash', [join(LIB, 'netns-load.sh'), String(size.loadRuns), String(opts.timeout), ...specs], { encoding: 'utf8', maxBuffer: 1 << 24 });
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [label, status, ...rest] = line.split(' ');
      load[label] = status === 'ok' ? { ms: rest.map(Number) } : { failure: rest.join(' ') };
      log(`    ${line}`);
    }
    if (r.status !== 0) log(`  netns-load.sh exited ${r.status}: ${r.stderr.trim().slice(0, 300)}`);
  }
  return { size, case: c, runs, stages, retired: Object.fromEntries(retired), front, emit, shape, equivalence, load };
}

/** One run under `node --cpu-prof`: where the CPU time goes, by function (self time). */
function profileRun(name, args, tw, top) {
  const dir = join(WORK, 'profile', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`== CPU profile: ${name}`);
  const res = timed(['node', '--cpu-prof', `--cpu-prof-dir=${dir}`, tw.tierwall, ...args], { stderr: join(dir, 'stderr') });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (res.code !== 0 || !file) return { name, failure: `exit ${res.code}` };
  return { name, wallMs: res.wallMs, top: topFunctions(JSON.parse(readFileSync(join(dir, file), 'utf8')), top) };
}

function applySpeed(n, tw) {
  log(`== apply ${n} rules: iptables-restore vs per-rule -C || -I loop (network namespace)`);
  const r = spawnSync('bash', [join(LIB, 'apply-speed.sh'), String(n), '5', join(WORK, 'apply')], { encoding: 'utf8' });
  const res = { n };
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [what, ...ms] = line.split(' ');
    res[what] = ms.map(Number);
    log(`  ${line}`);
  }
  if (r.status !== 0) res.failure = `apply-speed.sh exited ${r.status}: ${r.stderr.trim().slice(0, 300)}`;
  return res;
}

function coldStart(tw) {
  log('== cold start: hyperfine, 20 runs');
  const json = join(WORK, 'coldstart.json');
  const r = spawnSync(
    'hyperfine',
    ['--runs', '20', '--warmup', '3', '--shell=none', '--export-json', json,
      '-n', 'tierwall check three-tier', `node ${tw.tierwall} check ${join(ROOT, 'policies', 'three-tier.policy')}`,
      '-n', 'node -e 0', 'node -e 0'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0) return { failure: `hyperfine exited ${r.status}: ${r.stderr.trim().slice(0, 300)}` };
  const results = JSON.parse(readFileSync(json, 'utf8')).results;
  return Object.fromEntries(
    results.map((x) => [x.command, { ms: x.times.map((t) => t * 1000), cpuMs: (x.user + x.system) * 1000 }]),
  );
}

function main() {
  if (process.argv[2] === '--render') {
    // Re-renders the last run's RESULTS.md from bench/.work/results.json (after editing report.mjs).
    const data = JSON.parse(readFileSync(join(WORK, 'results.json'), 'utf8'));
    writeFileSync(data.opts.out, renderResults(data));
    process.stdout.write(`${summaryLines(data).join('\n')}\n\nwritten: ${data.opts.out}\n`);
    return;
  }
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(WORK, { recursive: true });
  const started = new Date();
  const loadStart = os.loadavg();
  log(`bench: sizes ${opts.sizes.map((s) => `${s.label} (x${s.runs})`).join(', ')}; load average ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
  const tw = snapshotCli();
  const facts = machineFacts();
  const sizes = opts.sizes.map((s) => benchSize(s, opts, tw));
  // The profile of the largest size whose compile finished in time (a killed run writes no profile).
  const done = sizes.filter((s) => s.runs.compile.some((r) => r.code === 0)).map((s) => s.size);
  const largest = done.reduce((a, b) => (!a || b.tiers * b.rules > a.tiers * a.rules ? b : a), undefined);
  const profile =
    opts.profile && largest
      ? profileRun(`compile ${largest.label}`, ['compile', join(WORK, 'cases', largest.label, 'bench.policy'), '-o', join(WORK, 'profile', 'out')], tw, 18)
      : undefined;
  const biggest = opts.sizes.reduce((a, b) => (b.tiers * b.rules > a.tiers * a.rules ? b : a));
  const checkProfile = opts.profile ? profileRun(`check ${biggest.label}`, ['check', join(WORK, 'cases', biggest.label, 'bench.policy')], tw, 15) : undefined;
  const coldProfile = opts.profile ? profileRun('check three-tier', ['check', join(ROOT, 'policies', 'three-tier.policy')], tw, 12) : undefined;
  const apply = applySpeed(opts.quick ? 100 : 1000, tw);
  const cold = coldStart(tw);
  const loadEnd = os.loadavg();
  const seconds = (Date.now() - started.getTime()) / 1000;
  const data = { opts, started: started.toISOString(), seconds, facts, loadStart, loadEnd, sizes, profile, checkProfile, coldProfile, apply, cold };
  writeFileSync(join(WORK, 'results.json'), `${JSON.stringify(data, null, 1)}\n`);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, renderResults(data));
  process.stdout.write(`${summaryLines(data).join('\n')}\n\nwritten: ${opts.out}\n`);
}

main();
