// The recipe files themselves: the workflow's structure (what GitHub would reject or silently ignore),
// every action pinned, no expression inside a shell script, shellcheck-clean steps and hook, and
// docs/ci.md quoting the recipe files verbatim so the documented recipe is the tested one.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { HOOK_FILE, NETWORK_STEPS, WORKFLOW, WORKFLOW_FILE, WORKFLOW_TEXT, type Job, type Step } from './workflow.js';

const HOOK_TEXT = readFileSync(join(ROOT, HOOK_FILE), 'utf8');
const PRE_COMMIT_CONFIG_FILE = 'docs/ci/pre-commit-config.yaml';
const PRE_COMMIT_CONFIG_TEXT = readFileSync(join(ROOT, PRE_COMMIT_CONFIG_FILE), 'utf8');
const DOC = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');

// The keys GitHub's workflow syntax defines at each level that this recipe may use; a typo
// (continue_on_error, run-on) would otherwise be ignored or rejected only on GitHub. `defaults`,
// `shell` and `working-directory` are left out on purpose: test/ci/workflow.ts runs every step with
// the default shell in the workspace, and would silently run a step differently from GitHub.
const WORKFLOW_KEYS = ['name', 'on', 'permissions', 'env', 'jobs', 'concurrency', 'run-name'];
const JOB_KEYS = ['name', 'if', 'runs-on', 'permissions', 'env', 'steps', 'needs', 'timeout-minutes', 'concurrency', 'continue-on-error'];
const STEP_KEYS = ['id', 'name', 'if', 'uses', 'run', 'with', 'env', 'continue-on-error', 'timeout-minutes'];
const PERMISSION_SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'packages', 'pages', 'pull-requests', 'security-events', 'statuses'];
// owner/repo[/path]@vN[.N[.N]] or a full commit SHA: never a branch.
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;

const jobs = Object.entries(WORKFLOW.jobs) as [string, Job][];
const allSteps: [string, Step][] = jobs.flatMap(([id, job]) => job.steps.map((s): [string, Step] => [id, s]));
const runSteps = allSteps.filter(([, s]) => s.run !== undefined);

function keysOutside(o: object, allowed: readonly string[]): string[] {
  return Object.keys(o).filter((k) => !allowed.includes(k));
}

function shellcheck(script: string, name: string): { status: number | null; out: string } {
  const r = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '-'], { input: script, encoding: 'utf8' });
  if (r.error) throw new Error(`shellcheck could not run (${r.error.message}); scripts/setup-system.sh installs it`);
  return { status: r.status, out: `${name}:\n${r.stdout}${r.stderr}` };
}

/** Every `${{ ... }}` in a string, or an error for an unclosed one. */
function expressions(value: string): string[] {
  const found: string[] = [];
  let at = value.indexOf('${{');
  while (at >= 0) {
    const end = value.indexOf('}}', at);
    if (end < 0) throw new Error(`unclosed expression in '${value}'`);
    found.push(value.slice(at + 3, end).trim());
    at = value.indexOf('${{', end);
  }
  return found;
}

describe(`${WORKFLOW_FILE}: structure`, () => {
  it('has a name, the pull_request types that re-run the gate on labels, a push trigger and read-only default permissions', () => {
    expect(keysOutside(WORKFLOW, WORKFLOW_KEYS)).toEqual([]);
    expect(WORKFLOW.name).toBe('tierwall');
    expect(WORKFLOW.on).toEqual({
      pull_request: { types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'] },
      push: { branches: ['main'] },
    });
    expect(WORKFLOW.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(WORKFLOW.env ?? {}).sort()).toEqual(['TIERWALL', 'TIERWALL_APPROVAL_LABEL']);
  });

  it('has the three jobs, each on a runner, with known keys and least-privilege permissions', () => {
    expect(jobs.map(([id]) => id)).toEqual(['check', 'fmt', 'diff']);
    for (const [id, job] of jobs) {
      expect(keysOutside(job, JOB_KEYS), id).toEqual([]);
      expect(job['runs-on'], id).toBe('ubuntu-latest');
      expect(job.steps.length, id).toBeGreaterThan(0);
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        expect(PERMISSION_SCOPES, `${id}: ${scope}`).toContain(scope);
        expect(['read', 'write', 'none'], `${id}: ${scope}`).toContain(level);
      }
    }
    expect(WORKFLOW.jobs.check!.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(WORKFLOW.jobs.fmt!.permissions).toBeUndefined();
    expect(WORKFLOW.jobs.diff!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(WORKFLOW.jobs.diff!.if).toBe("github.event_name == 'pull_request'");
  });

  it('gives every step known keys and exactly one of uses/run, unique ids per job, and pins every action to a version', () => {
    for (const [id, job] of jobs) {
      const ids = job.steps.map((s) => s.id).filter((x) => x !== undefined);
      expect(new Set(ids).size, id).toBe(ids.length);
    }
    for (const [job, step] of allSteps) {
      const where = `${job}: ${step.id ?? step.name ?? step.uses}`;
      expect(keysOutside(step, STEP_KEYS), where).toEqual([]);
      expect((step.uses === undefined) !== (step.run === undefined), where).toBe(true);
      if (step.uses !== undefined) expect(step.uses, where).toMatch(PINNED);
      if (step.run !== undefined) expect(step.with, where).toBeUndefined();
    }
    expect(allSteps.map(([, s]) => s.uses).filter(Boolean)).toEqual([
      'actions/checkout@v5', 'actions/setup-node@v5', 'github/codeql-action/upload-sarif@v4',
      'actions/checkout@v5', 'actions/setup-node@v5',
      'actions/checkout@v5', 'actions/setup-node@v5',
    ]);
    // The diff needs the base branch's history for git merge-base.
    expect(WORKFLOW.jobs.diff!.steps[0]!.with).toEqual({ 'fetch-depth': 0 });
  });

  it('keeps ${{ }} out of shell scripts (script injection), and well-formed where it is used', () => {
    for (const [job, step] of runSteps) expect(step.run, `${job}: ${step.id}`).not.toContain('${{');
    const used = allSteps.flatMap(([, s]) => [s.if ?? '', ...Object.values(s.env ?? {}), ...Object.values(s.with ?? {}).map(String)]);
    const all = used.flatMap(expressions);
    expect(all).toEqual([
      "!cancelled() && hashFiles('tierwall.sarif') != '' && (github.event_name == 'push' || " +
        "(github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'))",
      "!cancelled() && hashFiles('tierwall-diff.md') != ''",
      'github.token',
      'github.event.pull_request.number',
    ]);
  });

  it('skips, in the test, exactly the steps that need the network, and only those have expressions in env', () => {
    const needsNetwork = runSteps.filter(([, s]) => /\b(npm|npx|gh|curl|wget)\b/.test(s.run!)).map(([j, s]) => `${j}.${s.id}`);
    expect(needsNetwork).toEqual(['check.install', 'fmt.install', 'diff.install', 'diff.comment']);
    for (const [job, step] of runSteps) {
      const skipped = NETWORK_STEPS.has(step.id ?? '');
      expect(skipped, `${job}.${step.id}`).toBe(needsNetwork.includes(`${job}.${step.id}`));
      if (!skipped) expect(Object.values(step.env ?? {}).join(''), `${job}.${step.id}`).not.toContain('${{');
    }
  });
});

describe('shellcheck', () => {
  it.each(runSteps.map(([job, s]) => [`${job}.${s.id}`, s.run!]))('the run step %s is clean', (name, script) => {
    const r = shellcheck(script, name);
    expect(r.status, r.out).toBe(0);
  });

  it(`${HOOK_FILE} is clean and executable`, () => {
    const r = shellcheck(HOOK_TEXT, HOOK_FILE);
    expect(r.status, r.out).toBe(0);
    expect(statSync(join(ROOT, HOOK_FILE)).mode & 0o111).toBe(0o111);
  });

  it('would catch a mistake (an unquoted expansion)', () => {
    expect(shellcheck('f=$1\nrm $f\n', 'probe').status).not.toBe(0);
  });
});

describe('docs/ci.md', () => {
  /** The bodies of the fenced blocks with this info string. */
  function fenced(info: string): string[] {
    const re = new RegExp('^```' + info + '\\n([\\s\\S]*?)^```$', 'gm');
    return [...DOC.matchAll(re)].map((m) => m[1]!);
  }

  it('quotes the workflow and the hooks verbatim, so the documented recipe is the tested one', () => {
    expect(fenced('yaml')).toContain(WORKFLOW_TEXT);
    expect(fenced('yaml')).toContain(PRE_COMMIT_CONFIG_TEXT);
    expect(fenced('bash')).toContain(HOOK_TEXT);
  });

  it('names the label and the variables the recipe reads', () => {
    for (const word of ['firewall-widening-approved', 'TIERWALL', 'TIERWALL_APPROVAL_LABEL', WORKFLOW_FILE, HOOK_FILE, PRE_COMMIT_CONFIG_FILE]) expect(DOC).toContain(word);
  });
});
