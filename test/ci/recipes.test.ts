// The GitHub Actions recipe (docs/ci/tierwall.yml) run as docs/ci.md shows it: each scenario is a
// scratch repository with a base commit and a pull request on top, and the workflow's own `run:`
// steps are executed with the environment a GitHub runner provides. The hooks: pre-commit*.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { BASE, edit } from '../diff/fixtures.js';
import { ROOT } from '../support/cli.js';
import { pullRequest, pullRequestEvent, type PullRequestOptions, type Scratch, type Tree } from './scratch.js';
import { runJob, stepOf, WORKFLOW, type JobRun } from './workflow.js';

// The SARIF 2.1.0 schema the SARIF renderer's tests use (draft-04 `id`, a pattern ajv's u flag rejects).
const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const { $schema: _draft, id, ...sarifSchema } = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormatsModule.default(ajv);
const validateSarif = ajv.compile({ ...sarifSchema, $id: id });

const LABEL = 'firewall-widening-approved';
const PROD = 'policies/prod.policy';
const WEB = 'policies/web.policy';
/** A name that breaks unquoted expansions and option parsing. */
const ODD = '-new site.policy';
const WEB_TEXT = readFileSync(join(ROOT, 'policies/web-platform.policy'), 'utf8');
const BASE_TREE: Tree = { [PROD]: BASE, [WEB]: WEB_TEXT, 'README.md': '# infra\n' };

const WIDER = edit(['tcp/8080;', 'tcp/8080-8081;']);
const TIGHTER = edit(['allow backend -> database tcp/5432;', 'deny backend -> database tcp/5432;']);

let scratch: Scratch | undefined;
afterEach(() => {
  scratch?.remove();
  scratch = undefined;
});

function pr(head: Tree, opts: PullRequestOptions = {}): Scratch {
  scratch = pullRequest(BASE_TREE, head, opts);
  return scratch;
}

function job(name: 'check' | 'fmt' | 'diff', s: Scratch, labels: readonly string[] = []): JobRun {
  return runJob(name, { workspace: s.workspace, eventName: 'pull_request', event: pullRequestEvent(labels), baseRef: 'main' });
}

/** Exit status per step id, in order. */
const statuses = (run: JobRun) => Object.fromEntries(run.steps.map((s) => [s.id, s.status]));
const read = (s: Scratch, path: string) => readFileSync(join(s.workspace, path), 'utf8');

describe('GitHub Actions recipe: diff gate', () => {
  it('a change that only tightens passes; the comment lists it as newly denied', () => {
    const s = pr({ [PROD]: TIGHTER });
    const run = job('diff', s);
    expect(statuses(run), run.steps.map((x) => x.stderr).join('')).toEqual({ diff: 0 });
    const body = read(s, 'tierwall-diff.md');
    expect(body).toMatch(/^### tierwall diff `[0-9a-f]{7,}:policies\/prod\.policy` → `policies\/prod\.policy`/);
    expect(body).toContain('| newly denied | backend → database | `tcp/5432` |');
    expect(body).not.toContain('newly allowed');
    // Only the changed policy is compared.
    expect(body).not.toContain(WEB);
    expect(run.summary).toBe(body);
  });

  it('a widening change without the label fails with exit 2, and the comment lists the newly allowed flow', () => {
    const s = pr({ [PROD]: WIDER });
    const run = job('diff', s, ['documentation']);
    expect(statuses(run)).toEqual({ diff: 2 });
    expect(run.steps[0]!.stdout).toContain(`::error title=tierwall::this pull request newly allows traffic; add the '${LABEL}' label`);
    const body = read(s, 'tierwall-diff.md');
    const row = '| ⚠️ newly allowed | frontend → backend | `tcp/8081` | deny (default) | allow (`policies/prod.policy:8`) |';
    expect(body).toContain(row);
    // docs/ci.md shows this row as its example.
    expect(readFileSync(join(ROOT, 'docs/ci.md'), 'utf8')).toContain(`\n${row}\n`);
    expect(body).toContain(`**This change widens access.** It passes only with the \`${LABEL}\` label.`);
    expect(run.summary).toBe(body);
  });

  it('the same change with the approval label passes and says who approved it', () => {
    const s = pr({ [PROD]: WIDER });
    const run = job('diff', s, ['documentation', LABEL]);
    expect(statuses(run)).toEqual({ diff: 0 });
    const body = read(s, 'tierwall-diff.md');
    expect(body).toContain('⚠️ newly allowed');
    expect(body).toContain(`Widening approved by the \`${LABEL}\` label.`);
  });

  it.each(['head', 'merge'] as const)("compares with where the PR left main, not with main's later commits (%s checkout)", (checkout) => {
    // main meanwhile widened web.policy; the pull request only tightens prod.policy.
    const webWider = WEB_TEXT.replace(/tcp\/(\d+);/, 'tcp/$1-65535;');
    expect(webWider).not.toBe(WEB_TEXT);
    const s = pr({ [PROD]: TIGHTER }, { advance: { [WEB]: webWider }, checkout });
    const run = job('diff', s);
    expect(statuses(run), run.steps.map((x) => x.stderr).join('')).toEqual({ diff: 0 });
    const body = read(s, 'tierwall-diff.md');
    expect(body).toContain('| newly denied | backend → database | `tcp/5432` |');
    expect(body).not.toContain(WEB);
  });

  it('an event payload without readable labels is an error (exit 1), never a silent approval or refusal', () => {
    const s = pr({ [PROD]: WIDER });
    const run = runJob('diff', { workspace: s.workspace, eventName: 'pull_request', event: 'not a payload', baseRef: 'main' });
    expect(statuses(run)).toEqual({ diff: 1 });
    expect(run.steps[0]!.stdout).toContain('::error title=tierwall::could not read the labels from ');
  });

  it('a new policy file is compared with an empty one, so everything it allows is new', () => {
    // A space in the name and a leading '-': every path is quoted and after `--` in the scripts.
    const s = pr({ [ODD]: BASE });
    const run = job('diff', s);
    expect(statuses(run)).toEqual({ diff: 2 });
    const body = read(s, 'tierwall-diff.md');
    expect(body).toContain(`### tierwall diff \`/dev/null\` → \`${ODD}\``);
    // Its tiers are new, so the diff reports them (and what they reach) rather than flow classes.
    expect(body).toContain('| ⚠️ added | `frontend` | `172.20.1.0/24` gateway `172.20.1.1` bridge `web-bridge`; allowed to reach: backend;');
  });

  it('a deleted policy file is compared with an empty one: it only removes access, so it passes', () => {
    const s = pr({ [WEB]: null });
    const run = job('diff', s);
    expect(statuses(run), run.steps.map((x) => x.stderr).join('')).toEqual({ diff: 0 });
    const body = read(s, 'tierwall-diff.md');
    expect(body).toMatch(/^### tierwall diff `[0-9a-f]{7,}:policies\/web\.policy` → `\/dev\/null`/);
    expect(body).not.toContain('⚠️');
  });

  it('a pull request that touches no policy passes without a comment', () => {
    const s = pr({ 'README.md': '# infra, documented\n' });
    const run = job('diff', s);
    expect(statuses(run)).toEqual({ diff: 0 });
    expect(run.steps[0]!.stdout).toBe('no .policy file changed\n');
    expect(existsSync(join(s.workspace, 'tierwall-diff.md'))).toBe(false);
  });

  it('a head policy with errors fails the step with exit 1, and the comment says so', () => {
    const s = pr({ [PROD]: edit(['allow frontend -> backend', 'allow frontend -> backnd']) });
    const run = job('diff', s, [LABEL]);
    expect(statuses(run)).toEqual({ diff: 1 });
    expect(run.steps[0]!.stderr).toContain('error[unknown-tier]');
    expect(read(s, 'tierwall-diff.md')).toContain('**tierwall diff failed on `policies/prod.policy`** (exit 1)');
  });

  it('posts the comment from the file the diff step wrote, even after the gate failed', () => {
    const diff = stepOf('diff', 'diff');
    const comment = stepOf('diff', 'comment');
    expect(diff.run).toContain('body=tierwall-diff.md');
    expect(comment.if).toBe("${{ !cancelled() && hashFiles('tierwall-diff.md') != '' }}");
    expect(comment.run).toBe('gh pr comment "$PR" --body-file tierwall-diff.md --edit-last --create-if-none');
    expect(comment.env).toEqual({ GH_TOKEN: '${{ github.token }}', PR: '${{ github.event.pull_request.number }}' });
  });
});

describe('GitHub Actions recipe: check and fmt', () => {
  it('a clean pull request passes check and fmt; the SARIF is valid and has the warnings', () => {
    const s = pr({ [PROD]: WIDER, [ODD]: BASE });
    expect(statuses(job('check', s))).toEqual({ check: 0 });
    expect(statuses(job('fmt', s))).toEqual({ fmt: 0 });
    const log = JSON.parse(read(s, 'tierwall.sarif'));
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(log.runs[0].results.every((r: { level: string }) => r.level !== 'error')).toBe(true);
    // Every file with warnings was checked (git ls-files), under its repository path as a URI
    // (web.policy publishes on 0.0.0.0: publish-wildcard).
    const uris = new Set(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(['-new%20site.policy', PROD, WEB]);
  });

  it('a mis-formatted policy fails the fmt step, naming the file', () => {
    const s = pr({ [PROD]: edit(['allow frontend -> backend tcp/8080;', 'allow   frontend->backend   tcp/8080 ;']) });
    const run = job('fmt', s);
    expect(statuses(run)).toEqual({ fmt: 1 });
    expect(run.steps[0]!.stdout).toBe(`${PROD}\n`);
    expect(run.steps[0]!.stderr).toContain('tierwall fmt --write');
    // Formatting is not meaning: check passes and the diff sees no change.
    expect(statuses(job('check', s))).toEqual({ check: 0 });
    expect(statuses(job('diff', s))).toEqual({ diff: 0 });
  });

  it('a policy with an error fails the check step, and the SARIF is still written, valid and located', () => {
    const s = pr({ [PROD]: edit(['allow frontend -> backend', 'allow frontend -> backnd']) });
    const run = job('check', s);
    expect(statuses(run)).toEqual({ check: 1 });
    const log = JSON.parse(read(s, 'tierwall.sarif'));
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const errors = log.runs[0].results.filter((r: { level: string }) => r.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].ruleId).toBe('unknown-tier');
    // Relative to the repository root, as code scanning resolves it.
    expect(errors[0].locations[0].physicalLocation.artifactLocation.uri).toBe(PROD);
    expect(errors[0].locations[0].physicalLocation.region.startLine).toBe(8);
    // The upload step runs after the failure and takes that file.
    const upload = WORKFLOW.jobs.check!.steps.find((x) => x.uses?.startsWith('github/codeql-action/upload-sarif@'));
    if (!upload) throw new Error('the check job has no upload-sarif step');
    expect(upload.if).toBe("${{ !cancelled() && hashFiles('tierwall.sarif') != '' && (github.event_name == 'push' || " +
      "(github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]')) }}");
    expect(upload.with).toEqual({ sarif_file: 'tierwall.sarif', category: 'tierwall' });
  });
});
