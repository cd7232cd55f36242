// cli: `tierwall diff <old> <new>`: what changes in the decisions between two policies (files,
// '-' or git REV:path). Exit codes like `git diff --exit-code`: 0 no change, 1 error, 2 changes.
import { SourceFile } from '../../source/source-file.js';
import { analyze } from '../../pipeline.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Policy } from '../../ir/types.js';
import { diffPolicies } from '../../diff/diff.js';
import { readGitBlob, resolveSpec } from '../../diff/revision.js';
import { renderText } from '../../diff/render-text.js';
import { renderMarkdown } from '../../diff/render-markdown.js';
import { renderJson } from '../../diff/render-json.js';
import type { DiffLabels, DiffResult } from '../../diff/types.js';
import { InputError, readInput } from '../io.js';
import { printDiagnostics } from '../output.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];
export const FAIL_ON = ['any', 'widen'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Not EXIT from output.ts: diff's codes follow `git diff --exit-code` and terraform -detailed-exitcode. */
export const DIFF_EXIT = { same: 0, error: 1, changed: 2 } as const;

export interface DiffOptions {
  format?: string;
  /** `any` (default): exit 2 on any change. `widen`: exit 2 only when access widens. */
  failOn?: string;
}

const RENDER: Record<DiffFormat, (r: DiffResult, l: DiffLabels) => string> = { text: renderText, markdown: renderMarkdown, json: renderJson };

function fail(message: string): number {
  process.stderr.write(`error[io-error]: ${message}\n`);
  return DIFF_EXIT.error;
}

/** The name and text of one side, or why it cannot be read. */
function load(spec: string): { name: string; text: string } | string {
  const target = resolveSpec(spec);
  try {
    switch (target.kind) {
      case 'error':
        return target.message;
      case 'stdin':
        return readInput('-');
      case 'file':
        return readInput(target.path);
      case 'git': {
        const blob = readGitBlob(target.rev, target.path);
        // Named as the user wrote it, so rule locations read `HEAD~1:p.policy:12`.
        return blob.ok ? { name: spec, text: blob.text } : blob.error;
      }
    }
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
}

export function runDiff(oldSpec: string, newSpec: string, opts: DiffOptions = {}): number {
  const format = (opts.format ?? 'text') as DiffFormat;
  const failOn = (opts.failOn ?? 'any') as FailOn;
  if (!DIFF_FORMATS.includes(format)) return fail(`unknown format '${format}' (expected ${DIFF_FORMATS.join(', ')})`);
  if (!FAIL_ON.includes(failOn)) return fail(`unknown --fail-on '${failOn}' (expected ${FAIL_ON.join(', ')})`);
  if (oldSpec === '-' && newSpec === '-') return fail("only one side can be '-' (standard input is read once)");

  const policies: Policy[] = [];
  const labels: string[] = [];
  const broken: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  for (const spec of [oldSpec, newSpec]) {
    const input = load(spec);
    if (typeof input === 'string') return fail(input);
    const source = new SourceFile(input.name, input.text);
    const analysis = analyze(source);
    // A policy with errors has no trustworthy meaning to compare; its diagnostics say why.
    if (hasErrors(analysis.diagnostics)) {
      sources.set(input.name, source);
      for (const d of analysis.diagnostics) broken.push(d);
    }
    policies.push(analysis.policy);
    labels.push(input.name);
  }
  if (broken.length > 0) {
    printDiagnostics('text', broken, sources);
    return DIFF_EXIT.error;
  }

  const result = diffPolicies(policies[0]!, policies[1]!);
  process.stdout.write(RENDER[format](result, { old: labels[0]!, new: labels[1]! }));
  if (!result.summary.changed) return DIFF_EXIT.same;
  if (failOn === 'widen') return result.summary.widens ? DIFF_EXIT.changed : DIFF_EXIT.same;
  return DIFF_EXIT.changed;
}
