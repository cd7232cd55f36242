// `tierwall diff` in-process (runDiff, until main.ts wires the command): a temp git repo with two
// commits diffed as HEAD~1:p.policy against the working file, formats, exit codes, --fail-on, errors.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Ajv } from 'ajv';
import { runDiff, type DiffOptions } from '../../src/cli/commands/diff.js';
import { BASE, edit } from './fixtures.js';
import { tempRepo } from './git-repo.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/diff.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);

/** Runs the command, capturing what it writes. */
function run(oldSpec: string, newSpec: string, opts: DiffOptions = {}): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: runDiff(oldSpec, newSpec, opts) as number, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const WIDER = edit(['tcp/8080;', 'tcp/8080-8081;']);
const NARROWER = edit(['allow backend -> database tcp/5432;', '']);

describe('tierwall diff (runDiff)', () => {
  const repo = tempRepo();
  const cwd = process.cwd();
  beforeAll(() => {
    repo.write('p.policy', BASE);
    repo.commit('three tiers');
    repo.write('p.policy', WIDER);
    repo.commit('open 8081');
    repo.write('narrow.policy', NARROWER);
    repo.write('broken.policy', edit(['allow frontend -> backend', 'allow frontend -> backnd']));
    repo.write('wider.policy', WIDER);
    // runDiff resolves paths and revisions against the working directory, as the CLI does.
    process.chdir(repo.dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    repo.remove();
  });

  it('HEAD~1:p.policy against p.policy: the newly allowed port, located in each side, exit 2', () => {
    const r = run('HEAD~1:p.policy', 'p.policy');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe([
      'tierwall diff HEAD~1:p.policy -> p.policy',
      '1 newly allowed (widens access)',
      '',
      'newly allowed:',
      '  frontend -> backend  tcp/8081  deny (default)  ->  allow (p.policy:8)',
      '',
    ].join('\n'));
  });

  it('the same commit on both sides, and a file against its own commit: exit 0', () => {
    expect(run('HEAD:p.policy', 'p.policy')).toMatchObject({ code: 0, stdout: 'tierwall diff HEAD:p.policy -> p.policy\nno change in what the policies decide\n' });
    expect(run('HEAD~1:p.policy', 'HEAD~1:p.policy').code).toBe(0);
  });

  it('--fail-on widen: widening exits 2, tightening exits 0 (and still prints the diff)', () => {
    expect(run('HEAD~1:p.policy', 'p.policy', { failOn: 'widen' }).code).toBe(2);
    const tighter = run('HEAD~1:p.policy', 'narrow.policy', { failOn: 'widen' });
    expect(tighter.code).toBe(0);
    expect(tighter.stdout).toContain('newly denied:\n  backend -> database  tcp/5432  allow (HEAD~1:p.policy:9)  ->  deny (default)');
    expect(run('HEAD~1:p.policy', 'narrow.policy').code).toBe(2);
  });

  it('--fail-on widen fires on a newly allowed edge flow (allow world -> frontend tcp/22)', () => {
    repo.write('ssh.policy', edit(['allow world -> frontend tcp/80;', 'allow world -> frontend tcp/80;\nallow world -> frontend tcp/22;']));
    const r = run('HEAD~1:p.policy', 'ssh.policy', { failOn: 'widen' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('newly allowed:\n  world -> frontend  tcp/22  deny (default)  ->  allow (ssh.policy:12)\n');
    repo.write('egress.policy', edit(['tcp/8080;', 'tcp/8080-8081;'], ['allow world -> frontend tcp/80;', 'allow world -> frontend tcp/80;\ndeny backend -> world log;']));
    // Logging egress that was denied anyway is a change, not a widening.
    expect(run('p.policy', 'egress.policy').code).toBe(2);
    const logged = run('p.policy', 'egress.policy', { failOn: 'widen' });
    expect(logged.code).toBe(0);
    expect(logged.stdout).toContain('log changes:\n  backend -> world  any  deny (default)  ->  deny, log (egress.policy:12)\n');
  });

  it('markdown and json formats', () => {
    const md = run('HEAD~1:p.policy', 'wider.policy', { format: 'markdown' });
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('| ⚠️ newly allowed | frontend → backend | `tcp/8081` | deny (default) | allow (`wider.policy:8`) |');
    const json = run('HEAD~1:p.policy', 'wider.policy', { format: 'json' });
    const doc = JSON.parse(json.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc).toMatchObject({ old: 'HEAD~1:p.policy', new: 'wider.policy', summary: { newlyAllowed: 1, widens: true } });
  });

  it('a policy with errors: its diagnostics on stderr, nothing on stdout, exit 1', () => {
    const r = run('p.policy', 'broken.policy');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown-tier');
    expect(r.stderr).toContain('broken.policy');
  });

  it('unreadable sides and bad options: a clear message, exit 1', () => {
    const message = (o: string, n: string, opts: DiffOptions = {}) => {
      const r = run(o, n, opts);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      return r.stderr;
    };
    expect(message('missing.policy', 'p.policy')).toBe('error[io-error]: missing.policy: no such file\n');
    expect(message('nope:p.policy', 'p.policy')).toBe("error[io-error]: nope:p.policy: no such file, and not REV:path: 'nope' is not a git revision\n");
    expect(message('HEAD:missing.policy', 'p.policy')).toBe("error[io-error]: HEAD:missing.policy: path 'missing.policy' does not exist in 'HEAD'\n");
    expect(message('-', '-')).toMatch(/only one side can be '-'/);
    expect(message('p.policy', 'p.policy', { format: 'yaml' })).toMatch(/unknown format 'yaml'/);
    expect(message('p.policy', 'p.policy', { failOn: 'sometimes' })).toMatch(/unknown --fail-on 'sometimes'/);
  });
});
