// syntax: the hand-written token matchers (src/syntax/token-matchers.ts) against the regexps they
// replace, on random texts made of the characters that matter to each, at every offset; and one
// token of 10 MB per matcher, which the regexps could not match (V8 regexp stack).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchAddress, matchCidr, matchComment, matchIdentifier, matchIpv6Prefix, matchNumber, matchString } from '../../src/syntax/token-matchers.js';

type Matcher = (text: string, offset: number) => RegExpExecArray | null;

/** The patterns as they were in tokens.ts, sticky so they match at an offset as chevrotain did. */
const CASES: readonly [string, Matcher, RegExp, string][] = [
  ['Identifier', matchIdentifier, /[A-Za-z_](?:[A-Za-z0-9_.]|-(?!>))*/y, 'aZ_.-> 9"'],
  ['String', matchString, /"(?:[^"\\\r\n]|\\[^\r\n]?)*"?/y, '"\\\r\na #'],
  ['Cidr', matchCidr, /\d+(?:\.\d+)*\/\d+/y, '09./a '],
  ['Address', matchAddress, /\d+(?:\.\d+)+/y, '09./a '],
  ['Number', matchNumber, /\d+/y, '09./a '],
  // New with the ipv6 tier option (no old regexp): the regexp states what the loop must match.
  ['Ipv6Prefix', matchIpv6Prefix, /[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*\/\d+/y, ':aF09/g. '],
  ['Comment', matchComment, /#(?:[^\r\n]*[^ \t\r\n])?|\/\/(?:[^\r\n]*[^ \t\r\n])?/y, '#/ \t\r\na'],
];

const regexpImage = (re: RegExp, text: string, offset: number): string | null => {
  re.lastIndex = offset;
  const m = re.exec(text);
  return m ? m[0] : null;
};

describe('token matchers', () => {
  it.each(CASES)('%s matches what its old regexp matched, at every offset', (_name, match, re, alphabet) => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((cs) => cs.join('')), (text) => {
        for (let at = 0; at <= text.length; at++) {
          const got = match(text, at);
          expect(got === null ? null : got[0]).toBe(regexpImage(re, text, at));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['Identifier', matchIdentifier, (n: number) => `a${'b-'.repeat(n / 2)}`],
    ['String', matchString, (n: number) => `"${'a\\"'.repeat(n / 3)}"`],
    ['Cidr', matchCidr, (n: number) => `${'1.'.repeat(n / 2)}1/24`],
    ['Address', matchAddress, (n: number) => `${'1.'.repeat(n / 2)}1`],
    ['Ipv6Prefix', matchIpv6Prefix, (n: number) => `${'a:'.repeat(n / 2)}:/64`],
    ['Comment', matchComment, (n: number) => `#${'x '.repeat(n / 2)}`],
  ])('%s matches a 10 MB token whole', (_name, match, make) => {
    const text = make(10 * 1024 * 1024);
    const expected = _name === 'Comment' ? text.trimEnd() : text;
    expect(match(text, 0)?.[0].length).toBe(expected.length);
  });
});
