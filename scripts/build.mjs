// Bundles the CLI with esbuild into dist/ (one file plus lazily loaded chunks per command):
// importing chevrotain from thousands of small files costs ~200 ms at every start; a bundle does not.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { precompiledLoader } from './precompile-templates.mjs';

// commander requires node:child_process at load time (only to run `git-style` executable
// subcommands, which tierwall has none of); loading that builtin costs ~20-40 ms at every start.
// commander gets a proxy that loads it on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

// The templates, precompiled: the bundle gets them instead of the loader that compiles at run time.
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]backends[\\/]shared[\\/]template-loader\.ts$/ }, async () => {
      const { contents, files } = await precompiledLoader(process.cwd());
      return { contents, loader: 'js', resolveDir: process.cwd(), watchFiles: files };
    });
  },
};

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
  plugins: [lazyChildProcess, precompiledTemplates],
});
