// fmt: canonical layout on examples, comment and blank-line handling, line endings, idempotence,
// and refusal to touch files with errors.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { format } from '../../src/syntax/format.js';
import { source } from './helpers.js';

const fmt = (text: string): string => {
  const r = format(source(text));
  expect(r.diagnostics).toEqual([]);
  return r.text;
};

describe('format', () => {
  const dir = new URL('../../policies/', import.meta.url);
  test.each(readdirSync(dir).filter((f) => f.endsWith('.policy')))('%s: idempotent, comments kept', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    const comments = (t: string): string[] => t.split('\n').flatMap((l) => l.match(/#.*$/)?.[0] ?? []);
    expect(comments(once)).toEqual(comments(text));
  });

  test('single spaces, no space before , ; and around / - :', () => {
    expect(fmt('allow  a ,b->c\ttcp / 80 - 90 ,udp/53 , icmp   log ;')).toBe('allow a, b -> c tcp/80-90, udp/53, icmp log;\n');
    expect(fmt('tier  a   10.0.0.0/24 isolated\tgateway 10.0.0.1 ;')).toBe('tier a 10.0.0.0/24 isolated gateway 10.0.0.1;\n');
  });

  test('one statement per line', () => {
    expect(fmt('policy p; default deny;allow a -> b;')).toBe('policy p;\ndefault deny;\nallow a -> b;\n');
    expect(fmt('allow a\n  ->\n  b\n  tcp/80;')).toBe('allow a -> b tcp/80;\n');
  });

  test('net statements and rules with world, host and nets: canonical and idempotent', () => {
    const messy = [
      'net  office\t192.0.2.0/24 ,198.51.100.0/24;net vpn',
      '  203.0.113.0/24 ;  # the VPN pool',
      'allow world->web tcp/443 ,tcp / 80;deny  web , app->world log ;',
      'allow office,vpn -> app udp/53-54;deny host->web;',
    ].join('\n');
    const once = fmt(messy);
    expect(once).toBe([
      'net office 192.0.2.0/24, 198.51.100.0/24;',
      'net vpn 203.0.113.0/24;  # the VPN pool',
      'allow world -> web tcp/443, tcp/80;',
      'deny web, app -> world log;',
      'allow office, vpn -> app udp/53-54;',
      'deny host -> web;',
      '',
    ].join('\n'));
    expect(fmt(once)).toBe(once);
  });

  test('service blocks: settings indented by 2, one per line', () => {
    expect(fmt('service web { image "x"; publish 0.0.0.0 : 80->tcp/80; cap_add A,B; writable; }')).toBe(
      'service web {\n  image "x";\n  publish 0.0.0.0:80 -> tcp/80;\n  cap_add A, B;\n  writable;\n}\n',
    );
    expect(fmt('service s {}')).toBe('service s {\n}\n');
  });

  test('blank lines: at most one kept, none at the start, the end, after { or before }', () => {
    expect(fmt('\n\npolicy p;\n\n\n\ntier a 10.0.0.0/24;\ntier b 10.0.1.0/24;\n\n')).toBe('policy p;\n\ntier a 10.0.0.0/24;\ntier b 10.0.1.0/24;\n');
    expect(fmt('service s {\n\n  image "x";\n\n  tiers a;\n\n}\n')).toBe('service s {\n  image "x";\n\n  tiers a;\n}\n');
    expect(fmt('service s {  # c\n\n  image "x";\n}\n')).toBe('service s {  # c\n  image "x";\n}\n');
    expect(fmt('service s {\n\n  # c\n\n  image "x";\n}\n')).toBe('service s {\n  # c\n\n  image "x";\n}\n');
  });

  test('comments: full-line comments stay before their statement, trailing ones after two spaces', () => {
    const text = '# head\n\n  # about a\ntier a 10.0.0.0/24;    # trailing\n// slashes\nallow a -> a;# tight\n';
    expect(fmt(text)).toBe('# head\n\n# about a\ntier a 10.0.0.0/24;  # trailing\n// slashes\nallow a -> a;  # tight\n');
  });

  test('comments inside a block and after { and }', () => {
    const text = 'service s { # opens\n# first\nimage "x"; # img\n  # last\n} # closes\n';
    expect(fmt(text)).toBe('service s {  # opens\n  # first\n  image "x";  # img\n  # last\n}  # closes\n');
  });

  test('a comment inside a statement breaks it; the rest is indented by 4', () => {
    const text = 'allow a, # the a tier\n b\n# why b\n -> c;\n';
    const once = fmt(text);
    expect(once).toBe('allow a,  # the a tier\n    b\n    # why b\n    -> c;\n');
    expect(fmt(once)).toBe(once);
  });

  test('comment text is kept byte for byte, trailing blanks dropped', () => {
    expect(fmt('#x  y\t z  \t\n#\n//\tü → ok\n')).toBe('#x  y\t z\n#\n//\tü → ok\n');
  });

  test('strings and numbers are kept as written', () => {
    expect(fmt('service s { env A "a\\"b\\\\"; }\nallow a -> b tcp/080;')).toBe('service s {\n  env A "a\\"b\\\\";\n}\nallow a -> b tcp/080;\n');
  });

  test('CRLF becomes LF, a BOM is dropped, a final newline is added', () => {
    expect(fmt('\uFEFFpolicy p;\r\n\r\n\r\ndefault deny; # x\r\n')).toBe('policy p;\n\ndefault deny;  # x\n');
    expect(fmt('policy p;')).toBe('policy p;\n');
  });

  test('an empty file stays empty; a comment-only file keeps its comments', () => {
    expect(fmt('')).toBe('');
    expect(fmt('\n \r\n\t')).toBe('');
    expect(fmt('\n# only\n\n\n// two\n')).toBe('# only\n\n// two\n');
  });

  test('a file with errors is returned unchanged, with its diagnostics', () => {
    for (const text of ['tier a 10.0.0.0/24\nallow a -> b;', 'allow a -> b @;', 'service s { image "x; }', 'tier a 10.0.0.0/24 isolated isolated;']) {
      const r = format(source(text));
      expect(r.text).toBe(text);
      expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
  });
});
