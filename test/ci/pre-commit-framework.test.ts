// docs/ci/pre-commit-config.yaml under the pre-commit framework (Debian package pre-commit): installed
// with `pre-commit install` into a scratch repository and driven by `git commit`, offline
// (repo: local, language: system). scripts/setup-system.sh installs pre-commit, so under `npm test`
// it is required; a bare `vitest` run elsewhere skips, saying so.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BASE, edit } from '../diff/fixtures.js';
import { gitIn, tempRepo, type TempRepo } from '../diff/git-repo.js';
import { BIN, ROOT } from '../support/cli.js';
import { mustHaveSystem } from '../support/system.js';

const CONFIG_FILE = 'docs/ci/pre-commit-config.yaml';
const PROD = 'policies/prod.policy';
const MISFORMATTED = edit(['allow frontend -> backend tcp/8080;', 'allow   frontend->backend   tcp/8080 ;']);
const BROKEN = edit(['allow frontend -> backend', 'allow frontend -> backnd']);
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
// CI (and npm test, which runs setup-system.sh first) must not silently skip a recipe.
if (!hasPreCommit && mustHaveSystem()) throw new Error('pre-commit is missing: scripts/setup-system.sh should have installed it');
if (!hasPreCommit) process.stderr.write(`test/ci: pre-commit is not installed; ${CONFIG_FILE} is not tested\n`);

let repo: TempRepo;
let env: Record<string, string>;

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: repo.dir, encoding: 'utf8', env, timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const commit = (message: string) =>
  run('git', ['-c', 'user.name=t', '-c', 'user.email=t@tierwall.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message]);
const head = () => gitIn(repo.dir, ['log', '--format=%s', '-1']).trim();

function write(path: string, text: string): void {
  mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
  repo.write(path, text);
}

describe.skipIf(!hasPreCommit)(`${CONFIG_FILE} under the pre-commit framework`, () => {
  beforeEach(() => {
    repo = tempRepo();
    // pre-commit keeps its cache under HOME; no git config of the user's may interfere.
    env = { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: repo.dir, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C.UTF-8' };
    copyFileSync(join(ROOT, CONFIG_FILE), join(repo.dir, '.pre-commit-config.yaml'));
    mkdirSync(join(repo.dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(BIN, join(repo.dir, 'node_modules/.bin/tierwall'));
    repo.write('.gitignore', 'node_modules/\n');
    // pre-commit refuses to run while its own configuration is unstaged.
    repo.commit('pre-commit config');
    const r = run('pre-commit', ['install']);
    expect(r.status, r.out).toBe(0);
  });
  afterEach(() => repo.remove());

  it('declares two local system hooks on .policy files, each ending its arguments with --', () => {
    const config = parse(readFileSync(join(ROOT, CONFIG_FILE), 'utf8'));
    expect(config.repos).toHaveLength(1);
    expect(config.repos[0].repo).toBe('local');
    const hooks = config.repos[0].hooks;
    expect(hooks.map((h: { id: string }) => h.id)).toEqual(['tierwall-fmt', 'tierwall-check']);
    for (const h of hooks) {
      expect(h.language).toBe('system');
      expect(h.files).toBe('\\.policy$');
      expect(h.entry).toMatch(/^\.\/node_modules\/\.bin\/tierwall (fmt --check|check) --$/);
    }
  });

  it('lets a formatted, valid policy through', () => {
    write(PROD, BASE);
    gitIn(repo.dir, ['add', PROD]);
    const r = commit('add prod');
    expect(r.status, r.out).toBe(0);
    expect(head()).toBe('add prod');
  });

  it('refuses a mis-formatted policy, naming it', () => {
    write(PROD, MISFORMATTED);
    gitIn(repo.dir, ['add', PROD]);
    const r = commit('add prod');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/tierwall fmt --check\.+Failed/);
    expect(r.out).toContain(`${PROD}\ntierwall: the files above are not formatted`);
    expect(head()).toBe('pre-commit config');
  });

  it('refuses a policy with an error, located at its repository path', () => {
    write(PROD, BROKEN);
    gitIn(repo.dir, ['add', PROD]);
    const r = commit('add prod');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/tierwall check\.+Failed/);
    expect(r.out).toContain("error[unknown-tier]: unknown tier 'backnd'");
    expect(r.out).toContain(`--> ${PROD}:8:`);
  });

  it('checks what is staged: unstaged breakage is stashed away during the check', () => {
    write(PROD, BASE);
    gitIn(repo.dir, ['add', PROD]);
    write(PROD, BROKEN);
    const r = commit('add prod');
    expect(r.status, r.out).toBe(0);
    expect(gitIn(repo.dir, ['show', `HEAD:${PROD}`])).toBe(BASE);
    // ... and given back afterwards.
    expect(readFileSync(join(repo.dir, PROD), 'utf8')).toBe(BROKEN);
  });
});
