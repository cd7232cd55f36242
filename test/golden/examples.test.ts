// Golden test: every example in policies/ compiles to exactly the files committed in out/<name>/
// (docker target; k8s and monitoring targets under out/<name>/k8s-target/ and monitoring-target/ where
// the policy is expressible).
// On a mismatch the new content is written next to the golden as <file>.actual.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SourceFile } from '../../src/source/source-file.js';
import { compile } from '../../src/compile.js';

const examples = readdirSync('policies').filter((f) => f.endsWith('.policy')).sort();

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!p.endsWith('.actual')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

async function compareTarget(file: string, target: string, dir: string, exclude: (p: string) => boolean) {
  const source = new SourceFile(`policies/${file}`, readFileSync(`policies/${file}`, 'utf8'));
  const result = await compile(source, target);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (target !== 'docker' && errors.length > 0) {
    // Not expressible for this target: then nothing may be committed for it either.
    expect(listFiles(dir)).toEqual([]);
    return;
  }
  expect(errors.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const stale: string[] = [];
  for (const a of result.artifacts) {
    const golden = join(dir, a.path);
    const have = existsSync(golden) ? readFileSync(golden, 'utf8') : undefined;
    if (have !== a.content) {
      writeFileSync(`${golden}.actual`, a.content);
      stale.push(a.path);
    }
  }
  const extra = listFiles(dir).filter((p) => !exclude(p) && !result.artifacts.some((a) => a.path === p));
  expect(stale, `out/ is stale for policies/${file} (${target}); run: npm run build && npm run golden:update`).toEqual([]);
  expect(extra, `files in ${dir} that compile no longer produces`).toEqual([]);
}

describe.each(examples)('policies/%s', (file) => {
  const name = file.replace(/\.policy$/, '');
  it('docker target matches out/', async () => {
    await compareTarget(file, 'docker', `out/${name}`, (p) => p.startsWith('k8s-target/') || p.startsWith('monitoring-target/'));
  });
  it('k8s target matches out/ (or is refused with nothing committed)', async () => {
    await compareTarget(file, 'k8s', `out/${name}/k8s-target`, () => false);
  });
  it('monitoring target matches out/ (or is refused with nothing committed)', async () => {
    await compareTarget(file, 'monitoring', `out/${name}/monitoring-target`, () => false);
  });
  it('is deterministic: compiling twice gives byte-identical artifacts', async () => {
    const text = readFileSync(`policies/${file}`, 'utf8');
    const a = await compile(new SourceFile(`policies/${file}`, text));
    const b = await compile(new SourceFile(`policies/${file}`, text));
    expect(b.artifacts).toEqual(a.artifacts);
    for (const x of a.artifacts) {
      expect(x.content.endsWith('\n'), x.path).toBe(true);
      expect(x.content.includes('\r'), x.path).toBe(false);
      expect(x.content, x.path).not.toMatch(/\/work\/|\/home\/|\/tmp\/tw|20\d\d-\d\d-\d\dT/);
    }
  });
});
