// test support for diff: a throwaway git repository (git spawned with argument vectors, no shell;
// identity and signing set per command so the user's git config cannot interfere).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempRepo {
  readonly dir: string;
  write(path: string, text: string): void;
  commit(message: string): void;
  remove(): void;
}

export function gitIn(dir: string, args: readonly string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=tierwall-test', '-c', 'user.email=test@tierwall.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

export function tempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'tierwall-diff-'));
  gitIn(dir, ['init', '-q']);
  return {
    dir,
    write: (path, text) => writeFileSync(join(dir, path), text),
    commit(message) {
      gitIn(dir, ['add', '-A']);
      gitIn(dir, ['commit', '-q', '-m', message]);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
