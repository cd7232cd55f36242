// test/fuzz (b): mutants of valid policies (test/fuzz/mutate.ts: characters and tokens deleted,
// duplicated, swapped, inserted, control characters, unicode, lone surrogates, truncation). Whatever the
// text, analyze, fmt and compile answer with diagnostics only: no exception, spans inside the text, codes
// from CODES, no artifacts when there is an error. Plus every prefix of the three-tier example.
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { EXAMPLES, charMutant, tokenMutant } from './mutate.js';
import { TIMEOUT, runs } from './config.js';
import { answersWithDiagnosticsOnly } from './properties.js';

describe('mutated policies get diagnostics, never an exception', () => {
  test('character mutations (delete, duplicate, swap, insert bytes, truncate)', async () => {
    await fc.assert(fc.asyncProperty(charMutant, answersWithDiagnosticsOnly), runs(200, 11, 0.45));
  }, TIMEOUT);

  test('token mutations (whole tokens deleted, repeated, swapped; pieces inserted)', async () => {
    await fc.assert(fc.asyncProperty(tokenMutant, answersWithDiagnosticsOnly), runs(200, 12, 0.45));
  }, TIMEOUT);

  test('arbitrary text (any UTF-16 code units)', async () => {
    const text = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 200 });
    await fc.assert(fc.asyncProperty(text, answersWithDiagnosticsOnly), runs(100, 13, 0.05));
  }, TIMEOUT);

  test('every prefix of the three-tier example (truncation at each position)', async () => {
    const text = EXAMPLES.find((t) => t.includes('policy three-tier;'))!;
    for (let i = 0; i <= text.length; i++) await answersWithDiagnosticsOnly(text.slice(0, i));
  }, TIMEOUT);
});
