// parse(): every statement form to its AST, the example policies, and the input edge cases
// (empty file, BOM, CRLF, tabs). Spans are checked where they matter to later stages.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from '../../src/syntax/parse.js';
import type { RuleDecl, ServiceDecl, Statement, TierDecl } from '../../src/syntax/ast.js';
import { parseText, source, withoutSpans } from './helpers.js';

function only<K extends Statement['kind']>(text: string, kind: K): Extract<Statement, { kind: K }> {
  const { ast, diagnostics } = parseText(text);
  expect(diagnostics).toEqual([]);
  expect(ast.statements).toHaveLength(1);
  const s = ast.statements[0]!;
  expect(s.kind).toBe(kind);
  return s as Extract<Statement, { kind: K }>;
}

describe('parse: example policies', () => {
  const dir = new URL('../../policies/', import.meta.url);
  test.each(readdirSync(dir).filter((f) => f.endsWith('.policy')))('%s parses without diagnostics', (file) => {
    const { ast, diagnostics } = parse(source(readFileSync(new URL(file, dir), 'utf8'), file));
    expect(diagnostics).toEqual([]);
    expect(ast.statements.length).toBeGreaterThan(0);
  });

  test('three-tier.policy', () => {
    const { ast } = parse(source(readFileSync(new URL('three-tier.policy', dir), 'utf8'), 'three-tier.policy'));
    expect(ast.file).toBe('three-tier.policy');
    expect(ast.statements.map((s) => s.kind)).toEqual([
      'policy', 'tier', 'tier', 'tier', 'rule', 'rule', 'rule', 'rule', 'default', 'service', 'service', 'service',
    ]);
    expect(ast.comments.map((c) => c.text)).toEqual([
      '# The seed deployment: nginx in front, a node app behind it, postgres at the back.',
      '# no traffic between database containers',
      '# the tutorial\'s "violation": logged, then dropped',
      "# the site is public: anyone outside may reach nginx's published port",
      '# postgres writes its data directory',
    ]);
    const web = ast.statements[9] as ServiceDecl;
    expect(web.settings.map((s) => s.name.text)).toEqual(['image', 'tiers', 'address', 'publish', 'cap_add', 'tmpfs']);
    const db = ast.statements[3] as TierDecl;
    expect([db.name.text, db.subnet.text, db.bridge?.text, db.isolated !== undefined]).toEqual(['database', '172.20.3.0/24', 'db-bridge', true]);
  });
});

describe('parse: statements', () => {
  test('policy', () => {
    const s = only('policy three-tier;', 'policy');
    expect(s.name).toEqual({ text: 'three-tier', span: { file: 'test.policy', start: 7, end: 17 } });
    expect(s.span).toEqual({ file: 'test.policy', start: 0, end: 18 });
  });

  test('tier with options in any order', () => {
    const a = only('tier frontend 172.20.1.0/24 gateway 172.20.1.1 bridge web-bridge;', 'tier');
    const b = only('tier frontend 172.20.1.0/24 bridge web-bridge gateway 172.20.1.1;', 'tier');
    expect(withoutSpans(a)).toEqual(withoutSpans(b));
    expect(withoutSpans(a)).toEqual({
      kind: 'tier', name: { text: 'frontend' }, subnet: { text: '172.20.1.0/24' },
      gateway: { text: '172.20.1.1' }, bridge: { text: 'web-bridge' }, isolated: false,
    });
    const c = only('tier db 172.20.3.0/24 isolated bridge br_db.1;', 'tier');
    expect(c.isolated).toEqual({ file: 'test.policy', start: 22, end: 30 });
    expect([c.gateway, c.bridge?.text]).toEqual([undefined, 'br_db.1']);
    expect(only('tier x 10.0.0.0/8;', 'tier').bridge).toBeUndefined();
  });

  test('rule with one service', () => {
    const r = only('allow frontend -> backend tcp/8080;', 'rule');
    expect(withoutSpans(r)).toEqual({
      kind: 'rule', action: 'allow',
      sources: [{ kind: 'tier', name: { text: 'frontend' } }],
      destinations: [{ kind: 'tier', name: { text: 'backend' } }],
      services: [{ proto: 'tcp', lo: 8080, hi: 8080 }], log: false,
    });
    expect(r.services[0]!.span).toEqual({ file: 'test.policy', start: 26, end: 34 });
  });

  test('rule with endpoint lists, several services, ranges and icmp', () => {
    const r = only('allow edge, admin -> api, web tcp/9000-9010, udp/53, icmp;', 'rule');
    expect(r.sources.map((e) => (e.kind === 'tier' ? e.name.text : 'any'))).toEqual(['edge', 'admin']);
    expect(r.destinations.map((e) => (e.kind === 'tier' ? e.name.text : 'any'))).toEqual(['api', 'web']);
    expect(withoutSpans(r.services)).toEqual([{ proto: 'tcp', lo: 9000, hi: 9010 }, { proto: 'udp', lo: 53, hi: 53 }, { proto: 'icmp' }]);
  });

  test('deny without services (all traffic) and log', () => {
    const r = only('deny frontend -> database log;', 'rule');
    expect([r.action, r.services, r.log]).toEqual(['deny', [], { file: 'test.policy', start: 26, end: 29 }]);
  });

  test('any on either side', () => {
    const r = only('allow any -> metrics tcp/9100;', 'rule');
    expect(r.sources).toEqual([{ kind: 'any', span: { file: 'test.policy', start: 6, end: 9 } }]);
    expect(only('deny a -> any, b;', 'rule').destinations.map((e) => e.kind)).toEqual(['any', 'tier']);
  });

  test('ports are kept as written; lowering checks the range', () => {
    const r = only('allow a -> b tcp/0, udp/99999999999, tcp/90-80;', 'rule');
    expect(withoutSpans(r.services)).toEqual([
      { proto: 'tcp', lo: 0, hi: 0 }, { proto: 'udp', lo: 99999999999, hi: 99999999999 }, { proto: 'tcp', lo: 90, hi: 80 },
    ]);
  });

  test('default allow / deny', () => {
    expect(only('default allow;', 'default').action).toBe('allow');
    expect(only('default deny;', 'default')).toEqual({ kind: 'default', action: 'deny', span: { file: 'test.policy', start: 0, end: 13 } });
  });

  test('service with every kind of setting value', () => {
    const s = only(
      'service web {\n  image "nginx:1.27-alpine";\n  tiers frontend;\n  address frontend 172.20.1.10;\n' +
        '  publish 0.0.0.0:80 -> tcp/80, 127.0.0.1:53 -> udp/5353;\n  cap_add CHOWN, NET_BIND_SERVICE;\n' +
        '  tmpfs "/var/cache/nginx", "/tmp";\n  user "101:101";\n  env NAME "va\\"lue";\n' +
        '  command "node", "/app/server.js";\n  writable;\n  other 10.0.0.0/8 42;\n}',
      'service',
    );
    expect(s.name.text).toBe('web');
    expect(withoutSpans(s.settings)).toEqual([
      { name: { text: 'image' }, values: [{ kind: 'string', text: 'nginx:1.27-alpine' }] },
      { name: { text: 'tiers' }, values: [{ kind: 'word', text: 'frontend' }] },
      { name: { text: 'address' }, values: [{ kind: 'word', text: 'frontend' }, { kind: 'word', text: '172.20.1.10' }] },
      {
        name: { text: 'publish' },
        values: [
          { kind: 'binding', hostAddress: { text: '0.0.0.0' }, hostPort: { text: '80' }, proto: 'tcp', containerPort: { text: '80' } },
          { kind: 'binding', hostAddress: { text: '127.0.0.1' }, hostPort: { text: '53' }, proto: 'udp', containerPort: { text: '5353' } },
        ],
      },
      { name: { text: 'cap_add' }, values: [{ kind: 'word', text: 'CHOWN' }, { kind: 'word', text: 'NET_BIND_SERVICE' }] },
      { name: { text: 'tmpfs' }, values: [{ kind: 'string', text: '/var/cache/nginx' }, { kind: 'string', text: '/tmp' }] },
      { name: { text: 'user' }, values: [{ kind: 'string', text: '101:101' }] },
      { name: { text: 'env' }, values: [{ kind: 'word', text: 'NAME' }, { kind: 'string', text: 'va"lue' }] },
      { name: { text: 'command' }, values: [{ kind: 'string', text: 'node' }, { kind: 'string', text: '/app/server.js' }] },
      { name: { text: 'writable' }, values: [] },
      { name: { text: 'other' }, values: [{ kind: 'word', text: '10.0.0.0/8' }, { kind: 'word', text: '42' }] },
    ]);
    const publish = s.settings[3]!.values[0]!;
    // A string value's span includes its quotes; a binding spans HOST:PORT -> PROTO/PORT.
    expect(s.settings[0]!.values[0]!.span).toEqual({ file: 'test.policy', start: 22, end: 41 });
    expect(publish.span.end - publish.span.start).toBe('0.0.0.0:80 -> tcp/80'.length);
  });

  test('an empty service block', () => {
    expect(only('service s {}', 'service').settings).toEqual([]);
  });

  test('statements keep source order across kinds', () => {
    const { ast } = parseText('service s { tiers a; }\ndefault deny;\ntier a 10.0.0.0/24;\nallow a -> a;\npolicy p;\nallow a -> a;');
    expect(ast.statements.map((s) => s.kind)).toEqual(['service', 'default', 'tier', 'rule', 'policy', 'rule']);
  });
});

describe('parse: input edge cases', () => {
  test('empty and blank files', () => {
    for (const text of ['', '  \n\t\r\n', '# only a comment', '\uFEFF']) {
      const { ast, diagnostics } = parseText(text);
      expect(diagnostics).toEqual([]);
      expect(ast.statements).toEqual([]);
    }
  });

  test('BOM, CRLF and tabs do not change the AST; spans stay true offsets', () => {
    const plain = parseText('tier a 10.0.0.0/24;\nallow a -> b tcp/80;\n');
    const odd = parseText('\uFEFFtier\ta\t10.0.0.0/24;\r\nallow a\t->\tb tcp/80;\r\n');
    expect(odd.diagnostics).toEqual([]);
    expect(withoutSpans(odd.ast)).toEqual(withoutSpans(plain.ast));
    const rule = odd.ast.statements[1] as RuleDecl;
    expect(rule.span).toEqual({ file: 'test.policy', start: 22, end: 42 });
  });

  test('one line per rule, no newline at the end', () => {
    expect(parseText('allow a -> b;allow b -> a;').ast.statements).toHaveLength(2);
  });
});
