// bench: the benchmark cases on disk. Input: a size (tiers x rules), a seed, the tierwall snapshot.
// Output: bench/.work/cases/<size>/ with bench.policy (no errors: fully shadowed rules dropped),
// bench.ferm and capirca/{def,pol}, all rendered from one model (model.json); cached by a key
// over the inputs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateModel, policyText } from './generate.mjs';
import { capircaFiles, fermText } from './peers.mjs';

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** A hash over every file below dir (sorted paths), to key the case cache on the tierwall build. */
export function treeHash(dir) {
  const h = createHash('sha256');
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Error diagnostics of `tierwall check --format json` (the check is the judge, not a re-implementation). */
function errorsOf(tierwall, file) {
  const r = spawnSync('node', [tierwall, 'check', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`tierwall check ${file} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const diags = JSON.parse(r.stdout).diagnostics;
  const counts = {};
  for (const d of diags) counts[d.code] = (counts[d.code] ?? 0) + 1;
  return { errors: diags.filter((d) => d.severity === 'error'), counts };
}

/**
 * Generates the case, drops the rules `tierwall check` calls errors (only `rule-shadowed` is
 * expected; anything else is a generator bug and stops the run), keeps the first `rules` rules and
 * checks again until the policy is clean. Dropping a fully shadowed rule changes no decision, and
 * cutting rules off the end cannot shadow an earlier one, so the second check normally finds none.
 * Returns the model, the per-code diagnostic counts of the final policy and the hashes.
 */
function buildModel(size, seed, tierwall, dir, log) {
  const extra = Math.ceil(size.rules * 0.15) + 2;
  const raw = generateModel(size.tiers, size.rules, seed, extra);
  // Determinism: a second generation from the same seed must give byte-identical text.
  const rawHash = sha256(policyText(raw).text);
  const again = sha256(policyText(generateModel(size.tiers, size.rules, seed, extra)).text);
  if (again !== rawHash) throw new Error(`the generator is not deterministic for ${size.label}: ${rawHash} vs ${again}`);

  let model = raw;
  const file = join(dir, 'bench.policy');
  const dropped = [];
  for (let pass = 1; ; pass++) {
    if (pass > 5) throw new Error(`${size.label}: still errors after 5 passes`);
    const { text, ruleLines } = policyText(model);
    writeFileSync(file, text);
    const { errors, counts } = errorsOf(tierwall, file);
    log(`  ${size.label}: check pass ${pass}: ${model.rules.length} rules, ${errors.length} errors`);
    if (errors.length === 0) {
      if (model.rules.length > size.rules) {
        model = { ...model, rules: model.rules.slice(0, size.rules) };
        continue;
      }
      return { model, counts, rawHash, dropped: dropped.length };
    }
    const byLine = new Map(ruleLines.map((line, i) => [line, i]));
    const drop = new Set();
    for (const e of errors) {
      const i = byLine.get(e.start?.line);
      if (e.code !== 'rule-shadowed' || i === undefined) {
        throw new Error(`${size.label}: unexpected error ${e.code} at line ${e.start?.line}: ${e.message}`);
      }
      drop.add(i);
    }
    dropped.push(...drop);
    model = { ...model, rules: model.rules.filter((_, i) => !drop.has(i)).slice(0, size.rules) };
  }
}

function writeTree(root, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/**
 * The case directory for one size, generated or taken from the cache. The cache key covers the
 * generator and peers sources, the tierwall snapshot (its check decides what is dropped), size
 * and seed.
 */
export function prepareCase(size, seed, { work, tierwall, twHash, libDir, log }) {
  const dir = join(work, 'cases', size.label);
  const sources = ['generate.mjs', 'peers.mjs', 'cases.mjs'].map((f) => readFileSync(join(libDir, f), 'utf8'));
  const key = sha256([...sources, twHash, size.label, seed].join('\0'));
  const meta = join(dir, 'case.json');
  if (existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    if (m.key === key && existsSync(join(dir, 'bench.policy')) && existsSync(join(dir, 'model.json'))) {
      log(`  ${size.label}: cached case (${m.rules} rules)`);
      return { dir, ...m, cached: true };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { model, counts, rawHash, dropped } = buildModel(size, seed, tierwall, dir, log);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
  writeFileSync(join(dir, 'bench.ferm'), fermText(model));
  writeTree(join(dir, 'capirca'), capircaFiles(model));
  const text = readFileSync(join(dir, 'bench.policy'), 'utf8');
  const m = {
    key,
    seed,
    tiers: model.tiers.length,
    rules: model.rules.length,
    dropped,
    isolated: model.tiers.filter((t) => t.isolated).length,
    anyRules: model.rules.filter((r) => r.src === 'any' || r.dst === 'any').length,
    denies: model.rules.filter((r) => r.action === 'deny').length,
    logged: model.rules.filter((r) => r.log).length,
    allTraffic: model.rules.filter((r) => r.services === 'all').length,
    ranges: model.rules.filter((r) => r.services !== 'all' && r.services.some((s) => s.proto !== 'icmp' && s.lo !== s.hi)).length,
    diagnostics: counts,
    rawHash,
    policyHash: sha256(text),
    policyBytes: Buffer.byteLength(text),
  };
  writeFileSync(meta, `${JSON.stringify(m, null, 2)}\n`);
  return { dir, ...m, cached: false };
}
