// test support for the CI recipes: a scratch "GitHub" in a temporary directory. `origin` holds the
// base branch (main) and the pull request's branch; `workspace` is a clone with full history and
// origin/main, as actions/checkout with fetch-depth: 0 leaves it, on the PR branch or its merge commit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gitIn } from '../diff/git-repo.js';

export interface Scratch {
  readonly dir: string;
  readonly workspace: string;
  remove(): void;
}

/** Files by path; `null` deletes the file in the head commit. */
export type Tree = Record<string, string | null>;

function writeTree(repo: string, tree: Tree): void {
  for (const [path, text] of Object.entries(tree)) {
    const file = join(repo, path);
    if (text === null) {
      rmSync(file);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

export interface PullRequestOptions {
  /** Committed to main after the pull request branched off (someone else's merge). */
  readonly advance?: Tree;
  /**
   * What the workspace has checked out: the branch's head, or (GitHub's default for pull_request)
   * a detached merge of the branch into the base branch's tip, like refs/pull/N/merge.
   */
  readonly checkout?: 'head' | 'merge';
}

/** A repository whose main branch has `base` and whose branch `pr` adds `head` on top of it. */
export function pullRequest(base: Tree, head: Tree, opts: PullRequestOptions = {}): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'tierwall-ci-'));
  const origin = join(dir, 'origin');
  const workspace = join(dir, 'workspace');
  mkdirSync(origin);
  gitIn(origin, ['init', '-q', '-b', 'main']);
  writeTree(origin, base);
  gitIn(origin, ['add', '-A']);
  gitIn(origin, ['commit', '-q', '-m', 'base policy']);
  gitIn(origin, ['checkout', '-q', '-b', 'pr']);
  writeTree(origin, head);
  gitIn(origin, ['add', '-A']);
  gitIn(origin, ['commit', '-q', '--allow-empty', '-m', 'the pull request']);
  gitIn(origin, ['checkout', '-q', 'main']);
  if (opts.advance) {
    writeTree(origin, opts.advance);
    gitIn(origin, ['add', '-A']);
    gitIn(origin, ['commit', '-q', '-m', 'meanwhile on main']);
  }
  gitIn(dir, ['clone', '-q', origin, workspace]);
  if (opts.checkout === 'merge') {
    gitIn(workspace, ['checkout', '-q', '--detach', 'origin/main']);
    gitIn(workspace, ['merge', '-q', '--no-ff', '--no-edit', 'origin/pr']);
  } else {
    gitIn(workspace, ['checkout', '-q', 'pr']);
  }
  return { dir, workspace, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The pull_request webhook payload, as much of it as the recipe reads. */
export function pullRequestEvent(labels: readonly string[], number = 7): unknown {
  return {
    action: 'synchronize',
    number,
    pull_request: { number, base: { ref: 'main' }, head: { ref: 'pr' }, labels: labels.map((name) => ({ name })) },
  };
}
