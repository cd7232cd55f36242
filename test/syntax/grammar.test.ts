// The grammar's build-time checks, run once with validations on (production builds skip them),
// and the generated CST types kept in step with the grammar.
import { describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { generateCstDts } from 'chevrotain';
import { TierwallParser } from '../../src/syntax/parser.js';
import { buildLexer } from '../../src/syntax/lexer.js';
import { ALL_TOKENS, TOKEN_LABEL } from '../../src/syntax/tokens.js';
import { parseText } from './helpers.js';

describe('grammar', () => {
  test('the lexer passes chevrotain validations with all optimizations', () => {
    expect(() => buildLexer(true)).not.toThrow();
  });

  test('the parser passes chevrotain grammar validations (LL(2), no ambiguity)', () => {
    expect(() => new TierwallParser({ validate: true })).not.toThrow();
  });

  test('src/syntax/cst-types.ts matches the grammar', () => {
    const generated = generateCstDts(new TierwallParser().getGAstProductions(), { includeVisitorInterface: false });
    const path = new URL('../../src/syntax/cst-types.ts', import.meta.url);
    const current = readFileSync(path, 'utf8');
    const header = current.split('\n').slice(0, 2).join('\n');
    if (!current.endsWith(generated)) writeFileSync(`${path.pathname}.actual`, `${header}\n${generated}`);
    expect(current.endsWith(generated), 'grammar changed: copy src/syntax/cst-types.ts.actual over cst-types.ts').toBe(true);
  });

  test('every token that can be expected has a user-facing label', () => {
    const unlabelled = ALL_TOKENS.filter((t) => !TOKEN_LABEL.has(t)).map((t) => t.name);
    expect(unlabelled.sort()).toEqual(['Bom', 'Comment', 'WhiteSpace']);
  });

  // Messages are for users: never chevrotain's token type names, rule names or regex text.
  test.each([
    'tier a 10.0.0.0/24', 'tier', 'tier a', 'tier a b;', 'tier a 10.0.0.0/24 gateway;', 'tier a 10.0.0.0/24 bridge;',
    'allow', 'allow a', 'allow a ->', 'allow a -> b tcp', 'allow a -> b tcp/', 'allow a -> b tcp/1-', 'allow a -> b tcp/1 log log;',
    'deny , -> b;', 'default;', 'default maybe;', 'policy;', 'policy "x";', 'service', 'service x', 'service x {',
    'service x { a b c', 'service x { a, ; }', 'service x { p 1.2.3.4: ; }', 'service x { p 1.2.3.4:80 -> icmp; }',
    'service x { p 1.2.3.4:80 -> tcp 80; }', '}', ';', 'x', '->', '"s"', '10.0.0.0/24;',
  ])('message for %j', (text) => {
    const { diagnostics } = parseText(text);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d.message).toMatch(/^expected .+, found .+$|is given twice/);
      expect(d.message).not.toMatch(/Identifier|Semicolon|Kw_|NumberLit|Number\b|Cidr|Address\b|Arrow|Comma|LBrace|RBrace|EOF|Decl\b|[\\^$]|\[object/);
    }
  });
});
