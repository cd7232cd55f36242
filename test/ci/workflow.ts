// test support for the CI recipes: reads docs/ci/tierwall.yml and runs a job's `run:` steps the way
// a GitHub-hosted runner would (bash --noprofile --norc -eo pipefail, the runner's env variables),
// skipping only what needs the network; `uses:` steps are stood in for by the scenario itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { BIN, ROOT } from '../support/cli.js';

export const WORKFLOW_FILE = 'docs/ci/tierwall.yml';
export const HOOK_FILE = 'docs/ci/pre-commit';
export const WORKFLOW_TEXT = readFileSync(join(ROOT, WORKFLOW_FILE), 'utf8');

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly 'continue-on-error'?: boolean;
}

export interface Job {
  readonly name?: string;
  readonly if?: string;
  readonly 'runs-on': string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly steps: readonly Step[];
}

export interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export const WORKFLOW = parse(WORKFLOW_TEXT) as Workflow;

/**
 * Steps the test does not run, because they talk to a registry or to GitHub: `npm ci` (the test
 * puts this repository's bin in TIERWALL instead) and the comment, whose input file is asserted on.
 */
export const NETWORK_STEPS: ReadonlySet<string> = new Set(['install', 'comment']);

/** The GitHub Actions default shell for `run:` on Linux. */
export const SHELL = ['bash', '--noprofile', '--norc', '-eo', 'pipefail'];

export interface StepResult {
  readonly id: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunContext {
  /** The checked-out repository (GITHUB_WORKSPACE). */
  readonly workspace: string;
  readonly eventName: 'pull_request' | 'push';
  /** The webhook payload GitHub writes to GITHUB_EVENT_PATH. */
  readonly event: unknown;
  readonly baseRef?: string;
}

export interface JobRun {
  readonly steps: StepResult[];
  /** What the job wrote to GITHUB_STEP_SUMMARY. */
  readonly summary: string;
}

/**
 * Runs the `run:` steps of one job in order and stops at the first failure, as GitHub does for steps
 * without an `if:` (the steps after it that have one are asserted on by the caller).
 */
export function runJob(jobId: string, ctx: RunContext): JobRun {
  const job = WORKFLOW.jobs[jobId];
  if (!job) throw new Error(`no job '${jobId}' in ${WORKFLOW_FILE}`);
  const runner = mkdtempSync(join(ctx.workspace, '..', 'runner-'));
  const eventPath = join(runner, 'event.json');
  const summary = join(runner, 'step-summary.md');
  writeFileSync(eventPath, JSON.stringify(ctx.event));
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: runner,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ctx.workspace,
    GITHUB_EVENT_NAME: ctx.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_BASE_REF: ctx.baseRef ?? '',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: join(runner, 'output'),
    RUNNER_TEMP: runner,
    GIT_CONFIG_NOSYSTEM: '1',
    ...WORKFLOW.env,
    ...job.env,
    // The recipe's documented override: this repository's CLI instead of node_modules/.bin.
    TIERWALL: BIN,
  };
  const steps: StepResult[] = [];
  job.steps.forEach((step, i) => {
    if (step.run === undefined || NETWORK_STEPS.has(step.id ?? '')) return;
    // This runner does not evaluate expressions; a conditional run step needs a test that does.
    if (step.if !== undefined) throw new Error(`${jobId}.${step.id}: runJob cannot evaluate 'if: ${step.if}'`);
    if (steps.some((s) => s.status !== 0)) return;
    const script = join(runner, `step-${i}.sh`);
    writeFileSync(script, step.run);
    const r = spawnSync(SHELL[0]!, [...SHELL.slice(1), script], {
      cwd: ctx.workspace, encoding: 'utf8', timeout: 60_000, env: { ...env, ...step.env },
    });
    steps.push({ id: step.id ?? `#${i}`, status: r.status, stdout: r.stdout, stderr: r.stderr });
  });
  return { steps, summary: readFileSync(summary, 'utf8') };
}

/** The step with this id, or a thrown error naming the job (a renamed step should fail loudly). */
export function stepOf(jobId: string, id: string): Step {
  const step = WORKFLOW.jobs[jobId]?.steps.find((s) => s.id === id);
  if (!step) throw new Error(`${WORKFLOW_FILE}: job '${jobId}' has no step with id '${id}'`);
  return step;
}
