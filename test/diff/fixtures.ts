// test support for diff: policies/three-tier.policy and edits of it, through the real front end.
import { readFileSync } from 'node:fs';
import { loadPolicy } from '../support/policy.js';
import type { Policy } from '../../src/ir/types.js';

export const BASE_FILE = 'policies/three-tier.policy';
export const BASE = readFileSync(new URL('../../policies/three-tier.policy', import.meta.url), 'utf8');

/** The base text with each [from, to] applied once; throws when `from` is missing (a stale test). */
export function edit(...replacements: [string, string][]): string {
  let text = BASE;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`fixture edit: '${from}' is not in ${BASE_FILE}`);
    text = text.replace(from, to);
  }
  return text;
}

export function base(): Policy {
  return loadPolicy(BASE, 'old.policy');
}

export function edited(...replacements: [string, string][]): Policy {
  return loadPolicy(edit(...replacements), 'new.policy');
}
