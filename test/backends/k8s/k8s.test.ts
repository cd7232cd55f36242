// k8s backend: artifacts, golden manifests for three-tier, schema validation (ajv, Kubernetes'
// OpenAPI via kubernetes-models), options (namespace, dnsEgress) and targeted shape assertions.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLES, policy, threeTier } from '../../graph/fixtures.js';
import { compileK8s, buildWorld, schemaErrors, TIER } from './harness.js';

type Rule = { from?: unknown[]; to?: unknown[]; ports?: { protocol: string; port?: number; endPort?: number }[] };
type Manifest = {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { podSelector: unknown; policyTypes: string[]; ingress: Rule[]; egress: Rule[] };
};

const TIERS = ['frontend', 'backend', 'database'];
const peerTier = (r: Rule): unknown => ((r.from ?? r.to)![0] as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels[TIER];

describe('three-tier (default options)', () => {
  const c = compileK8s(threeTier, {});
  const docs = c.manifests as Manifest[];

  test('one file per tier under k8s/tiers/, plus k8s/kustomization.yaml listing them', () => {
    expect(c.artifacts.map((a) => [a.path, a.mode])).toEqual([...TIERS.map((t) => [`k8s/tiers/${t}.yaml`, 0o644]), ['k8s/kustomization.yaml', 0o644]]);
    expect(c.kustomization).toEqual({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: TIERS.map((t) => `tiers/${t}.yaml`) });
  });

  test.each([...TIERS.map((t) => `tiers/${t}.yaml`), 'kustomization.yaml'])('k8s/%s matches the golden file (writes .actual on mismatch)', (path) => {
    const text = c.text.get(`k8s/${path}`)!;
    const golden = new URL(`./golden/three-tier/${path.replace('tiers/', '')}`, import.meta.url);
    const expected = readFileSync(golden, 'utf8');
    if (text !== expected) writeFileSync(new URL(`${golden.href}.actual`), text);
    expect(text).toBe(expected);
  });

  test("'\\n' only, trailing newline, deterministic", () => {
    for (const a of c.artifacts) expect(a.content.endsWith('\n') && !a.content.includes('\r') && !a.content.endsWith('\n\n')).toBe(true);
    expect(compileK8s(threeTier, {}).artifacts).toEqual(c.artifacts);
  });

  test('every tier: its pods, both policy types, namespace "default", owner labels', () => {
    docs.forEach((d, i) => {
      expect(d.metadata).toEqual({ name: `tierwall-${TIERS[i]}`, namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'tierwall', 'tierwall.dev/policy': 'three-tier' } });
      expect(d.spec.podSelector).toEqual({ matchLabels: { [TIER]: TIERS[i] } });
      expect(d.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    });
  });

  test('rules: same tier without ports unless isolated; tcp/8080 and tcp/5432 on both ends', () => {
    const [fe, be, db] = docs;
    expect(fe!.spec.ingress.map(peerTier)).toEqual(['frontend']);
    expect(fe!.spec.egress.map(peerTier)).toEqual(['frontend', 'backend']);
    expect(fe!.spec.egress[1]!.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(be!.spec.ingress.map((r) => [peerTier(r), r.ports])).toEqual([['frontend', [{ protocol: 'TCP', port: 8080 }]], ['backend', undefined]]);
    expect(db!.spec.ingress.map((r) => [peerTier(r), r.ports])).toEqual([['backend', [{ protocol: 'TCP', port: 5432 }]]]);
    expect(db!.spec.egress).toEqual([]); // isolated, and nothing leaves the database
  });

  test('the log rule is a warning at its span (enforcement is exact), so is the world rule; nothing else is reported', () => {
    const p = EXAMPLES.find((e) => e.file === 'three-tier.policy')!.load();
    const ds = compileK8s(p).diagnostics;
    expect(ds.map((d) => [d.code, d.severity, d.span])).toEqual([
      ['backend-unsupported', 'warning', p.rules[2]!.origin.span],
      ['k8s-external-ends', 'warning', p.rules[3]!.origin.span],
    ]);
    expect(ds[0]!.message).toMatch(/^backend 'k8s' cannot express log/);
  });
});

describe('schema: networking.k8s.io/v1 NetworkPolicy', () => {
  test.each(EXAMPLES)('policies/$file validates with any options', ({ load }) => {
    for (const options of [{}, { namespace: 'shop', dnsEgress: true }]) {
      for (const m of compileK8s(load(), options).manifests) expect(schemaErrors(m)).toEqual([]);
    }
  });

  test('the validator rejects broken manifests (negative controls)', () => {
    const doc = compileK8s(threeTier).manifests[1] as Manifest;
    const spec = (s: object) => ({ ...doc, spec: { ...doc.spec, ...s } });
    expect(schemaErrors(spec({ ingress: { from: [] } }))).not.toEqual([]);
    expect(schemaErrors(spec({ ingress: [{ ports: [{ protocol: 'TCP', port: 1, endPort: '9' }] }] }))).not.toEqual([]);
    expect(schemaErrors(spec({ policyTypes: 'Ingress' }))).not.toEqual([]);
    expect(schemaErrors({ ...doc, metadata: { ...doc.metadata, labels: { a: 1 } } })).not.toEqual([]);
  });
});

describe('options', () => {
  test('namespace: on every manifest; peers stay inside it', () => {
    const c = compileK8s(threeTier, { namespace: 'shop' });
    for (const m of c.manifests as Manifest[]) expect(m.metadata.namespace).toBe('shop');
    const w = buildWorld(threeTier, c.manifests, 'shop');
    const tcp = (from: typeof w.stranger, to: typeof w.stranger) => w.cluster.allowed({ from, to, protocol: 'TCP', port: 8080 });
    // Same tier label, other namespace: not a member of the tier, either way.
    expect([tcp(w.stranger, w.pod('backend')), tcp(w.pod('frontend'), w.stranger), tcp(w.stranger, w.pod('frontend'))]).toEqual([false, false, false]);
    expect([tcp(w.untiered, w.pod('backend')), tcp(w.pod('frontend'), w.untiered)]).toEqual([false, false]);
  });

  test('an invalid namespace is an error without a span', () => {
    const ds = compileK8s(threeTier, { namespace: 'Shop_1' }).diagnostics.filter((d) => d.severity === 'error');
    expect(ds.map((d) => [d.code, d.severity, d.span])).toEqual([['backend-unsupported', 'error', undefined]]);
    expect(ds[0]!.message).toContain('"Shop_1"');
  });

  test('dnsEgress: every tier reaches kube-dns on udp/53 and tcp/53, nothing more; off by default', () => {
    const on = buildWorld(threeTier, compileK8s(threeTier, { namespace: 'shop', dnsEgress: true }).manifests, 'shop');
    const off = buildWorld(threeTier, compileK8s(threeTier, { namespace: 'shop' }).manifests, 'shop');
    for (const t of TIERS) {
      const from = on.pod(t);
      const dns = (w: typeof on, protocol: 'UDP' | 'TCP', port: number) => w.cluster.allowed({ from: w.pod(t), to: w.kubeDns, protocol, port });
      expect([dns(on, 'UDP', 53), dns(on, 'TCP', 53), dns(on, 'UDP', 54), dns(off, 'UDP', 53)]).toEqual([true, true, false, false]);
      expect(on.cluster.allowed({ from: on.kubeDns, to: from, protocol: 'UDP', port: 53 })).toBe(false);
      // The kube-dns peer must not open DNS to pods elsewhere with that label name.
      expect(on.cluster.allowed({ from, to: { ...on.kubeDns, namespace: 'elsewhere' }, protocol: 'UDP', port: 53 })).toBe(false);
    }
  });

  test('the DNS rule is the last egress rule, as documented', () => {
    const text = compileK8s(threeTier, { dnsEgress: true }).text.get('k8s/tiers/database.yaml')!;
    const egress = (parse(text) as Manifest).spec.egress;
    expect(egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
    ]);
  });
});

test('a policy without tiers: an empty kustomization, nothing else', () => {
  const c = compileK8s(policy('empty', 'deny', [], []));
  expect(c.artifacts.map((a) => a.path)).toEqual(['k8s/kustomization.yaml']);
  expect(c.kustomization.resources).toEqual([]);
});
