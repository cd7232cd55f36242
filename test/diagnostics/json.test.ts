// JSON renderer: validated against schemas/diagnostics.schema.json; positions, nulls, order, summary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SourceFile } from '../../src/source/source-file.js';
import { diag } from '../../src/diagnostics/diagnostic.js';
import { renderJson } from '../../src/diagnostics/render/json.js';
import { at, overlap, sourceMap, spanOf, X } from './fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/diagnostics.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

function valid(text: string): unknown {
  const doc: unknown = JSON.parse(text);
  expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  return doc;
}

const noSpan = diag('internal-error', { detail: 'boom' }, undefined, { hints: ['please report it'] });
const lost = diag('duplicate-tier', { name: 'a' }, { file: 'gone.policy', start: 1, end: 2 });

describe('json', () => {
  it('matches the schema for located, spanless and unknown-file diagnostics', () => {
    valid(renderJson([overlap(), noSpan, lost, at(X.span(0, 0), 'info')], sourceMap(X)));
    valid(renderJson([], new Map()));
  });

  it('writes the documented shape with exclusive ends, 2-space indent and a trailing newline', () => {
    const text = renderJson([overlap()], sourceMap(X));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "version": 1,\n  "diagnostics": [\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      diagnostics: [
        {
          code: 'cidr-overlap',
          severity: 'error',
          message: "subnet 10.0.0.0/16 of tier 'b' overlaps 10.0.1.0/24 of tier 'a'",
          file: 'policies/x.policy',
          start: { line: 4, col: 8, offset: 51 },
          end: { line: 4, col: 19, offset: 62 },
          related: [{
            message: 'first declared here',
            file: 'policies/x.policy',
            start: { line: 3, col: 8, offset: 31 },
            end: { line: 3, col: 19, offset: 42 },
          }],
          hints: ["give tier 'b' a subnet disjoint from 10.0.1.0/24"],
        },
      ],
      summary: { errors: 1, warnings: 0, infos: 0 },
    });
    expect(Object.keys(JSON.parse(text).diagnostics[0])).toEqual(
      ['code', 'severity', 'message', 'file', 'start', 'end', 'related', 'hints'],
    );
  });

  it('uses null positions without a span or without the file', () => {
    const [a, b] = (JSON.parse(renderJson([noSpan, lost], new Map())) as { diagnostics: Record<string, unknown>[] }).diagnostics;
    expect(a).toMatchObject({ code: 'internal-error', file: null, start: null, end: null, hints: ['please report it'] });
    expect(b).toMatchObject({ code: 'duplicate-tier', file: 'gone.policy', start: null, end: null });
  });

  it('clamps offsets to the text and counts columns in UTF-16 code units', () => {
    const f = new SourceFile('u.policy', 'a 😀 b\n');
    const d = JSON.parse(renderJson([at(spanOf(f, 'b')), at(f.span(90, 99))], sourceMap(f))).diagnostics;
    expect(d[0].start).toEqual({ line: 1, col: 6, offset: 5 });
    expect(d[1].start).toEqual({ line: 2, col: 1, offset: 7 });
    expect(d[1].end).toEqual(d[1].start);
  });

  it('is deterministic: input order does not matter; summary counts severities', () => {
    const ds = [at(spanOf(X, 'tier b'), 'warning'), overlap(), at(spanOf(X, 'policy'), 'info'), noSpan];
    const text = renderJson(ds, sourceMap(X));
    expect(renderJson([...ds].reverse(), sourceMap(X))).toBe(text);
    const doc = JSON.parse(text);
    expect(doc.summary).toEqual({ errors: 2, warnings: 1, infos: 1 });
    expect(doc.diagnostics.map((d: { code: string }) => d.code)).toEqual(
      ['internal-error', 'syntax-error', 'syntax-error', 'cidr-overlap'],
    );
  });

  it('the schema rejects what the renderer never writes', () => {
    const doc = JSON.parse(renderJson([overlap()], sourceMap(X)));
    expect(validate({ ...doc, version: 2 })).toBe(false);
    expect(validate({ ...doc, diagnostics: [{ ...doc.diagnostics[0], severity: 'fatal' }] })).toBe(false);
    expect(validate({ ...doc, diagnostics: [{ ...doc.diagnostics[0], start: { line: 0, col: 1, offset: 0 } }] })).toBe(false);
  });
});
