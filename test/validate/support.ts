// test support for translation validation: the real backend's rules.v4 for a policy, the example
// policies (through the front end when it loads, else hand-built), and line-level text mutations.
import { readdirSync, readFileSync } from 'node:fs';
import type { Policy } from '../../src/ir/types.js';
import { buildIptables } from '../../src/backends/iptables/model.js';
import { restoreText } from '../../src/backends/iptables/restore.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { FIXTURES, frontEnd } from '../backends/iptables/fixtures.js';

/** What the iptables backend emits for a policy: rules.v4 and the DOCKER-USER entry rule. */
export function backendOutput(policy: Policy): { text: string; entry: string } {
  const model = buildIptables(policy);
  return { text: restoreText(model), entry: model.entryRule };
}

const POLICIES = new URL('../../policies/', import.meta.url);

/**
 * Every file in policies/, lowered by the front end; when the front end cannot load yet, the
 * hand-built IR of the files that have one (test/backends/iptables/fixtures.ts), else a reason to skip.
 */
export async function examplePolicies(): Promise<{ file: string; policy: Policy | string }[]> {
  const load = await frontEnd();
  return readdirSync(POLICIES)
    .filter((f) => f.endsWith('.policy'))
    .sort()
    .map((file) => {
      if (typeof load !== 'string') return { file, policy: load(readFileSync(new URL(file, POLICIES), 'utf8'), file) };
      const spec = Object.values(FIXTURES).find((f) => f.spec.file === file)?.spec;
      return { file, policy: spec ? buildPolicy(spec) : `front end not loadable (${load})` };
    });
}

// --- mutations: small text transforms on rules.v4; each throws when its anchor is missing, so a
// change in the backend's output cannot make a mutation test pass vacuously.

function lines(text: string): string[] {
  return text.split('\n');
}

function indexOf(ls: readonly string[], re: RegExp, from = 0): number {
  const i = ls.findIndex((l, k) => k >= from && re.test(l));
  if (i < 0) throw new Error(`mutation anchor not found: ${re}`);
  return i;
}

/** Swaps the first line matching `re` with the line after it. */
export function swapWithNext(text: string, re: RegExp): string {
  const ls = lines(text);
  const i = indexOf(ls, re);
  [ls[i], ls[i + 1]] = [ls[i + 1]!, ls[i]!];
  return ls.join('\n');
}

/** Rewrites the first line matching `re`. */
export function editLine(text: string, re: RegExp, edit: (line: string) => string): string {
  const ls = lines(text);
  const i = indexOf(ls, re);
  const next = edit(ls[i]!);
  if (next === ls[i]) throw new Error(`mutation changed nothing: ${re}`);
  ls[i] = next;
  return ls.join('\n');
}

export function deleteLine(text: string, re: RegExp): string {
  const ls = lines(text);
  ls.splice(indexOf(ls, re), 1);
  return ls.join('\n');
}

/** Moves the first line matching `what` to just after the first later line matching `after`. */
export function moveAfter(text: string, what: RegExp, after: RegExp): string {
  const ls = lines(text);
  const i = indexOf(ls, what);
  const [line] = ls.splice(i, 1);
  const j = indexOf(ls, after, i);
  ls.splice(j + 1, 0, line!);
  return ls.join('\n');
}

/** 1-based line number of the first line matching `re` (to assert where a problem points). */
export function lineNo(text: string, re: RegExp): number {
  return indexOf(lines(text), re) + 1;
}

/** CPU milliseconds of the fastest of `runs` calls (the first ones also warm up the JIT). */
export function fastest(runs: number, f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}
