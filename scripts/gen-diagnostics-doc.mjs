#!/usr/bin/env node
// scripts: writes docs/diagnostics.md from the code table (npm run docs:diagnostics; --check only compares).
// Node 20 cannot run TypeScript, so esbuild bundles src/diagnostics/render/docs-markdown.ts in memory.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const bundle = await build({
  entryPoints: [path('src/diagnostics/render/docs-markdown.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'error',
});
const code = Buffer.from(bundle.outputFiles[0].text).toString('base64');
const { diagnosticsMarkdown } = await import(`data:text/javascript;base64,${code}`);
const expected = diagnosticsMarkdown();
const doc = path('docs/diagnostics.md');
let actual = '';
try {
  actual = readFileSync(doc, 'utf8');
} catch {
  /* missing: written or reported below */
}
if (process.argv.includes('--check')) {
  if (actual !== expected) {
    console.error('docs/diagnostics.md is out of date: run `npm run docs:diagnostics`');
    process.exit(1);
  }
} else if (actual !== expected) {
  writeFileSync(doc, expected);
  console.log('wrote docs/diagnostics.md');
}
