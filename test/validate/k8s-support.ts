// test support for validating the k8s output: the real backend's artifacts for a policy as a
// path -> text map, and line-level text mutations. Each mutation throws when its anchor is missing,
// so a change in the backend's output cannot make a mutation test pass vacuously.
import { generateK8s } from '../../src/backends/k8s/backend.js';
import type { Policy } from '../../src/ir/types.js';
import { loadPolicy } from '../support/policy.js';

export const OPTIONS = { namespace: 'shop', dnsEgress: true } as const;

/** Default deny; a range, a deny carved out of a later allow, udp, all traffic, isolated and open tiers. */
export const KMUT_TEXT = `policy kmut;

tier web 10.70.1.0/24;
tier app 10.70.2.0/24;
tier db 10.70.3.0/24 isolated;

allow web -> app tcp/80-90;
deny web -> db tcp/5432;
allow web -> db tcp/5000-6000;
allow app -> db udp/53, tcp/5432;
allow app -> web;
default deny;
`;

export const kmutPolicy = (): Policy => loadPolicy(KMUT_TEXT, 'kmut.policy');

export function k8sFiles(policy: Policy, options: { namespace?: string; dnsEgress?: boolean } = OPTIONS): Map<string, string> {
  const r = generateK8s(policy, options);
  return new Map(r.artifacts.map((a) => [a.path, a.content]));
}

export const tierFile = (tier: string): string => `k8s/tiers/${tier}.yaml`;

/** A copy of `files` with one file's text replaced by `f(text)`. */
export function mutate(files: ReadonlyMap<string, string>, path: string, f: (text: string) => string): Map<string, string> {
  const text = files.get(path);
  if (text === undefined) throw new Error(`no file ${path}`);
  const out = f(text);
  if (out === text) throw new Error(`mutation of ${path} changed nothing`);
  return new Map([...files, [path, out]]);
}

function indexOf(lines: readonly string[], anchor: RegExp, from = 0): number {
  const i = lines.findIndex((l, k) => k >= from && anchor.test(l));
  if (i < 0) throw new Error(`no line matches ${anchor}`);
  return i;
}

/** Replaces the first line matching `anchor` (after the first line matching `after`, when given). */
export function editLine(text: string, anchor: RegExp, f: (line: string) => string, after?: RegExp): string {
  const lines = text.split('\n');
  const i = indexOf(lines, anchor, after ? indexOf(lines, after) : 0);
  lines[i] = f(lines[i]!);
  return lines.join('\n');
}

export function deleteLine(text: string, anchor: RegExp): string {
  const lines = text.split('\n');
  lines.splice(indexOf(lines, anchor), 1);
  return lines.join('\n');
}

export function insertAfter(text: string, anchor: RegExp, added: string): string {
  const lines = text.split('\n');
  lines.splice(indexOf(lines, anchor) + 1, 0, added);
  return lines.join('\n');
}

/**
 * Deletes the rule whose comment matches `comment`: the comment line and the `- from:`/`- to:` item
 * below it, up to the next comment, the next section, or the end.
 */
export function dropRule(text: string, comment: RegExp): string {
  const lines = text.split('\n');
  const i = indexOf(lines, comment);
  let j = i + 1;
  while (j < lines.length && lines[j]!.startsWith('      ') || (j === i + 1 && /^ {4}- (from|to):/.test(lines[j]!))) j++;
  lines.splice(i, j - i);
  return lines.join('\n');
}
