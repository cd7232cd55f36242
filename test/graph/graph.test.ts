// graph: the model (nodes, merged edge labels, logged-deny edges) for three-tier and a policy with
// `any`, default allow and overlapping ranges; edges are checked against the evaluator.
import { describe, expect, test } from 'vitest';
import { Evaluator } from '../../src/eval/evaluate.js';
import { buildGraph } from '../../src/graph/model.js';
import { setContains } from '../../src/graph/service-set.js';
import type { Policy } from '../../src/ir/types.js';
import { mixed, sampleFlows, threeTier } from './fixtures.js';

const edgeList = (p: Policy, deniedLogged: boolean): string[] =>
  buildGraph(p, undefined, { deniedLogged }).edges.map((e) => `${e.src} ${e.kind} ${e.dst}: ${e.label}`);

describe('buildGraph', () => {
  test('three-tier nodes: name + subnet, isolated marked', () => {
    expect(buildGraph(threeTier).nodes).toEqual([
      { name: 'frontend', label: ['frontend', '172.20.1.0/24'], isolated: false },
      { name: 'backend', label: ['backend', '172.20.2.0/24'], isolated: false },
      { name: 'database', label: ['database', '172.20.3.0/24', 'isolated'], isolated: true },
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

  test.each([threeTier, mixed])('$name: every edge (and every missing edge) agrees with the evaluator', (p) => {
    const ev = new Evaluator(p);
    const g = buildGraph(p, undefined, { deniedLogged: true });
    for (const a of p.tiers) {
      for (const b of p.tiers) {
        if (a === b) continue;
        const allow = g.edges.find((e) => e.src === a.name && e.dst === b.name && e.kind === 'allow');
        const logged = g.edges.find((e) => e.src === a.name && e.dst === b.name && e.kind === 'deny-logged');
        for (const f of sampleFlows(p, a.name, b.name)) {
          const v = ev.evaluate(f);
          expect([f, allow !== undefined && setContains(allow.services, f.proto, f.port)]).toEqual([f, v.action === 'allow']);
          expect([f, logged !== undefined && setContains(logged.services, f.proto, f.port)]).toEqual([f, v.action === 'deny' && v.log]);
        }
      }
    }
  });

  test('pure and deterministic: same input, same model; the policy is not touched', () => {
    const before = JSON.stringify(mixed);
    expect(buildGraph(mixed)).toEqual(buildGraph(mixed));
    expect(JSON.stringify(mixed)).toBe(before);
  });
});
