// The TextMate grammar (grammar/tierwall.tmLanguage.json): explicit scopes for chosen tokens of
// grammar/samples/, and no `invalid` scope on any line of any example policy.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { KEYWORDS } from '../../src/syntax/tokens.js';
import { SETTINGS } from '../../src/lsp/vocabulary.js';
import { tokenize, type Token } from './textmate.js';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/**
 * The token holding the `nth` occurrence of `needle` on the first line containing `lineMark`.
 * Asserts the token covers exactly the needle, so a scope cannot leak onto its neighbours.
 */
function tokenOf(tokens: Token[][], lines: string[], lineMark: string, needle: string, nth = 0): Token {
  const n = lines.findIndex((l) => l.includes(lineMark));
  if (n < 0) throw new Error(`no line contains ${JSON.stringify(lineMark)}`);
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = lines[n]!.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} #${nth} not on line ${n + 1}`);
  }
  const token = tokens[n]!.find((t) => t.start === at);
  if (!token) throw new Error(`no token starts at ${JSON.stringify(needle)} on line ${n + 1}`);
  expect(token.text, `token at ${JSON.stringify(needle)}`).toBe(needle);
  return token;
}

describe('all-syntax sample', () => {
  let tokens: Token[][];
  let lines: string[];
  const scopes = (lineMark: string, needle: string, nth = 0) => tokenOf(tokens, lines, lineMark, needle, nth).scopes;

  beforeAll(async () => {
    const text = read('grammar/samples/all-syntax.policy');
    lines = text.split('\n');
    tokens = await tokenize(text);
  });

  test('the scope name is source.tierwall', () => {
    expect(scopes('policy all-syntax', 'policy')[0]).toBe('source.tierwall');
  });

  test('comments, both styles', () => {
    expect(scopes('# Every construct', '#')).toContain('comment.line.number-sign.tierwall');
    expect(scopes('# Every construct', '#')).toContain('punctuation.definition.comment.tierwall');
    expect(scopes('// Both comment', '//')).toContain('comment.line.double-slash.tierwall');
    expect(scopes('# options in any order', ' options in any order')).toContain('comment.line.number-sign.tierwall');
  });

  test('declaration keywords and names', () => {
    expect(scopes('policy all-syntax', 'policy')).toContain('keyword.other.policy.tierwall');
    expect(scopes('policy all-syntax', 'all-syntax')).toContain('entity.name.namespace.policy.tierwall');
    expect(scopes('tier web 10.10.1.0', 'tier')).toContain('keyword.other.tier.tierwall');
    expect(scopes('tier web 10.10.1.0', 'web')).toContain('entity.name.type.tier.tierwall');
    expect(scopes('tier app-tier', 'app-tier')).toContain('entity.name.type.tier.tierwall');
    expect(scopes('service frontend {', 'service')).toContain('keyword.other.service.tierwall');
    expect(scopes('service frontend {', 'frontend')).toContain('entity.name.type.service.tierwall');
  });

  test('tier options: gateway, bridge, isolated; CIDRs and IPv4 addresses', () => {
    expect(scopes('tier web 10.10.1.0', '10.10.1.0/24')).toContain('constant.numeric.cidr.tierwall');
    expect(scopes('tier web 10.10.1.0', 'gateway')).toContain('keyword.other.gateway.tierwall');
    expect(scopes('tier web 10.10.1.0', '10.10.1.1')).toContain('constant.numeric.ipv4.tierwall');
    expect(scopes('tier web 10.10.1.0', 'bridge')).toContain('keyword.other.bridge.tierwall');
    expect(scopes('tier web 10.10.1.0', 'br-web')).toContain('entity.name.bridge.tierwall');
    expect(scopes('tier app-tier', 'isolated')).toContain('keyword.other.isolated.tierwall');
    expect(scopes('tier app-tier', 'br_app.1')).toContain('entity.name.bridge.tierwall');
  });

  test('a statement spread over several lines keeps its scopes', () => {
    expect(scopes('  10.10.3.0/24', '10.10.3.0/24')).toContain('constant.numeric.cidr.tierwall');
    expect(scopes('  10.10.3.0/24', '10.10.3.0/24')).toContain('meta.statement.tier.tierwall');
    expect(scopes('  bridge 42;', '42')).toContain('entity.name.bridge.tierwall');
  });

  test('rules: actions, tier references, arrow, any, log', () => {
    const rule = 'allow web -> app-tier tcp/8080';
    expect(scopes(rule, 'allow')).toContain('keyword.control.allow.tierwall');
    expect(scopes(rule, 'web')).toContain('variable.other.tier.tierwall');
    expect(scopes(rule, '->')).toContain('keyword.operator.arrow.tierwall');
    expect(scopes(rule, 'app-tier')).toContain('variable.other.tier.tierwall');
    expect(scopes(rule, ';')).toContain('punctuation.terminator.statement.tierwall');
    expect(scopes('deny any -> db', 'deny')).toContain('keyword.control.deny.tierwall');
    expect(scopes('deny any -> db', 'any')).toContain('keyword.other.any.tierwall');
    expect(scopes('allow web,app-tier->db', 'log')).toContain('keyword.other.log.tierwall');
  });

  test('net declarations: keyword, name, CIDR list, also over several lines', () => {
    const line = 'net office 192.0.2.0/24';
    expect(scopes(line, 'net')).toContain('keyword.other.net.tierwall');
    expect(scopes(line, 'office')).toContain('entity.name.type.net.tierwall');
    expect(scopes(line, '192.0.2.0/24')).toEqual(expect.arrayContaining(['meta.statement.net.tierwall', 'constant.numeric.cidr.tierwall']));
    expect(scopes(line, ',')).toContain('punctuation.separator.comma.tierwall');
    expect(scopes(line, '198.51.100.0/25')).toContain('constant.numeric.cidr.tierwall');
    expect(scopes(line, ';')).toContain('punctuation.terminator.statement.tierwall');
    expect(scopes(line, ' addresses outside the tiers')).toContain('comment.line.number-sign.tierwall');
    expect(scopes('  vpn 203.0.113.0/24', 'vpn')).toContain('meta.statement.net.tierwall');
    expect(scopes('  vpn 203.0.113.0/24', '203.0.113.0/24')).toContain('constant.numeric.cidr.tierwall');
  });

  test('rules with world, host and net names', () => {
    expect(scopes('allow world -> web', 'world')).toContain('keyword.other.world.tierwall');
    expect(scopes('allow world -> web', 'web')).toContain('variable.other.tier.tierwall');
    expect(scopes('deny web -> world', 'world')).toContain('keyword.other.world.tierwall');
    expect(scopes('deny host -> db', 'host')).toContain('keyword.other.host.tierwall');
    // A net name in a rule is a name like a tier's: which one it is, only lowering knows.
    expect(scopes('allow office, vpn', 'office')).toContain('variable.other.tier.tierwall');
    expect(scopes('allow office, vpn', 'vpn')).toContain('variable.other.tier.tierwall');
    expect(scopes('allow office, vpn', 'log')).toContain('keyword.other.log.tierwall');
  });

  test('`net` starts a statement: a rule without its ; ends before it', async () => {
    const tokens = await tokenize('allow web -> db\nnet office 192.0.2.0/24;\n');
    expect(tokens[1]![0]!.scopes).toEqual(['source.tierwall', 'meta.statement.net.tierwall', 'keyword.other.net.tierwall']);
  });

  test('`web,app-tier->db` splits like the lexer: a name stops before ->', () => {
    const line = 'allow web,app-tier->db';
    expect(scopes(line, 'web')).toContain('variable.other.tier.tierwall');
    expect(scopes(line, ',')).toContain('punctuation.separator.comma.tierwall');
    expect(scopes(line, 'app-tier')).toContain('variable.other.tier.tierwall');
    expect(scopes(line, '->')).toContain('keyword.operator.arrow.tierwall');
    expect(scopes(line, 'db')).toContain('variable.other.tier.tierwall');
  });

  test('protocol/port: tcp/80, udp/9000-9010, icmp, and the spaced form', () => {
    const rule = 'allow web -> app-tier tcp/8080';
    expect(scopes(rule, 'tcp')).toEqual(expect.arrayContaining(['meta.service-spec.tierwall', 'constant.language.protocol.tierwall']));
    expect(scopes(rule, '/')).toContain('punctuation.separator.protocol.tierwall');
    expect(scopes(rule, '8080')).toContain('constant.numeric.port.tierwall');
    expect(scopes(rule, 'udp')).toContain('constant.language.protocol.tierwall');
    expect(scopes(rule, '9000')).toContain('constant.numeric.port.tierwall');
    expect(scopes(rule, '-', 2)).toContain('punctuation.separator.range.tierwall'); // after the ones in -> and app-tier
    expect(scopes(rule, '9010')).toContain('constant.numeric.port.tierwall');
    expect(scopes(rule, 'icmp')).toContain('constant.language.protocol.tierwall');
    expect(scopes('tcp / 443', '443')).toContain('constant.numeric.port.tierwall');
  });

  test('default', () => {
    expect(scopes('default deny;', 'default')).toContain('keyword.control.default.tierwall');
    expect(scopes('default deny;', 'deny')).toContain('keyword.control.deny.tierwall');
  });

  test('service settings have their own scope; values are scoped by setting', () => {
    const setting = 'support.type.property-name.setting.tierwall';
    // The settings completion offers (test/lsp checks the compiler accepts each of them).
    for (const { label } of SETTINGS) {
      expect(scopes(label === 'writable' ? '  writable;' : `  ${label} `, label), label).toContain(setting);
    }
    expect(scopes('  tiers web, app-tier;', 'app-tier')).toContain('variable.other.tier.tierwall');
    expect(scopes('  address web 10.10.1.10', 'web')).toContain('variable.other.tier.tierwall');
    expect(scopes('  address web 10.10.1.10', '10.10.1.10')).toContain('constant.numeric.ipv4.tierwall');
    expect(scopes('  cap_add', 'NET_BIND_SERVICE')).toContain('constant.other.capability.tierwall');
    expect(scopes('  env GREETING', 'GREETING')).toContain('variable.other.env.tierwall');
    expect(scopes('service frontend {', '{')).toContain('punctuation.section.block.begin.tierwall');
    // A setting name is a setting only inside a service block.
    expect(scopes('  image "nginx', 'image')).toContain('meta.block.service.tierwall');
  });

  test('publish bindings: HOST:PORT -> PROTO/PORT', () => {
    const line = '  publish 127.0.0.1:8443';
    expect(scopes(line, '127.0.0.1')).toContain('constant.numeric.ipv4.tierwall');
    expect(scopes(line, ':')).toContain('punctuation.separator.port.tierwall');
    expect(scopes(line, '8443')).toContain('constant.numeric.port.tierwall');
    expect(scopes(line, '->')).toContain('keyword.operator.arrow.tierwall');
    expect(scopes(line, 'udp')).toContain('constant.language.protocol.tierwall');
  });

  test('strings with escapes; a # inside a string is no comment', () => {
    const line = '  env GREETING';
    expect(scopes(line, '"', 0)).toContain('punctuation.definition.string.begin.tierwall');
    expect(scopes(line, 'say ')).toContain('string.quoted.double.tierwall');
    expect(scopes(line, '\\"')).toContain('constant.character.escape.tierwall');
    expect(scopes(line, '\\\\')).toContain('constant.character.escape.tierwall');
    expect(scopes('  command "nginx"', 'daemon off;')).toContain('string.quoted.double.tierwall');
    expect(scopes('  image "nginx', 'nginx:1.27-alpine')).toContain('string.quoted.double.tierwall');
  });

  test('a block whose { is on the next line', () => {
    expect(scopes('service worker', 'worker')).toContain('entity.name.type.service.tierwall');
    expect(scopes('  tiers app-tier;', 'app-tier')).toEqual(expect.arrayContaining([
      'meta.block.service.tierwall', 'variable.other.tier.tierwall',
    ]));
  });
});

test('every reserved word of the lexer is highlighted as one', async () => {
  for (const k of KEYWORDS) {
    const word = k.PATTERN as string;
    const [token] = (await tokenize(word))[0]!;
    expect(token!.text).toBe(word);
    expect(token!.scopes.at(-1), word).toMatch(/^(keyword\.(control|other)|constant\.language\.protocol)\./);
  }
});

describe('invalid input', () => {
  test('what the lexer refuses is marked invalid, nothing else', async () => {
    const text = read('grammar/samples/errors.policy');
    const invalid = (await tokenize(text)).flat().filter((t) => t.scopes.some((s) => s.startsWith('invalid')));
    expect(invalid.map((t) => [t.line + 1, t.text, t.scopes.at(-1)])).toEqual([
      [2, '@', 'invalid.illegal.character.tierwall'], // unknown-character
      [4, '\\q', 'invalid.illegal.escape.tierwall'], // invalid-string: the only escapes are \" and \\
      [7, '$', 'invalid.illegal.character.tierwall'],
      [9, '\t', 'invalid.illegal.character.tierwall'], // invalid-string: a control character
      [9, '\u202E', 'invalid.illegal.character.tierwall'], // invalid-string: a bidi override
      [11, '\u00A0', 'invalid.illegal.character.tierwall'], // no-break space is not whitespace
    ]);
  });

  test('an unterminated string stops at the end of its line', async () => {
    // As in the lexer: the string swallows the ';', so the setting goes on to the next ';'.
    const tokens = await tokenize('service s {\n  user "open;\n  tiers web;\n}\nallow web -> db;\n');
    const web = tokens[2]!.find((t) => t.text === 'web')!;
    expect(web.scopes.some((s) => s.startsWith('string'))).toBe(false);
    expect(tokens[3]![0]!.scopes).toContain('punctuation.section.block.end.tierwall');
    expect(tokens[4]![0]!.scopes).toContain('keyword.control.allow.tierwall');
  });

  test('a service block without its } ends at the next statement', async () => {
    const tokens = await tokenize('service s {\n  tiers web;\nallow web -> db;\n');
    const allow = tokens[2]!.find((t) => t.text === 'allow')!;
    expect(allow.scopes).toEqual(['source.tierwall', 'meta.statement.rule.tierwall', 'keyword.control.allow.tierwall']);
  });

  test('keywords inside names stay names (tier-x, x-tier, anyone)', async () => {
    const tokens = await tokenize('allow tier-x, x-tier, network, hosts -> anyone, world-x;\n');
    const byText = new Map(tokens[0]!.map((t) => [t.text, t.scopes.at(-1)]));
    for (const name of ['network', 'hosts', 'world-x']) expect(byText.get(name), name).toBe('variable.other.tier.tierwall');
    expect(byText.get('tier-x')).toBe('variable.other.tier.tierwall');
    expect(byText.get('x-tier')).toBe('variable.other.tier.tierwall');
    expect(byText.get('anyone')).toBe('variable.other.tier.tierwall');
  });
});

describe('example policies', () => {
  const files = readdirSync(new URL('policies/', root)).filter((f) => f.endsWith('.policy'));
  const samples = readdirSync(new URL('grammar/samples/', root)).filter((f) => f.endsWith('.policy') && f !== 'errors.policy');

  test('there are policies to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each([...files.map((f) => `policies/${f}`), ...samples.map((f) => `grammar/samples/${f}`)])(
    '%s: no line has an invalid scope',
    async (path) => {
      const tokens = await tokenize(read(path));
      const bad = tokens.flat().filter((t) => t.scopes.some((s) => s.startsWith('invalid')));
      expect(bad.map((t) => `${path}:${t.line + 1}:${t.start + 1} ${JSON.stringify(t.text)} ${t.scopes.at(-1)}`)).toEqual([]);
    },
  );
});

test('the EBNF lists the lexer reserved words, in the same order', () => {
  const ebnf = read('grammar/tierwall.ebnf');
  const block = /^KEYWORD\s+::=([\s\S]*?)\n\n/m.exec(ebnf)?.[1] ?? '';
  const words = [...block.matchAll(/'([a-z][a-z0-9]*)'/g)].map((m) => m[1]);
  expect(words).toEqual(KEYWORDS.map((k) => k.PATTERN as string));
});
