// diagnostics/render: severity counts and the closing summary line ("2 errors, 1 warning emitted").
import type { Diagnostic } from '../diagnostic.js';
import type { Severity } from '../codes.js';

/** How many diagnostics of each severity. */
export interface SeverityCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export function countSeverities(ds: readonly Diagnostic[]): SeverityCounts {
  const count = (s: Severity) => ds.filter((d) => d.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** The worst severity present and e.g. "2 errors, 1 warning emitted"; undefined when there is nothing. */
export function summarize(c: SeverityCounts): { severity: Severity; text: string } | undefined {
  const parts: string[] = [];
  const add = (n: number, word: string) => n > 0 && parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  add(c.errors, 'error');
  add(c.warnings, 'warning');
  add(c.infos, 'info');
  if (parts.length === 0) return undefined;
  const severity: Severity = c.errors > 0 ? 'error' : c.warnings > 0 ? 'warning' : 'info';
  return { severity, text: `${parts.join(', ')} emitted` };
}
