// compose backend: structure of compose.yml for three-tier (and edge cases), validated against the
// compose-spec schema (ajv) and by Compose v2 itself (`docker compose config -q`).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { backend as composeBackend } from '../../../src/backends/compose/backend.js';
import { networkName } from '../../../src/backends/shared/network-name.js';
import type { Policy } from '../../../src/ir/types.js';
import { EXAMPLES, mixed, policy, service, threeTier, tier } from '../../graph/fixtures.js';
import { composeConfig, composeUnavailable, IN_CI, schemaErrors } from './validators.js';

type Doc = { name: string; services: Record<string, Record<string, unknown>>; networks: Record<string, Record<string, unknown>> };

function generate(p: Policy): { text: string; doc: Doc; codes: string[] } {
  const r = composeBackend.generate(p);
  expect(r.artifacts.map((a) => [a.path, a.mode])).toEqual([['compose.yml', 0o644]]);
  const text = r.artifacts[0]!.content;
  return { text, doc: parse(text, { uniqueKeys: true }) as Doc, codes: r.diagnostics.map((d) => d.code) };
}

/** A policy with a two-tier service, no static address, no ports, user-less, writable. */
const edge: Policy = policy('edge-case', 'deny', [tier('a', '10.1.0.0/24'), tier('b', '10.2.0.0/24')], [], [
  service('multi', { tiers: ['a', 'b'], addresses: [{ tier: 'b', address: '10.2.0.5' }], readOnly: false }),
]);

describe('compose.yml structure (three-tier)', () => {
  const { text, doc, codes } = generate(threeTier);

  test('no diagnostics, no version key, name = policy name, fixed top-level order', () => {
    expect(codes).toEqual([]);
    expect(Object.keys(doc)).toEqual(['name', 'services', 'networks']);
    expect(doc.name).toBe('three-tier');
    expect(text).not.toMatch(/^version:/m);
    expect(text.endsWith('\n') && !text.includes('\r')).toBe(true);
  });

  test('every tier is an external network named by networkName()', () => {
    expect(Object.keys(doc.networks)).toEqual(['frontend', 'backend', 'database']);
    for (const t of threeTier.tiers) expect(doc.networks[t.name]).toEqual({ name: networkName(threeTier, t), external: true });
  });

  test('services in policy order with image, networks and static addresses', () => {
    expect(Object.keys(doc.services)).toEqual(['web', 'app', 'db']);
    expect(doc.services.web!.image).toBe('nginx:1.27-alpine');
    expect(doc.services.web!.networks).toEqual({ frontend: { ipv4_address: '172.20.1.10' } });
    expect(doc.services.app!.networks).toEqual({ backend: { ipv4_address: '172.20.2.10' } });
    expect(doc.services.db!.networks).toEqual({ database: { ipv4_address: '172.20.3.10' } });
  });

  test('hardening profile on every service; read_only follows writable', () => {
    for (const s of threeTier.services) {
      const c = doc.services[s.name]!;
      expect(c.cap_drop).toEqual(['ALL']);
      expect(c.security_opt).toEqual(['no-new-privileges:true']);
      expect(c.read_only).toBe(s.readOnly);
      expect(c.tmpfs).toEqual(s.tmpfs);
      expect(c.cap_add).toEqual(s.capAdd.length ? s.capAdd : undefined); // in the order given
      expect(c.user).toBe(s.user);
    }
    expect(doc.services.db!.read_only).toBe(false);
  });

  test('ports in long syntax with an explicit host_ip', () => {
    expect(doc.services.web!.ports).toEqual([{ host_ip: '0.0.0.0', published: 80, target: 80, protocol: 'tcp' }]);
    expect(doc.services.app!.ports).toBeUndefined();
  });

  test('environment is a map, command a list, key order fixed', () => {
    expect(doc.services.db!.environment).toEqual({ POSTGRES_PASSWORD_FILE: '/run/secrets/db-password' });
    expect(doc.services.app!.command).toEqual(['node', '/app/server.js']);
    expect(Object.keys(doc.services.app!)).toEqual(['image', 'user', 'command', 'networks', 'cap_drop', 'security_opt', 'read_only', 'tmpfs']);
    expect(Object.keys(doc.services.web!)).toEqual(['image', 'networks', 'ports', 'cap_drop', 'cap_add', 'security_opt', 'read_only', 'tmpfs']);
  });

  test('matches the golden file (writes .actual on mismatch)', () => {
    const expected = readFileSync(new URL('./golden/three-tier.compose.yml', import.meta.url), 'utf8');
    if (text !== expected) writeFileSync(new URL('./golden/three-tier.compose.yml.actual', import.meta.url), text);
    expect(text).toBe(expected);
  });

  test('deterministic', () => {
    expect(generate(threeTier).text).toBe(text);
  });
});

describe('compose.yml edge cases', () => {
  test('multi-tier service: one address, one plain attachment; no services -> services: {}', () => {
    expect(generate(edge).doc.services.multi!.networks).toEqual({ a: {}, b: { ipv4_address: '10.2.0.5' } });
    const empty = generate(mixed);
    expect(empty.doc.services).toEqual({});
    expect(Object.keys(empty.doc.networks)).toEqual(['web', 'app', 'db', 'mgmt']);
  });

  test('what Compose cannot hold is a backend-unsupported error, never dropped', () => {
    const bad = policy('Bad Name', 'deny', [tier('a', '10.1.0.0/24')], [], [
      service('s', { tiers: ['a'], env: [{ name: 'X', value: '1' }, { name: 'X', value: '2' }] }),
    ]);
    const r = generate(bad);
    expect(r.codes).toEqual(['backend-unsupported', 'backend-unsupported']);
    expect(r.doc.services.s!.environment).toEqual({ X: '2' }); // still valid YAML: one key, last wins
  });
});

describe('compose-spec JSON schema (ajv)', () => {
  test.each(EXAMPLES)('policies/$file validates, no diagnostics', ({ load }) => {
    const { doc, codes } = generate(load());
    expect(codes).toEqual([]);
    expect(schemaErrors(doc)).toEqual([]);
  });

  test.each([threeTier, mixed, edge])('$name validates', (p) => {
    expect(schemaErrors(generate(p).doc)).toEqual([]);
  });

  test('the validator rejects what Compose rejects (negative controls)', () => {
    const doc = generate(threeTier).doc;
    expect(schemaErrors({ ...doc, services: { web: { ...doc.services.web, cap_drop: 'ALL' } } })).not.toEqual([]);
    expect(schemaErrors({ ...doc, version: 3 })).not.toEqual([]);
    expect(schemaErrors({ ...doc, name: 'Not Valid' })).not.toEqual([]);
  });
});

const missing = composeUnavailable();
if (missing && !IN_CI) console.warn(`compose tests: docker compose config skipped: ${missing}`);

describe.skipIf(missing !== undefined && !IN_CI)('docker compose config (Compose v2)', () => {
  test.each([threeTier, mixed, edge])('$name: config -q accepts it', (p) => {
    if (missing) throw new Error(`validator missing in CI: ${missing}`);
    const r = composeConfig(generate(p).text, ['-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test.each(EXAMPLES)('policies/$file: config -q accepts it', ({ load }) => {
    if (missing) throw new Error(`validator missing in CI: ${missing}`);
    const r = composeConfig(generate(load()).text, ['-q']);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  test('negative control: config -q rejects a schema error', () => {
    if (missing) throw new Error(`validator missing in CI: ${missing}`);
    const r = composeConfig(generate(threeTier).text.replace(/cap_drop:\n {6}- "ALL"/, 'cap_drop: "ALL"'), ['-q']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cap_drop must be a array/);
  });
});
