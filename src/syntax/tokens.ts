// syntax: the token vocabulary of the policy language (chevrotain TokenTypes) and the words
// the error messages use for each of them. Input: nothing. Output: token types, ordered for the lexer.
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { matchAddress, matchCidr, matchComment, matchIdentifier, matchIpv6Prefix, matchNumber, matchString } from './token-matchers.js';

// The tokens a writer can make arbitrarily long use the hand-written matchers of token-matchers.ts
// (each comment shows the regexp it implements): one token of 10 MB must lex, and V8's regexps
// need stack per repetition of a group. start_chars_hint keeps chevrotain's first-character dispatch.
const DIGITS = [...'0123456789'];

// Lexed broadly on purpose: names are checked precisely in ir/lower ([a-z][a-z0-9-]* for tiers,
// Linux interface names for bridges), which can then say *why* a name is wrong. A '-' directly
// followed by '>' is not part of a name, so `web->db` lexes as web, ->, db.
export const Identifier = createToken({
  name: 'Identifier',
  pattern: matchIdentifier, // [A-Za-z_](?:[A-Za-z0-9_.]|-(?!>))*
  start_chars_hint: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'],
  line_breaks: false,
});

const keyword = (word: string): TokenType =>
  createToken({ name: `Kw_${word}`, pattern: word, longer_alt: Identifier });

export const Policy = keyword('policy');
export const Tier = keyword('tier');
export const Net = keyword('net');
export const Gateway = keyword('gateway');
export const Bridge = keyword('bridge');
export const Isolated = keyword('isolated');
export const Ipv6 = keyword('ipv6');
export const Allow = keyword('allow');
export const Deny = keyword('deny');
export const Log = keyword('log');
export const Default = keyword('default');
export const Any = keyword('any');
export const World = keyword('world');
export const Host = keyword('host');
export const Service = keyword('service');
export const Tcp = keyword('tcp');
export const Udp = keyword('udp');
export const Icmp = keyword('icmp');

/** Reserved words, in the order the language reference lists them. */
export const KEYWORDS: readonly TokenType[] = [
  Policy, Tier, Net, Gateway, Bridge, Isolated, Ipv6, Allow, Deny, Log, Default, Any, World, Host, Service, Tcp, Udp, Icmp,
];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });

// A byte order mark is whitespace only at offset 0; anywhere else it is an unknown character.
export const Bom = createToken({
  name: 'Bom',
  pattern: (text: string, offset: number) =>
    offset === 0 && text.charCodeAt(0) === 0xfeff ? (['\uFEFF'] as unknown as RegExpExecArray) : null,
  start_chars_hint: ['\uFEFF'],
  line_breaks: false,
  group: Lexer.SKIPPED,
});

// Comments stop before trailing blanks so that fmt keeps their text byte for byte and still
// drops invisible trailing whitespace. Kept in a group (not skipped) for the formatter.
export const Comment = createToken({
  name: 'Comment',
  pattern: matchComment, // #(?:[^\r\n]*[^ \t\r\n])?|\/\/(?:[^\r\n]*[^ \t\r\n])?
  start_chars_hint: ['#', '/'],
  line_breaks: false,
  group: 'comments',
});

// Deliberately permissive: an unterminated string runs to the end of its line and bad content is
// reported by the lexer pass (unterminated-string / invalid-string), so the parser still sees one token.
export const StringLit = createToken({
  name: 'String',
  pattern: matchString, // "(?:[^"\\\r\n]|\\[^\r\n]?)*"?
  start_chars_hint: ['"'],
  line_breaks: false,
});

// Dotted numbers are lexed broadly (any number of parts) so that lowering reports invalid-cidr /
// invalid-address with a reason instead of the parser tripping over a stray '.'.
export const Cidr = createToken({ name: 'Cidr', pattern: matchCidr, start_chars_hint: DIGITS, line_breaks: false }); // \d+(?:\.\d+)*\/\d+
export const Address = createToken({ name: 'Address', pattern: matchAddress, start_chars_hint: DIGITS, line_breaks: false }); // \d+(?:\.\d+)+
export const NumberLit = createToken({ name: 'Number', pattern: matchNumber, start_chars_hint: DIGITS, line_breaks: false }); // \d+

// Before Cidr/Number (`2001:db8::/32` starts with digits), keywords and names (`fd00::/8`, `add::/16`)
// and Colon (`::/0`); it needs two colons and a `/n`, which nothing else the language writes has.
export const Ipv6Prefix = createToken({
  name: 'Ipv6Prefix',
  pattern: matchIpv6Prefix, // [0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*\/\d+
  start_chars_hint: [...DIGITS, ...'abcdefABCDEF:'],
  line_breaks: false,
});

export const Arrow = createToken({ name: 'Arrow', pattern: '->' });
export const Dash = createToken({ name: 'Dash', pattern: '-' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';' });
export const LBrace = createToken({ name: 'LBrace', pattern: '{' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}' });
export const Colon = createToken({ name: 'Colon', pattern: ':' });
export const Slash = createToken({ name: 'Slash', pattern: '/' });

/** Lexer order matters: first match wins, so longer forms come before their prefixes. */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace, Bom, Comment, StringLit, Arrow, Ipv6Prefix, Cidr, Address, NumberLit,
  ...KEYWORDS, Identifier,
  Dash, Comma, Semicolon, LBrace, RBrace, Colon, Slash,
];

/** How messages name what was expected; never a token type name or a regex. */
export const TOKEN_LABEL: ReadonlyMap<TokenType, string> = new Map<TokenType, string>([
  ...KEYWORDS.map((k): [TokenType, string] => [k, `'${k.PATTERN as string}'`]),
  [Identifier, 'a name'],
  [StringLit, 'a string'],
  [Cidr, 'a subnet like 10.0.1.0/24'],
  [Ipv6Prefix, 'an IPv6 prefix like fd00:1:1::/64'],
  [Address, 'an IPv4 address'],
  [NumberLit, 'a number'],
  [Arrow, "'->'"],
  [Dash, "'-'"],
  [Comma, "','"],
  [Semicolon, "';'"],
  [LBrace, "'{'"],
  [RBrace, "'}'"],
  [Colon, "':'"],
  [Slash, "'/'"],
]);
