// Lexical rules: keywords vs names, dotted numbers, strings, comments, whitespace, BOM, and the
// lexical diagnostics with their spans.
import { describe, expect, test } from 'vitest';
import { lex, stringValue, describeChar } from '../../src/syntax/lexer.js';
import { expectAt, marked, source } from './helpers.js';

const kinds = (text: string): string[] => lex(source(text)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer', () => {
  test('keywords are reserved, longer words are names', () => {
    expect(kinds('tier tiers log logger any any-thing tcp tcp_x')).toEqual([
      'Kw_tier:tier', 'Identifier:tiers', 'Kw_log:log', 'Identifier:logger',
      'Kw_any:any', 'Identifier:any-thing', 'Kw_tcp:tcp', 'Identifier:tcp_x',
    ]);
  });

  test('keywords are case-sensitive', () => {
    expect(kinds('Allow DENY')).toEqual(['Identifier:Allow', 'Identifier:DENY']);
  });

  test('names are lexed broadly (lowering validates them)', () => {
    expect(kinds('br_web.1 Web-1 _x NET_BIND_SERVICE')).toEqual([
      'Identifier:br_web.1', 'Identifier:Web-1', 'Identifier:_x', 'Identifier:NET_BIND_SERVICE',
    ]);
  });

  test("'->' ends a name: a->b is three tokens", () => {
    expect(kinds('web->db any->x')).toEqual(['Identifier:web', 'Arrow:->', 'Identifier:db', 'Kw_any:any', 'Arrow:->', 'Identifier:x']);
  });

  test('CIDR, address and number literals, ports and ranges', () => {
    expect(kinds('10.0.1.0/24 172.20.1.1 80 tcp/9000-9010 0.0.0.0:80 1.2.3')).toEqual([
      'Cidr:10.0.1.0/24', 'Address:172.20.1.1', 'Number:80',
      'Kw_tcp:tcp', 'Slash:/', 'Number:9000', 'Dash:-', 'Number:9010',
      'Address:0.0.0.0', 'Colon::', 'Number:80', 'Address:1.2.3',
    ]);
  });

  test('punctuation', () => {
    expect(kinds('{ } , ; : / - ->')).toEqual(['LBrace:{', 'RBrace:}', 'Comma:,', 'Semicolon:;', 'Colon::', 'Slash:/', 'Dash:-', 'Arrow:->']);
  });

  test('comments with # and //, without trailing blanks, kept apart from tokens', () => {
    const r = lex(source('allow a -> b; # why  \t\n// also\r\ntcp/80 #x'));
    expect(r.comments.map((c) => c.image)).toEqual(['# why', '// also', '#x']);
    expect(r.tokens.map((t) => t.image)).toEqual(['allow', 'a', '->', 'b', ';', 'tcp', '/', '80']);
    expect(r.diagnostics).toEqual([]);
  });

  test('whitespace: spaces, tabs, CR, LF; a BOM only at offset 0', () => {
    const r = lex(source('\uFEFF\tpolicy\r\n  x ;'));
    expect(r.tokens.map((t) => [t.image, t.startOffset])).toEqual([['policy', 2], ['x', 12], [';', 14]]);
    expect(r.diagnostics).toEqual([]);
    const { actual, expected } = expectAt('policy ⟨\uFEFF⟩x;', 'unknown-character');
    expect(actual).toEqual(expected);
  });

  test('strings: escapes \\" and \\\\ only', () => {
    const r = lex(source('"a\\"b\\\\c" "é → #;"'));
    expect(r.tokens.map((t) => stringValue(t.image))).toEqual(['a"b\\c', 'é → #;']);
    expect(r.diagnostics).toEqual([]);
  });

  test('unknown characters are reported one by one and skipped', () => {
    const { text, spans } = marked('allow a -> b ⟨@⟩⟨é⟩ tcp/80;⟨\u0007⟩');
    const r = lex(source(text));
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span?.start, d.span?.end])).toEqual([
      ['unknown-character', "unexpected character '@'", ...spans[0]!],
      ['unknown-character', "unexpected character 'é'", ...spans[1]!],
      ['unknown-character', 'unexpected character U+0007', ...spans[2]!],
    ]);
    expect(r.tokens.map((t) => t.image).join(' ')).toBe('allow a -> b tcp / 80 ;');
  });

  test('describeChar shows invisible characters as code points', () => {
    expect(['@', 'é', '\u00a0', '\u200b', '\u0301', '😀'].map(describeChar)).toEqual(["'@'", "'é'", 'U+00A0', 'U+200B', 'U+0301', "'😀'"]);
  });

  test('unterminated string: from the quote to the end of the line', () => {
    const { actual, expected } = expectAt('service s {\n  image ⟨"nginx;⟩\n}', 'unterminated-string');
    // The string swallowed the ';', so the parser also reports the missing ';'.
    expect(actual.filter((a) => a.startsWith('unterminated'))).toEqual(expected);
  });

  test('control characters and bad escapes in strings', () => {
    const { actual, expected } = expectAt('service s { env A "a⟨\t⟩b⟨\\n⟩c"; }', 'invalid-string');
    expect(actual).toEqual(expected);
    const r = lex(source('"x\\n"'));
    expect(r.diagnostics[0]!.message).toBe("invalid character '\\' followed by 'n' in string");
    expect(r.diagnostics[0]!.hints).toEqual(['the only escapes are \\" and \\\\']);
  });

  test('bidi controls are refused in strings', () => {
    const { actual, expected } = expectAt('service s { env A "abc⟨\u202e⟩def"; }', 'invalid-string');
    expect(actual).toEqual(expected);
  });
});

describe('IPv6 prefixes (tier option ipv6)', () => {
  test('need two colons and /n; publish bindings and names are untouched', () => {
    expect(kinds('ipv6 fd00:1:1::/64 ::/0 2001:DB8::/32 add::/16 1:2:3:4:5:6:7:8/128')).toEqual([
      'Kw_ipv6:ipv6', 'Ipv6Prefix:fd00:1:1::/64', 'Ipv6Prefix:::/0', 'Ipv6Prefix:2001:DB8::/32', 'Ipv6Prefix:add::/16',
      'Ipv6Prefix:1:2:3:4:5:6:7:8/128',
    ]);
    expect(kinds('0.0.0.0:80 1000:1000 fd00::1 deadbeef ipv6x')).toEqual([
      'Address:0.0.0.0', 'Colon::', 'Number:80', 'Number:1000', 'Colon::', 'Number:1000',
      'Identifier:fd00', 'Colon::', 'Colon::', 'Number:1', 'Identifier:deadbeef', 'Identifier:ipv6x',
    ]);
  });
});
