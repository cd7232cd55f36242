// The kernel test's watchdog (exec.ts startReaper): a process that made namespaces and started a
// listener in one, then was SIGKILLed (no afterAll, no exit hook), leaves nothing behind: the
// watchdog kills what runs in its namespaces and deletes them. The child is exec.ts itself, bundled.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { missingPrerequisites } from './exec.js';
import { mustHaveSystem } from '../support/system.js';

const missing = missingPrerequisites();
const EXEC = fileURLToPath(new URL('./exec.ts', import.meta.url));

const ours = (prefix: string): string[] => (existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(prefix)) : []);
/** Running, not a zombie waiting for whoever inherited it to reap it. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const pidsIn = (ns: string): number[] =>
  (spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number);

/** The test's own cleanup if the watchdog failed: what runs in the child's namespaces, then them. */
function removeLeft(prefix: string): void {
  for (const ns of ours(prefix)) {
    for (const pid of pidsIn(ns)) spawnSync('kill', ['-KILL', String(pid)]);
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

describe.skipIf(missing.length > 0 && !mustHaveSystem())('kernel test watchdog', () => {
  it('removes a SIGKILLed run\'s namespaces and the processes in them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-reaper-'));
    let prefix = '';
    const child = await (async () => {
      const entry = join(dir, 'child.ts');
      writeFileSync(entry, `import { RUN_PREFIX, addNamespaces, startInNs } from ${JSON.stringify(EXEC)};
await addNamespaces([RUN_PREFIX + 'r1', RUN_PREFIX + 'r2']);
startInNs(RUN_PREFIX + 'r1', 'sleep', ['300']);
setTimeout(() => process.stdout.write(RUN_PREFIX + '\\n'), 300);
setInterval(() => {}, 1000);
`);
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'child.mjs'), logLevel: 'error' });
      return spawn(process.execPath, [join(dir, 'child.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    })();
    try {
      prefix = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the child never said it was ready')), 20_000);
        child.stdout!.once('data', (d: Buffer) => (clearTimeout(t), resolve(d.toString().trim())));
      });
      expect(prefix).toMatch(/^tw-k-[0-9a-z]+-$/);
      expect(ours(prefix).sort()).toEqual([`${prefix}r1`, `${prefix}r2`]);
      const sleeper = pidsIn(`${prefix}r1`);
      expect(sleeper.length).toBeGreaterThan(0);

      child.kill('SIGKILL');
      // Bounded wait: the watchdog polls once a second.
      for (let i = 0; i < 100 && (ours(prefix).length > 0 || sleeper.some(alive)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(ours(prefix)).toEqual([]);
      expect(sleeper.filter(alive)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (prefix) removeLeft(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
