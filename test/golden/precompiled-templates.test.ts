// Golden test, second loader: the CLI bundle renders templates precompiled at build time
// (scripts/precompile-templates.mjs replaces src/backends/shared/template-loader.ts). Here the
// generated loader stands in for the run-time one, and every example must still compile to exactly
// the files in out/ (docker target), so both loaders are held to the same bytes.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const loader = vi.hoisted(() => ({ module: undefined as undefined | { loadTemplate: unknown; registerPartial: unknown } }));

vi.mock('../../src/backends/shared/template-loader.js', async () => {
  // @ts-expect-error: a build script in plain JS, without types
  const { precompiledLoader } = await import('../../scripts/precompile-templates.mjs');
  const { contents } = await precompiledLoader(process.cwd());
  // The generated module imports handlebars' runtime by package name; from a temporary file that
  // must be an absolute path.
  const runtime = pathToFileURL(resolve('node_modules/handlebars/runtime.js')).href;
  const dir = mkdtempSync(join(tmpdir(), 'tw-precompiled-'));
  const file = join(dir, 'template-loader.mjs');
  writeFileSync(file, (contents as string).replace("from 'handlebars/runtime'", `from '${runtime}'`));
  try {
    loader.module = await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return loader.module;
});

const { SourceFile } = await import('../../src/source/source-file.js');
const { compile } = await import('../../src/compile.js');

const examples = readdirSync('policies').filter((f) => f.endsWith('.policy')).sort();

describe('precompiled templates (the CLI bundle\'s loader)', () => {
  it.each(examples)('policies/%s: docker target matches out/', async (file) => {
    const name = file.replace(/\.policy$/, '');
    const result = await compile(new SourceFile(`policies/${file}`, readFileSync(`policies/${file}`, 'utf8')), 'docker');
    expect(loader.module, 'the precompiled loader is in use').toBeDefined();
    expect(result.artifacts.length).toBeGreaterThan(0);
    for (const a of result.artifacts) {
      expect(a.content, `out/${name}/${a.path}`).toBe(readFileSync(join('out', name, a.path), 'utf8'));
    }
  });
});
