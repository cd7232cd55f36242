// Bundles the CLI with esbuild into dist/ (one file plus lazily loaded chunks per command):
// importing chevrotain from thousands of small files costs ~200 ms at every start; a bundle does not.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { tierwall: 'src/cli/entry.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  // handlebars and ajv are CommonJS; this shim gives them a require() inside the ESM bundle.
  banner: { js: "import { createRequire as __twCreateRequire } from 'node:module'; const require = __twCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
