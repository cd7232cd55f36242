// Bundles the CLI with esbuild into dist/ (one file plus lazily loaded chunks per command):
// importing chevrotain from thousands of small files costs ~200 ms at every start; a bundle does not.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
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

// chevrotain's lexer fills a 65,536-entry table (char code -> 255 + code/255 above 255) in every
// process before the first token: ~10-20 ms of a cold start. The same value computed on the spot
// costs nothing for tierwall's inputs, where a token's first character is nearly always ASCII (the
// table is never read below 256). The edit is exact or the build fails (e.g. after an upgrade).
const chevrotainLexerStartup = {
  name: 'chevrotain-lexer-startup',
  setup(b) {
    b.onLoad({ filter: /[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]lexer\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      const edits = [
        [': charCodeToOptimizedIdxMap[charCode];', ': 255 + ~~(charCode / 255);'],
        ['    if (isEmpty(charCodeToOptimizedIdxMap)) {', '    if (false) {'],
      ];
      for (const [from, to] of edits) {
        if (text.split(from).length !== 2) throw new Error(`chevrotain-lexer-startup: '${from}' not found once in ${args.path}`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  // The validator's worker thread (src/validate/parallel.ts) is an entry of its own, sharing chunks.
  entryPoints: { tierwall: 'src/cli/entry.ts', 'validate-worker': 'src/validate/worker.ts' },
  define: { __TIERWALL_VALIDATE_WORKER__: '"validate-worker.js"' },
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
  // Less text to parse at every start (~15 ms of a cold `check`, 1.6 -> 1.2 MB); names are kept, so
  // profiles and stack traces still say which function.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyChildProcess, precompiledTemplates, chevrotainLexerStartup],
});
