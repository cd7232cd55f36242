// diff: the machine-readable rendering. Input: DiffResult + labels. Output: JSON text following
// schemas/diff.schema.json (diffVersion 1); keys in a fixed order, two-space indent, trailing newline.
import type { DiffLabels, DiffResult } from './types.js';

/** Bumped only on an incompatible change to the JSON shape (new optional keys do not bump it). */
export const DIFF_JSON_VERSION = 1;

export function diffToJson(result: DiffResult, labels: DiffLabels): object {
  return {
    diffVersion: DIFF_JSON_VERSION,
    old: labels.old,
    new: labels.new,
    summary: result.summary,
    flows: result.flows,
    tiers: result.tiers,
    nets: result.nets,
    services: result.services,
  };
}

export function renderJson(result: DiffResult, labels: DiffLabels): string {
  return `${JSON.stringify(diffToJson(result, labels), null, 2)}\n`;
}
