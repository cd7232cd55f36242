// graph: the model (nodes, merged edge labels, logged-deny edges) for three-tier and a policy with
// `any`, default allow and overlapping ranges; edges are checked against the evaluator.
import { describe, expect, test } from 'vitest';
import { Evaluator } from '../../src/eval/evaluate.js';
import { buildGraph } from '../../src/graph/model.js';
import { setContains } from '../../src/graph/service-set.js';
import type { Policy } from '../../src/ir/types.js';
import { zonesOf } from '../../src/eval/zones.js';
import { loadPolicy } from '../support/policy.js';
import { EDGE_TEXT, mixed, sampleFlows, threeTier } from './fixtures.js';

const edge = (): Policy => loadPolicy(EDGE_TEXT, 'edge.policy');

const edgeList = (p: Policy, deniedLogged: boolean): string[] =>
  buildGraph(p, undefined, { deniedLogged }).edges.map((e) => `${e.src} ${e.kind} ${e.dst}: ${e.label}`);

describe('buildGraph', () => {
  test('three-tier nodes: name + subnet, isolated marked', () => {
    expect(buildGraph(threeTier).nodes).toEqual([
      { name: 'frontend', kind: 'tier', label: ['frontend', '172.20.1.0/24'], isolated: false },
      { name: 'backend', kind: 'tier', label: ['backend', '172.20.2.0/24'], isolated: false },
      { name: 'database', kind: 'tier', label: ['database', '172.20.3.0/24', 'isolated'], isolated: true },
    ]);
  });

  test('three-tier edges, with and without logged denies', () => {
    expect(edgeList(threeTier, false)).toEqual(['frontend allow backend: tcp/8080', 'backend allow database: tcp/5432']);
    expect(edgeList(threeTier, true)).toEqual([
      'frontend allow backend: tcp/8080',
      'frontend deny-logged database: denied, logged: all',
      'backend allow database: tcp/5432',
    ]);
  });

  test('any, default allow, overlapping ranges', () => {
    expect(edgeList(mixed, true)).toEqual([
      'web allow app: all except tcp/8101-9000',
      'web deny-logged app: denied, logged: tcp/8101-9000',
      'web deny-logged db: denied, logged: tcp/5000-6000',
      'app allow web: all',
      'app allow db: all except tcp/5000-6000',
      'app deny-logged db: denied, logged: tcp/5000-6000',
      'db allow web: all',
      'db allow app: all',
      'mgmt allow web: all',
      'mgmt allow app: all',
      'mgmt allow db: all except tcp/5000-6000',
      'mgmt deny-logged db: denied, logged: tcp/5000-6000',
    ]);
  });

  test.each([threeTier, mixed, edge()])('$name: every edge (and every missing edge) agrees with the evaluator', (p) => {
    const ev = new Evaluator(p);
    const g = buildGraph(p, undefined, { deniedLogged: true, external: true });
    const zones = zonesOf(p).external.map((z) => z.name);
    const ends = [...p.tiers.map((t) => t.name), ...zones];
    for (const a of ends) {
      for (const b of ends) {
        // Flows between two external zones are no traffic tierwall governs.
        if (a === b || (zones.includes(a) && zones.includes(b))) continue;
        const allow = g.edges.find((e) => e.src === a && e.dst === b && e.kind === 'allow');
        const logged = g.edges.find((e) => e.src === a && e.dst === b && e.kind === 'deny-logged');
        for (const f of sampleFlows(p, a, b)) {
          const v = ev.evaluate(f);
          expect([f, allow !== undefined && setContains(allow.services, f.proto, f.port)]).toEqual([f, v.action === 'allow']);
          expect([f, logged !== undefined && setContains(logged.services, f.proto, f.port)]).toEqual([f, v.action === 'deny' && v.log]);
        }
      }
    }
  });

  test('external zones: after the tiers, only those with an edge, zone -> tier edges first', () => {
    const g = buildGraph(edge(), undefined, { deniedLogged: true, external: true });
    expect(g.nodes.filter((n) => n.kind === 'external')).toEqual([
      { name: 'office+vpn', kind: 'external', label: ['office+vpn', 'in office and vpn'], isolated: false },
      { name: 'office', kind: 'external', label: ['office', '192.0.2.0/24', '198.51.100.0/24'], isolated: false },
      { name: 'world', kind: 'external', label: ['world', 'outside the tiers and the nets'], isolated: false },
    ]);
    expect(g.edges.map((e) => `${e.src} ${e.kind} ${e.dst}: ${e.label}`)).toEqual([
      'office+vpn allow web: tcp/80, tcp/443',
      'office+vpn allow app: tcp/22',
      'office+vpn deny-logged app: denied, logged: all except tcp/22',
      'app allow office+vpn: udp/53',
      'office allow web: tcp/80, tcp/443',
      'office allow app: tcp/22',
      'app allow office: udp/53',
      'world allow web: tcp/80, tcp/443',
      'app allow world: udp/53',
    ]);
    // Without `external` (REPORT.md's graph), tiers only.
    expect(buildGraph(edge()).nodes.map((n) => n.name)).toEqual(['web', 'app']);
    // A zone with no edge is left out: here only a logged deny links vpn's part to app.
    const quiet = loadPolicy('tier app 10.10.2.0/24;\nnet vpn 192.0.2.0/25;\ndeny vpn -> app log;\n', 'q.policy');
    expect(buildGraph(quiet, undefined, { external: true }).nodes.map((n) => n.name)).toEqual(['app']);
    expect(buildGraph(quiet, undefined, { external: true, deniedLogged: true }).nodes.map((n) => n.name)).toEqual(['app', 'vpn']);
  });

  test('pure and deterministic: same input, same model; the policy is not touched', () => {
    const before = JSON.stringify(mixed);
    expect(buildGraph(mixed)).toEqual(buildGraph(mixed));
    expect(JSON.stringify(mixed)).toBe(before);
  });
});
