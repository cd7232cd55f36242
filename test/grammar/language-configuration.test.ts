// grammar/language-configuration.json: what VS Code reads for comments, brackets, quotes and words.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { matchIdentifier } from '../../src/syntax/token-matchers.js';

const config = JSON.parse(readFileSync(new URL('../../grammar/language-configuration.json', import.meta.url), 'utf8')) as {
  comments: { lineComment: string };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
};

test('line comments toggle with #', () => {
  expect(config.comments.lineComment).toBe('#');
});

test('braces are brackets; braces and quotes close automatically, quotes not inside strings', () => {
  expect(config.brackets).toEqual([['{', '}']]);
  expect(config.autoClosingPairs).toContainEqual({ open: '{', close: '}' });
  expect(config.autoClosingPairs).toContainEqual({ open: '"', close: '"', notIn: ['string', 'comment'] });
  expect(config.surroundingPairs).toContainEqual(['"', '"']);
});

test('a word is a whole name (web-bridge, br_app.1) or a whole address, as the lexer sees it', () => {
  const words = (text: string) => text.match(new RegExp(config.wordPattern, 'g'));
  expect(words('tier web-bridge 10.0.1.0/24 bridge br_app.1;')).toEqual(['tier', 'web-bridge', '10.0.1.0/24', 'bridge', 'br_app.1']);
  expect(words('allow web->db tcp/80;')).toEqual(['allow', 'web', 'db', 'tcp', '80']);
  // Same language as the lexer's Identifier, so double-click selects what the compiler calls a name.
  const whole = (pattern: string, text: string) => new RegExp(`^(?:${pattern})$`).test(text);
  for (const text of ['web', 'app-tier', 'br_app.1', 'NET_BIND_SERVICE', 'web-', 'web->', 'a.-b', '-web', '.web']) {
    // The lexer's Identifier is a hand-written matcher (src/syntax/token-matchers.ts): a whole name is
    // one match covering the text.
    expect(whole(config.wordPattern, text), text).toBe(matchIdentifier(text, 0)?.[0] === text);
  }
});

test('indentation follows braces', () => {
  const inc = new RegExp(config.indentationRules.increaseIndentPattern);
  const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
  expect(inc.test('service web {')).toBe(true);
  expect(inc.test('service web {  # the proxy')).toBe(true);
  expect(inc.test('  command "{";')).toBe(false);
  expect(dec.test('  }')).toBe(true);
});
