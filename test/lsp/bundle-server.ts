// test support: bundles test/lsp/server-entry.ts with the options scripts/build.mjs uses for the CLI
// (ESM, node20, code splitting, and the createRequire banner that CommonJS dependencies such as
// vscode-languageserver need inside an ESM bundle), into a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function bundleServer(): Promise<{ file: string; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tierwall-lsp-'));
  await build({
    entryPoints: { server: fileURLToPath(new URL('./server-entry.ts', import.meta.url)) },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: "import { createRequire as __twCreateRequire } from 'node:module'; const require = __twCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'error',
  });
  return { file: join(dir, 'server.mjs'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
