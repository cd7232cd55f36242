// fmt round trips on random valid policies (test/support/arbitrary-policy.ts): the formatted text
// parses to the same AST (modulo spans) with the same tokens and comments, and fmt is idempotent.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { format } from '../../src/syntax/format.js';
import { lex } from '../../src/syntax/lexer.js';
import { arbitraryPolicy, layout, policyModel, renderPolicy, renderWithLayout } from '../support/arbitrary-policy.js';
import { parseText, source, withoutSpans } from './helpers.js';

const images = (text: string): string[] => {
  const r = lex(source(text));
  return [...r.tokens, ...r.comments].sort((a, b) => a.startOffset - b.startOffset).map((t) => t.image);
};

describe('format (properties)', () => {
  test('generated policies parse without diagnostics', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), ({ text }) => {
        expect(parseText(text).diagnostics).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  test('parse(fmt(x)) = parse(x) modulo spans; same tokens and comments; fmt idempotent', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), ({ text }) => {
        const once = format(source(text));
        expect(once.diagnostics).toEqual([]);
        expect(withoutSpans(parseText(once.text).ast)).toEqual(withoutSpans(parseText(text).ast));
        expect(images(once.text)).toEqual(images(text));
        expect(format(source(once.text)).text).toBe(once.text);
        expect(once.text.includes('\r')).toBe(false);
      }),
      { numRuns: 250 },
    );
  });

  test('the canonical rendering of a model is already formatted', () => {
    fc.assert(
      fc.property(policyModel(), (model) => {
        const text = renderPolicy(model);
        expect(format(source(text)).text).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  test('without comments and blank lines, every layout of a model formats to its canonical rendering', () => {
    // Comments removed by their lexed offsets (a '#' may sit inside a string), then blank lines dropped.
    const normal = (text: string): string => {
      let bare = '';
      let at = 0;
      for (const c of lex(source(text)).comments) {
        bare += text.slice(at, c.startOffset);
        at = c.startOffset + c.image.length;
      }
      bare += text.slice(at);
      return format(source(bare)).text.split('\n').filter((l) => l !== '').join('\n');
    };
    fc.assert(
      fc.property(policyModel(), layout, (model, l) => {
        expect(normal(format(source(renderWithLayout(model, l))).text)).toBe(normal(renderPolicy(model)));
      }),
      { numRuns: 150 },
    );
  });
});
