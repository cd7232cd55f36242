// compose backend: user strings can never change the structure of compose.yml. The IR is assumed
// to carry any string (lowering may loosen later); YAML and Compose must give back exactly it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { backend as composeBackend } from '../../../src/backends/compose/backend.js';
import { composeString, yamlKey, yamlString } from '../../../src/backends/compose/yaml-quote.js';
import type { Policy } from '../../../src/ir/types.js';
import { policy, service, tier } from '../../graph/fixtures.js';
import { composeConfig, composeUnavailable, IN_CI, schemaErrors } from './validators.js';

/** Strings that break naive YAML emitters, plus Compose interpolation and YAML 1.1 line breaks. */
const HOSTILE = [
  'plain',
  'say "hi"',
  "it's",
  'key: value',
  'x #not a comment',
  '# comment',
  'line1\nline2: injected\n  - list',
  '\ttab\r\n',
  '- item',
  '[a, b]',
  '{a: b}',
  '&anchor *alias !tag %directive @at `tick` |pipe >fold',
  '---',
  '...',
  ' leading and trailing ',
  'back\\slash\\"',
  'yes',
  'null',
  '0x1F',
  '',
  '$HOME ${TW_PROBE} $$ $',
  'nel\u0085ls\u2028ps\u2029',
  'bell\u0007esc\u001bdel\u007f',
  'unicode é 雪 🐳',
];

const VALUES = HOSTILE;
const HOSTILE_IMAGE = 'evil:1"\n    privileged: true\n# ${TW_PROBE}';
const HOSTILE_USER = '0:0\nuser: root #';
const HOSTILE_TMPFS = ['/a"b: c #d\ne', '/x:exec', '/$TW_PROBE'];
const HOSTILE_CAP = 'NET_ADMIN"\n      - SYS_ADMIN';

function hostilePolicy(envNames: readonly string[]): Policy {
  return policy('hostile', 'deny', [tier('front', '10.9.0.0/24')], [], [
    service('svc', {
      image: HOSTILE_IMAGE,
      tiers: ['front'],
      addresses: [{ tier: 'front', address: '10.9.0.7' }],
      publish: [{ hostAddress: '127.0.0.1', hostPort: 8443, proto: 'tcp', containerPort: 443 }],
      user: HOSTILE_USER,
      capAdd: [HOSTILE_CAP],
      tmpfs: HOSTILE_TMPFS,
      env: VALUES.map((value, i) => ({ name: envNames[i % envNames.length]! + String(i), value })),
      command: VALUES,
    }),
  ]);
}

/** Compose's escaping of a literal '$', the form docker compose config also prints. */
const dollars = (s: string): string => s.replace(/\$/g, '$$$$');

describe('YAML quoting helpers', () => {
  test('yamlString round-trips every string (binary code points and lone surrogates)', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    for (const unit of ['binary', codeUnit] as const) {
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
          const doc = parseDocument(`v: ${yamlString(s)}\n`);
          expect(doc.errors).toEqual([]);
          expect(doc.toJS()).toEqual({ v: s });
        }),
        { numRuns: 500 },
      );
    }
  });

  test('yamlString output is one line of printable ASCII-or-safe characters', () => {
    for (const s of HOSTILE) expect(yamlString(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  test('composeString doubles $ (Compose interpolation), yamlKey quotes only when needed', () => {
    expect(composeString('a$b')).toBe('"a$$b"');
    expect(yamlKey('POSTGRES_USER')).toBe('POSTGRES_USER');
    for (const k of ['yes', 'No', 'null', '~', 'a b', 'a: b', '1abc', '']) {
      expect(yamlKey(k).startsWith('"')).toBe(true);
      expect(parse(`${yamlKey(k)}: 1`)).toEqual({ [k]: 1 });
    }
  });
});

describe('hostile strings in compose.yml', () => {
  // Env names are any string here too (lowering checks them today, the backend must not rely on it).
  const p = hostilePolicy(['A', 'key: x', '"q"', '# c', 'yes', 'new\nline']);
  const text = composeBackend.generate(p).artifacts[0]!.content;

  test('the YAML parses without error or warning and has exactly the expected structure', () => {
    const doc = parseDocument(text, { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    const js = doc.toJS() as { services: Record<string, Record<string, unknown>> };
    expect(Object.keys(js)).toEqual(['name', 'services', 'networks']);
    expect(Object.keys(js.services)).toEqual(['svc']);
    expect(Object.keys(js.services.svc!)).toEqual(['image', 'user', 'command', 'environment', 'networks', 'ports', 'cap_drop', 'cap_add', 'security_opt', 'read_only', 'tmpfs']);
    expect(js.services.svc!.read_only).toBe(true);
    expect(js.services.svc!.cap_drop).toEqual(['ALL']);
  });

  test('every value round-trips exactly (after Compose $$ unescaping)', () => {
    const svc = (parse(text) as { services: { svc: Record<string, unknown> } }).services.svc;
    const un = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/\$\$/g, '$') : Array.isArray(v) ? v.map(un) : v);
    const s = p.services[0]!;
    expect(un(svc.image)).toBe(s.image);
    expect(un(svc.user)).toBe(s.user);
    expect(un(svc.command)).toEqual(s.command);
    expect(un(svc.tmpfs)).toEqual(s.tmpfs);
    expect(un(svc.cap_add)).toEqual(s.capAdd);
    const env = svc.environment as Record<string, string>;
    expect(Object.entries(env).map(([k, v]) => ({ name: k, value: un(v) }))).toEqual(s.env);
  });
});

const missing = composeUnavailable();

describe.skipIf(missing !== undefined && !IN_CI)('hostile strings through docker compose config', () => {
  // Compose service/env keys must match its schema, so only values are hostile here.
  const p = hostilePolicy(['E']);
  const text = composeBackend.generate(p).artifacts[0]!.content;

  test('ajv schema and config -q accept it', () => {
    if (missing) throw new Error(`validator missing in CI: ${missing}`);
    expect(schemaErrors(parse(text))).toEqual([]);
    const r = composeConfig(text, ['-q'], { TW_PROBE: 'INTERPOLATED' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('Compose reads back exactly the IR values, nothing interpolated', () => {
    if (missing) throw new Error(`validator missing in CI: ${missing}`);
    const r = composeConfig(text, ['--format', 'json'], { TW_PROBE: 'INTERPOLATED' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('INTERPOLATED');
    // `config` prints a loadable file, so a literal '$' comes back as '$$' (Compose's escaping).
    const svc = (JSON.parse(r.stdout) as { services: { svc: Record<string, unknown> } }).services.svc;
    const s = p.services[0]!;
    expect(svc.image).toBe(dollars(s.image));
    expect(svc.user).toBe(dollars(s.user!));
    expect(svc.command).toEqual(s.command.map(dollars));
    expect(svc.tmpfs).toEqual(s.tmpfs.map(dollars));
    expect(svc.cap_add).toEqual(s.capAdd.map(dollars));
    expect(svc.environment).toEqual(Object.fromEntries(s.env.map((e) => [e.name, dollars(e.value)])));
    expect(svc.networks).toEqual({ front: { ipv4_address: '10.9.0.7' } });
    expect(svc.ports).toEqual([{ mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: '8443', protocol: 'tcp' }]);
  });
});
