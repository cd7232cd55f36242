// docs/diagnostics.md must match the code table. Regenerate: `npm run docs:diagnostics`
// (scripts/gen-diagnostics-doc.mjs) or run this test with UPDATE_DOCS=1.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import { diagnosticsMarkdown } from '../../src/diagnostics/render/docs-markdown.js';

const DOC = new URL('../../docs/diagnostics.md', import.meta.url);

describe('docs/diagnostics.md', () => {
  it('is up to date with src/diagnostics/codes.ts', () => {
    const expected = diagnosticsMarkdown();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, expected);
    let actual = '';
    try {
      actual = readFileSync(DOC, 'utf8');
    } catch {
      /* missing: reported below */
    }
    expect(
      actual === expected,
      'docs/diagnostics.md is out of date: run `npm run docs:diagnostics` ' +
        '(or `UPDATE_DOCS=1 npx vitest run test/diagnostics/docs.test.ts`) and commit the result',
    ).toBe(true);
  });

  it('has one row per code with its severity', () => {
    const md = diagnosticsMarkdown();
    for (const [code, entry] of Object.entries(CODES)) expect(md).toContain(`| \`${code}\` | ${entry.severity} | `);
    expect(md.match(/^\| `/gm)).toHaveLength(Object.keys(CODES).length);
    expect(md.endsWith('\n')).toBe(true);
  });
});
