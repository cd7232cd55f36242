// docs/ci/pre-commit installed as a real git hook in a scratch repository: `git commit` runs it on
// the staged .policy files, as staged (not as in the working tree), and refuses what fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, edit } from '../diff/fixtures.js';
import { gitIn, tempRepo, type TempRepo } from '../diff/git-repo.js';
import { BIN, ROOT } from '../support/cli.js';
import { HOOK_FILE } from './workflow.js';

const PROD = 'policies/prod.policy';
const MISFORMATTED = edit(['allow frontend -> backend tcp/8080;', 'allow   frontend->backend   tcp/8080 ;']);
const BROKEN = edit(['allow frontend -> backend', 'allow frontend -> backnd']);

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
  copyFileSync(join(ROOT, HOOK_FILE), join(repo.dir, '.git/hooks/pre-commit'));
  // The hook's default command, as `npm install -D tierwall` would leave it.
  mkdirSync(join(repo.dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(BIN, join(repo.dir, 'node_modules/.bin/tierwall'));
  repo.write('.gitignore', 'node_modules/\n');
  mkdirSync(join(repo.dir, 'policies'));
  repo.commit('empty');
});
afterEach(() => repo.remove());

function write(path: string, text: string): void {
  mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
  repo.write(path, text);
}

/** `git commit` with hooks, as a user runs it; returns its status and output. */
function commit(message: string, cwd = repo.dir) {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@tierwall.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], {
    cwd, encoding: 'utf8',
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: repo.dir, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const head = () => gitIn(repo.dir, ['log', '--format=%s', '-1']).trim();

describe(`${HOOK_FILE} as a git pre-commit hook`, () => {
  it('lets a formatted, valid policy through (with the default node_modules/.bin/tierwall)', () => {
    write(PROD, BASE);
    gitIn(repo.dir, ['add', PROD]);
    const r = commit('add prod', join(repo.dir, 'policies'));
    expect(r.status, r.stderr).toBe(0);
    expect(head()).toBe('add prod');
  });

  it('refuses a mis-formatted policy, naming it', () => {
    write(PROD, MISFORMATTED);
    gitIn(repo.dir, ['add', PROD]);
    const r = commit('add prod');
    expect(r.status).toBe(1);
    // git sends a hook's standard output to standard error.
    expect(r.stderr).toContain(`${PROD}\ntierwall: the files above are not formatted`);
    expect(r.stderr).toContain('tierwall: commit refused');
    expect(head()).toBe('empty');
  });

  it('refuses a policy with an error, located at its repository path', () => {
    write(PROD, BROKEN);
    gitIn(repo.dir, ['add', PROD]);
    const r = commit('add prod');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error[unknown-tier]: unknown tier 'backnd'");
    expect(r.stderr).toContain(`--> ${PROD}:8:`);
    expect(head()).toBe('empty');
  });

  it('checks what is staged: a broken working copy of a good staged policy commits', () => {
    write(PROD, BASE);
    gitIn(repo.dir, ['add', PROD]);
    write(PROD, BROKEN);
    const r = commit('add prod');
    expect(r.status, r.stderr).toBe(0);
    expect(gitIn(repo.dir, ['show', `HEAD:${PROD}`])).toBe(BASE);
  });

  it('checks what is staged: a broken staged policy is refused even when the working copy is fixed', () => {
    write(PROD, BROKEN);
    gitIn(repo.dir, ['add', PROD]);
    write(PROD, BASE);
    const r = commit('add prod');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[unknown-tier]');
  });

  it('passes odd names safely (a space, a leading -)', () => {
    write('-odd name.policy', MISFORMATTED);
    gitIn(repo.dir, ['add', '-A']);
    const r = commit('odd');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('-odd name.policy\ntierwall: the files above are not formatted');
    write('-odd name.policy', BASE);
    gitIn(repo.dir, ['add', '-A']);
    expect(commit('odd').status).toBe(0);
  });

  it('ignores commits without policies and deleted policies', () => {
    write('README.md', 'hello\n');
    write(PROD, BASE);
    gitIn(repo.dir, ['add', '-A']);
    expect(commit('readme and prod').status).toBe(0);
    gitIn(repo.dir, ['rm', '-q', PROD]);
    const r = commit('drop prod');
    expect(r.status, r.stderr).toBe(0);
    expect(head()).toBe('drop prod');
  });

  it('uses TIERWALL when set (a command that fails refuses the commit)', () => {
    write(PROD, BASE);
    gitIn(repo.dir, ['add', PROD]);
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@x.invalid', 'commit', '-q', '-m', 'x'], {
      cwd: repo.dir, encoding: 'utf8',
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: repo.dir, GIT_CONFIG_NOSYSTEM: '1', TIERWALL: '/bin/false' },
    });
    expect(r.status).toBe(1);
    expect(head()).toBe('empty');
  });
});
