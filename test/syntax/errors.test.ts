// Syntax diagnostics: code, span (⟨marked⟩ in the source) and message for each kind of mistake,
// several errors in one run, and what the AST keeps of a file with errors.
import { describe, expect, test } from 'vitest';
import { expectAt, marked, parseText, source } from './helpers.js';
import { parse } from '../../src/syntax/parse.js';

/** One syntax error at the marked span, with this message. */
function syntaxError(withMarks: string, message: string): void {
  const { actual, expected } = expectAt(withMarks, 'syntax-error');
  expect(actual).toEqual(expected);
  expect(parseText(marked(withMarks).text).diagnostics.map((d) => d.message)).toEqual([message]);
}

describe('syntax errors', () => {
  test("missing ';' before the next statement", () => {
    syntaxError('tier a 10.0.0.0/24\n⟨allow⟩ a -> b;', "expected ';' after the tier declaration, found 'allow'");
    syntaxError('allow a -> b tcp/80\n⟨deny⟩ b -> a;', "expected ';' after the rule, found 'deny'");
  });

  test("missing ';' at the end of the file points just after the last token", () => {
    syntaxError('default deny⟨⟩   \n', "expected ';' after the default statement, found the end of the file");
  });

  test("missing '->'", () => {
    syntaxError('allow a ⟨b⟩;', "expected ',' or '->' after 'a', found 'b'");
  });

  test("a bad service after 'tcp/'", () => {
    syntaxError('allow a -> b tcp/⟨;⟩', "expected a port or port range after 'tcp/', found ';'");
    syntaxError('allow a -> b udp/⟨http⟩;', "expected a port or port range after 'udp/', found 'http'");
    syntaxError('allow a -> b tcp/80-⟨;⟩', "expected the last port of the range after '-', found ';'");
    syntaxError('allow a -> b tcp/80, ⟨;⟩', "expected a service (tcp/PORT, udp/PORT or icmp) after ',', found ';'");
    syntaxError('allow a -> b udp/53 ⟨tcp⟩/80;', "expected ',', 'log' or ';' after '53', found 'tcp'");
  });

  test('bad endpoints', () => {
    syntaxError('allow ⟨->⟩ b;', "expected a tier or net name, 'any', 'world' or 'host' after 'allow', found '->'");
    syntaxError('deny a, ⟨->⟩ b;', "expected a tier or net name, 'any', 'world' or 'host' after ',', found '->'");
    syntaxError('allow a -> ⟨10.0.0.0/24⟩;', "expected a tier or net name, 'any', 'world' or 'host' after '->', found '10.0.0.0/24'");
  });

  test('bad tier declarations', () => {
    syntaxError('tier a ⟨10.0.0.0⟩;', "expected a subnet in CIDR notation (like 10.0.1.0/24) after 'a', found '10.0.0.0'");
    syntaxError('tier a 10.0.0.0/24 gateway ⟨;⟩', "expected an IPv4 address after 'gateway', found ';'");
    syntaxError('tier a 10.0.0.0/24 ⟨gw⟩ 10.0.0.1;', "expected 'gateway', 'bridge', 'isolated' or ';' after '10.0.0.0/24', found 'gw'");
  });

  test('tier options given twice', () => {
    const { text, spans } = marked('tier a 10.0.0.0/24 ⟨gateway 10.0.0.1⟩ ⟨gateway 10.0.0.2⟩ isolated ⟨isolated⟩;');
    const { ast, diagnostics } = parseText(text);
    expect(diagnostics.map((d) => [d.code, d.message, d.span?.start, d.span?.end])).toEqual([
      ['syntax-error', "'gateway' is given twice in the tier declaration", ...spans[1]!],
      ['syntax-error', "'isolated' is given twice in the tier declaration", ...spans[2]!],
    ]);
    expect(diagnostics[0]!.related.map((r) => [r.message, r.span.start, r.span.end])).toEqual([['first given here', ...spans[0]!]]);
    expect(ast.statements).toHaveLength(1); // kept, with the first gateway
  });

  test('bad default, policy and statement starts', () => {
    syntaxError('default ⟨maybe⟩;', "expected 'allow' or 'deny' after 'default', found 'maybe'");
    syntaxError('policy ⟨"p"⟩;', "expected a policy name after 'policy', found \"p\"");
    syntaxError('⟨permit⟩ a -> b;', 'expected a statement (policy, tier, net, allow, deny, default or service), found \'permit\'');
  });

  test('bad service blocks', () => {
    syntaxError('service web {\n  image "x";\n⟨tier⟩ a 10.0.0.0/24;', "expected a setting or '}' to close the service block, found 'tier'");
    syntaxError('service web { image "x" ⟨}⟩', "expected ';' after the setting, found '}'");
    syntaxError('service web { publish 0.0.0.0:80 -> ⟨icmp⟩; }', "expected 'tcp' or 'udp' after '->', found 'icmp'");
    syntaxError('service web { publish 0.0.0.0:⟨;⟩ }', "expected the host port after ':', found ';'");
    syntaxError('service web {⟨⟩', "expected a setting or '}' to close the service block, found the end of the file");
  });

  test('positions in line:col terms', () => {
    const src = source('policy p;\ntier a 10.0.0.0/24\n\tallow a -> b;\n');
    const [d] = parse(src).diagnostics;
    expect(src.position(d!.span!.start)).toEqual({ line: 3, col: 2 });
  });

  test('all errors of a file are reported in one run, in source order', () => {
    const { text, spans } = marked(
      [
        'policy p;',
        'tier a 10.0.0.0/24 ⟨gw⟩ 10.0.0.1;',
        'allow a -> b tcp/⟨;⟩',
        'allow a ⟨b⟩;',
        'deny a -> b ⟨@⟩;',
        'service s { image ⟨"x;⟩',
        '  tiers a; }',
        'default deny⟨⟩',
      ].join('\n'),
    );
    const { ast, diagnostics } = parseText(text);
    expect(diagnostics.map((d) => `${d.code}@${d.span?.start}-${d.span?.end}`)).toEqual([
      `syntax-error@${spans[0]![0]}-${spans[0]![1]}`,
      `syntax-error@${spans[1]![0]}-${spans[1]![1]}`,
      `syntax-error@${spans[2]![0]}-${spans[2]![1]}`,
      `unknown-character@${spans[3]![0]}-${spans[3]![1]}`,
      `unterminated-string@${spans[4]![0]}-${spans[4]![1]}`,
      `syntax-error@${spans[5]![0]}-${spans[5]![1]}`,
    ]);
    // Statements with syntax errors are dropped; the others are kept. The unknown character was
    // skipped, so `deny a -> b;` is intact; the image setting lost its ';' to the unterminated string.
    expect(ast.statements.map((s) => s.kind)).toEqual(['policy', 'rule', 'service']);
  });

  test('a broken setting drops only that setting', () => {
    const { ast, diagnostics } = parseText('service s {\n  image "x" : ;\n  tiers a;\n}\nallow a -> b;');
    expect(diagnostics).toHaveLength(1);
    expect(ast.statements.map((s) => (s.kind === 'service' ? s.settings.map((x) => x.name.text) : s.kind))).toEqual([['tiers'], 'rule']);
  });

  test('junk between statements is skipped up to the next statement', () => {
    const { text, spans } = marked('tier a 10.0.0.0/24;\n⟨junk⟩ more junk;\nallow a -> a;');
    const { ast, diagnostics } = parseText(text);
    expect(diagnostics.map((d) => [d.code, d.span?.start, d.span?.end])).toEqual([['syntax-error', ...spans[0]!]]);
    expect(ast.statements.map((s) => s.kind)).toEqual(['tier', 'rule']);
  });

  test('recovery after a statement without its end keeps the next statement', () => {
    const { ast, diagnostics } = parseText('tier a 10.0.0.0/24\nallow a -> b;\nallow a b -> c;\ndeny a -> b;');
    expect(diagnostics).toHaveLength(2);
    expect(ast.statements.map((s) => s.kind)).toEqual(['rule', 'rule']);
  });
});
