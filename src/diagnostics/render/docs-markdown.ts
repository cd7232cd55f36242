// diagnostics/render: docs/diagnostics.md from the code table (CODES -> markdown; no I/O).
// Regenerate with `npm run docs:diagnostics` (scripts/gen-diagnostics-doc.mjs); a test keeps it current.
import { CODES, type Code } from '../codes.js';

/** Markdown table cells: a '|' would end the cell, a newline the row. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function diagnosticsMarkdown(): string {
  const rows = (Object.keys(CODES) as Code[]).map((c) => `| \`${c}\` | ${CODES[c].severity} | ${cell(CODES[c].doc)} |`);
  return [
    '# Diagnostics',
    '',
    '<!-- Generated from src/diagnostics/codes.ts by `npm run docs:diagnostics`. Do not edit by hand. -->',
    '',
    'Every problem tierwall reports is a diagnostic with a stable code: codes are never renamed or reused.',
    'The severity below is the default; some options and backends raise it (for example a feature a target',
    'cannot express is always an error).',
    '',
    'Diagnostics are rendered as rustc-style `text`, `json` (described by `schemas/diagnostics.schema.json`),',
    '`sarif` (SARIF 2.1.0, for GitHub code scanning; `info` is reported as `note`) or `github`',
    '(workflow commands that annotate a pull request). Lines and columns are 1-based; columns count UTF-16',
    'code units and an end column points just past the last character.',
    '',
    '| code | severity | meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
