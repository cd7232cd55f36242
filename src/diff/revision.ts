// diff: where each side of `tierwall diff` comes from (I/O; the rest of diff/ is pure).
// Input: a spec (a path, '-', or REV:path). Output: what it names, and for REV:path the blob's text via git.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export type SpecTarget =
  | { readonly kind: 'stdin' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'git'; readonly rev: string; readonly path: string }
  | { readonly kind: 'error'; readonly message: string };

/** The questions resolveSpec asks of the world; tests answer them without a disk or git. */
export interface SpecProbe {
  exists(path: string): boolean;
  /** undefined when `rev` names a commit, else why not ("not a git revision", "git is not installed"). */
  commitProblem(rev: string): string | undefined;
}

// git is always spawned with an argument vector (no shell), LC_ALL=C so its messages are stable,
// and never with a pager or a terminal prompt.
function git(args: readonly string[], cwd?: string) {
  return spawnSync('git', args, {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LC_ALL: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' },
  });
}

/** git's first message line without its "fatal: " prefix. */
function fatal(stderr: string): string {
  return (stderr.trim().split('\n')[0] ?? '').replace(/^(fatal|error):\s*/, '');
}

function gitFailure(r: ReturnType<typeof git>): string | undefined {
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return 'git is not installed';
  if (r.error) return `git could not run: ${r.error.message}`;
  if (/not a git repository/i.test(r.stderr)) return 'not inside a git repository';
  return undefined;
}

export function systemProbe(cwd?: string): SpecProbe {
  return {
    exists: (path) => existsSync(resolve(cwd ?? '.', path)),
    commitProblem(rev) {
      const r = git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd);
      if (r.status === 0) return undefined;
      // --quiet silences "not a revision"; anything git still says (e.g. dubious ownership) is the real reason.
      return gitFailure(r) ?? (fatal(r.stderr) || `'${rev}' is not a git revision`);
    },
  };
}

/**
 * '-' is standard input. A spec that exists on disk is a file, even with a ':' in its name.
 * Otherwise X:Y is a git revision and a path in it when X is not itself an existing path and
 * git resolves X to a commit (split at the first ':', as git does); anything else is a file,
 * so a typo gets readInput's plain "no such file".
 */
export function resolveSpec(spec: string, probe: SpecProbe = systemProbe()): SpecTarget {
  if (spec === '-') return { kind: 'stdin' };
  if (probe.exists(spec)) return { kind: 'file', path: spec };
  const colon = spec.indexOf(':');
  if (colon < 0) return { kind: 'file', path: spec };
  const rev = spec.slice(0, colon);
  const path = spec.slice(colon + 1);
  const fail = (why: string): SpecTarget => ({ kind: 'error', message: `${spec}: no such file, and not REV:path: ${why}` });
  if (rev === '') return fail(`the revision before ':' is missing (e.g. HEAD:${path})`);
  // A leading '-' would reach git as an option.
  if (rev.startsWith('-')) return fail(`'${rev}' is not a git revision`);
  if (path === '') return fail(`the path after '${rev}:' is missing`);
  if (probe.exists(rev)) return fail(`'${rev}' is a path on disk, not a git revision`);
  const problem = probe.commitProblem(rev);
  if (problem !== undefined) return fail(problem);
  return { kind: 'git', rev, path };
}

/**
 * The text of REV:path: `git show REV:path` for a file, minus what porcelain adds (textconv, a
 * pager), and a directory is an error rather than a listing that would be parsed as a policy.
 * The path is relative to the repository root, or to the current directory when it starts with './'.
 */
export function readGitBlob(rev: string, path: string, cwd?: string): { ok: true; text: string } | { ok: false; error: string } {
  const object = `${rev}:${path}`;
  const failed = (r: ReturnType<typeof git>) => ({
    ok: false as const,
    error: `${object}: ${gitFailure(r) ?? (fatal(r.stderr) || `git exited with status ${r.status}`)}`,
  });
  const type = git(['cat-file', '-t', object], cwd);
  if (type.status !== 0) return failed(type);
  if (type.stdout.trim() !== 'blob') return { ok: false, error: `${object}: is a ${type.stdout.trim()} in git, not a file` };
  const blob = git(['cat-file', 'blob', object], cwd);
  return blob.status === 0 ? { ok: true, text: blob.stdout } : failed(blob);
}
