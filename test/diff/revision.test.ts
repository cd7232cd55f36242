// diff/revision: how a spec is read (stdin, file, REV:path) and reading blobs out of git.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGitBlob, resolveSpec, systemProbe, type SpecProbe } from '../../src/diff/revision.js';
import { tempRepo } from './git-repo.js';

function probe(files: string[], commits: string[]): SpecProbe {
  return {
    exists: (p) => files.includes(p),
    commitProblem: (rev) => (commits.includes(rev) ? undefined : `'${rev}' is not a git revision`),
  };
}

describe('resolveSpec', () => {
  const p = probe(['p.policy', 'odd:name.policy', 'dir'], ['HEAD', 'HEAD~1', 'main']);

  it('reads - as stdin, existing paths as files (even with a colon), and REV:path from git', () => {
    expect(resolveSpec('-', p)).toEqual({ kind: 'stdin' });
    expect(resolveSpec('p.policy', p)).toEqual({ kind: 'file', path: 'p.policy' });
    expect(resolveSpec('odd:name.policy', p)).toEqual({ kind: 'file', path: 'odd:name.policy' });
    expect(resolveSpec('HEAD~1:policies/p.policy', p)).toEqual({ kind: 'git', rev: 'HEAD~1', path: 'policies/p.policy' });
    // Split at the first colon, as git does.
    expect(resolveSpec('main:a:b.policy', p)).toEqual({ kind: 'git', rev: 'main', path: 'a:b.policy' });
  });

  it('leaves a missing path without a colon to the file reader ("no such file")', () => {
    expect(resolveSpec('missing.policy', p)).toEqual({ kind: 'file', path: 'missing.policy' });
  });

  it('explains why X:Y is neither a file nor a revision', () => {
    const message = (spec: string) => {
      const r = resolveSpec(spec, p);
      return r.kind === 'error' ? r.message : `not an error: ${r.kind}`;
    };
    expect(message('nope:p.policy')).toBe("nope:p.policy: no such file, and not REV:path: 'nope' is not a git revision");
    expect(message(':p.policy')).toMatch(/revision before ':' is missing/);
    expect(message('HEAD:')).toMatch(/path after 'HEAD:' is missing/);
    expect(message('dir:p.policy')).toMatch(/'dir' is a path on disk/);
    expect(message('--output=x:y')).toMatch(/is not a git revision/);
  });
});

describe('git access', () => {
  const repo = tempRepo();
  afterAll(() => repo.remove());
  mkdirSync(join(repo.dir, 'sub'));
  repo.write('sub/p.policy', 'one\n');
  repo.commit('first');
  repo.write('sub/p.policy', 'two\n');
  repo.commit('second');

  it('resolves revisions with git and reads blobs at them', () => {
    const sys = systemProbe(repo.dir);
    expect(sys.commitProblem('HEAD~1')).toBeUndefined();
    expect(sys.commitProblem('no-such-branch')).toBe("'no-such-branch' is not a git revision");
    expect(readGitBlob('HEAD~1', 'sub/p.policy', repo.dir)).toEqual({ ok: true, text: 'one\n' });
    expect(readGitBlob('HEAD', 'sub/p.policy', repo.dir)).toEqual({ ok: true, text: 'two\n' });
  });

  it('reports a missing path, a directory, and a directory outside any repository', () => {
    expect(readGitBlob('HEAD', 'nope.policy', repo.dir)).toEqual({ ok: false, error: "HEAD:nope.policy: path 'nope.policy' does not exist in 'HEAD'" });
    expect(readGitBlob('HEAD', 'sub', repo.dir)).toEqual({ ok: false, error: 'HEAD:sub: is a tree in git, not a file' });
    expect(systemProbe('/').commitProblem('HEAD')).toBe('not inside a git repository');
  });
});
