// test/fuzz: mutations of valid policies. Input: a policy text. Output: fast-check arbitraries of broken
// texts: characters or whole tokens deleted, duplicated, swapped or inserted (punctuation, keywords,
// control characters, unicode, lone surrogates), and truncations. Only texts: no knowledge of the grammar
// beyond the lexer's tokens, so nothing here can hide a parser bug by construction.
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SourceFile } from '../../src/source/source-file.js';
import { lex } from '../../src/syntax/lexer.js';
import { policyText } from '../support/arbitrary-policy.js';

const POLICIES = fileURLToPath(new URL('../../policies/', import.meta.url));

/** The shipped example policies: realistic seeds for mutation. */
export const EXAMPLES: readonly string[] = readdirSync(POLICIES)
  .filter((f) => f.endsWith('.policy'))
  .sort()
  .map((f) => readFileSync(POLICIES + f, 'utf8'));

/** Valid starting points: the examples and generated policies (small, so mutants stay cheap). */
export const validSeed: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...EXAMPLES) },
  { weight: 3, arbitrary: policyText({ maxTiers: 4, maxRules: 6, maxServices: 2 }) },
);

/** Pieces worth inserting: the language's punctuation and words, and everything a lexer can trip on. */
const PIECES = [
  '{', '}', ';', ',', '->', '-', '/', ':', '"', '\\', '#', '//', '"x"', '"\\"', '\\"',
  'policy', 'tier', 'net', 'allow', 'deny', 'default', 'service', 'any', 'world', 'host', 'log', 'isolated', 'gateway', 'bridge', 'tcp', 'udp', 'icmp',
  'image', 'tiers', 'publish', 'env', 'command', 'tmpfs', 'user', 'cap_add', 'address', 'writable',
  '0', '65535', '65536', '99999999999999999999', '1.2.3.4', '10.0.0.0/8', '1.2.3.4:80', '0.0.0.0/0', '10.0.1/24',
  '\n', '\r\n', '\r', '\t', ' ', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u00a0', '\ufeff', '\u200b',
  '\u2028', '\u202e', '\u2066', '\ud800', '\udfff', '\ud83d\udd25', '\u0430', '\uff1b', '\ufffd',
  '$(touch /tmp/tierwall-pwned)', '`id`', "'", '%n', '${HOME}', '|', '&&',
];

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** One edit; positions are taken modulo the current length when applied. */
type Edit =
  | { readonly op: 'delete' | 'duplicate'; readonly at: number; readonly len: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'swap'; readonly at: number; readonly other: number; readonly len: number }
  | { readonly op: 'truncate'; readonly at: number };

const at = fc.nat();
const len = fc.integer({ min: 1, max: 12 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at, len }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at, text: piece }) },
  fc.record({ op: fc.constant('swap' as const), at, other: at, len }),
  fc.record({ op: fc.constant('truncate' as const), at }),
);

/** Applies edits to a list of units (characters or tokens); inserted text becomes one unit. */
function apply(units: string[], edits: readonly Edit[]): string[] {
  let u = units;
  for (const e of edits) {
    const n = u.length;
    const p = n === 0 ? 0 : e.at % (n + 1);
    switch (e.op) {
      case 'delete': u = [...u.slice(0, p), ...u.slice(p + e.len)]; break;
      case 'duplicate': u = [...u.slice(0, p + e.len), ...u.slice(p, p + e.len), ...u.slice(p + e.len)]; break;
      case 'insert': u = [...u.slice(0, p), e.text, ...u.slice(p)]; break;
      case 'truncate': u = u.slice(0, p); break;
      case 'swap': {
        const q = n === 0 ? 0 : e.other % (n + 1);
        const [a, b] = p <= q ? [p, q] : [q, p];
        if (a + e.len > b) break; // overlapping runs: nothing to swap
        u = [...u.slice(0, a), ...u.slice(b, b + e.len), ...u.slice(a + e.len, b), ...u.slice(a, a + e.len), ...u.slice(b + e.len)];
        break;
      }
    }
  }
  return u;
}

/** The text as lexer tokens and comments, each keeping the whitespace before it (so joins restore it). */
function tokenUnits(text: string): string[] {
  const r = lex(new SourceFile('seed.policy', text));
  const items = [...r.tokens, ...r.comments].sort((a, b) => a.startOffset - b.startOffset);
  const units: string[] = [];
  let last = 0;
  for (const t of items) {
    units.push(text.slice(last, t.startOffset + t.image.length));
    last = t.startOffset + t.image.length;
  }
  units.push(text.slice(last));
  return units;
}

/** Character-level mutants (UTF-16 code units: edits may split a surrogate pair, on purpose). */
export const charMutant: fc.Arbitrary<string> = fc
  .tuple(validSeed, fc.array(edit, { minLength: 1, maxLength: 6 }))
  .map(([text, edits]) => apply([...text.split('')], edits).join(''));

/** Token-level mutants: whole tokens deleted, repeated, swapped; pieces inserted between them. */
export const tokenMutant: fc.Arbitrary<string> = fc
  .tuple(validSeed, fc.array(edit, { minLength: 1, maxLength: 5 }), fc.constantFrom('', ' ', '\n'))
  .map(([text, edits, glue]) => apply(tokenUnits(text), edits.map((e) => (e.op === 'insert' ? { ...e, text: glue + e.text } : e))).join(''));

/** Any mutant. */
export const mutant: fc.Arbitrary<string> = fc.oneof(charMutant, tokenMutant);
