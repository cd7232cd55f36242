// Truth tables written by hand, cyclonus style: rows are the client pod, columns the server pod,
// '.' = connection allowed, 'X' = blocked. Both the oracle on the generated manifests and the
// evaluator must reproduce each table; neither is the reference for the other. The diagonal is a
// pod talking to itself: always allowed (Kubernetes: a pod cannot block access to itself).
import { describe, expect, test } from 'vitest';
import { Evaluator, type FlowProto } from '../../../src/eval/evaluate.js';
import type { Policy } from '../../../src/ir/types.js';
import { loadPolicy } from '../../support/policy.js';
import { buildWorld, compileK8s, connectionsFor } from './harness.js';

interface Probe {
  readonly proto: FlowProto;
  readonly port?: number;
}

const podsOf = (p: Policy) => p.tiers.flatMap((t) => [0, 1].map((i) => ({ tier: t.name, i, label: `${t.name[0]}${i}` })));

function render(p: Policy, cell: (from: { tier: string; i: number }, to: { tier: string; i: number }) => boolean): string {
  const pods = podsOf(p);
  const rows = pods.map((a) => `${a.label}  ${pods.map((b) => (a === b || cell(a, b) ? '.' : 'X')).join('  ')}`);
  return [`    ${pods.map((b) => b.label).join(' ')}`, ...rows].join('\n');
}

function networkPolicyTable(p: Policy, probe: Probe): string {
  const world = buildWorld(p, compileK8s(p).manifests);
  return render(p, (a, b) => connectionsFor(world.pod(a.tier, a.i), world.pod(b.tier, b.i), probe.proto, probe.port).every((c) => world.cluster.allowed(c)));
}

function evaluatorTable(p: Policy, probe: Probe): string {
  const ev = new Evaluator(p);
  return render(p, (a, b) => ev.evaluate({ src: a.tier, dst: b.tier, proto: probe.proto, port: probe.port }).action === 'allow');
}

function check(p: Policy, probe: Probe, expected: string): void {
  const lines = expected.split('\n').filter((l) => l.trim() !== '');
  const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  const want = lines.map((l) => l.slice(indent)).join('\n');
  expect(networkPolicyTable(p, probe), 'NetworkPolicy').toBe(want);
  expect(evaluatorTable(p, probe), 'evaluator').toBe(want);
}

const THREE_TIER = `
policy three-tier;
tier frontend 172.20.1.0/24;
tier backend  172.20.2.0/24;
tier database 172.20.3.0/24 isolated;
allow frontend -> backend tcp/8080;
allow backend -> database tcp/5432;
deny frontend -> database log;
default deny;
`;

describe('truth tables: three-tier', () => {
  const p = loadPolicy(THREE_TIER, 'three-tier.policy');

  test('tcp/8080: frontend reaches backend; database pods do not reach each other', () => {
    check(p, { proto: 'tcp', port: 8080 }, `
            f0 f1 b0 b1 d0 d1
        f0  .  .  .  .  X  X
        f1  .  .  .  .  X  X
        b0  X  X  .  .  X  X
        b1  X  X  .  .  X  X
        d0  X  X  X  X  .  X
        d1  X  X  X  X  X  .`);
  });

  test('tcp/5432: only backend reaches database, nothing flows back', () => {
    check(p, { proto: 'tcp', port: 5432 }, `
            f0 f1 b0 b1 d0 d1
        f0  .  .  X  X  X  X
        f1  .  .  X  X  X  X
        b0  X  X  .  .  .  .
        b1  X  X  .  .  .  .
        d0  X  X  X  X  .  X
        d1  X  X  X  X  X  .`);
  });

  test('tcp/8081 and icmp: only inside the non-isolated tiers', () => {
    const inside = `
            f0 f1 b0 b1 d0 d1
        f0  .  .  X  X  X  X
        f1  .  .  X  X  X  X
        b0  X  X  .  .  X  X
        b1  X  X  .  .  X  X
        d0  X  X  X  X  .  X
        d1  X  X  X  X  X  .`;
    check(p, { proto: 'tcp', port: 8081 }, inside);
    check(p, { proto: 'icmp' }, inside);
  });
});

const RANGES = `
policy ranges;
tier a 10.0.1.0/24;
tier b 10.0.2.0/24;
tier c 10.0.3.0/24 isolated;
deny a -> b tcp/10-20;   # first match: carves a hole in the next rule
allow a -> b tcp/1-40;
allow a, b -> c udp/53;
allow b -> a;            # all traffic
default deny;
`;

describe('truth tables: first match, port ranges, all traffic', () => {
  const p = loadPolicy(RANGES, 'ranges.policy');
  const aToB = (ok: boolean) => `
            a0 a1 b0 b1 c0 c1
        a0  .  .  ${ok ? '.  .' : 'X  X'}  X  X
        a1  .  .  ${ok ? '.  .' : 'X  X'}  X  X
        b0  .  .  .  .  X  X
        b1  .  .  .  .  X  X
        c0  X  X  X  X  .  X
        c1  X  X  X  X  X  .`;

  test('tcp/9, tcp/21, tcp/40: inside the allow, outside the deny', () => {
    for (const port of [9, 21, 40]) check(p, { proto: 'tcp', port }, aToB(true));
  });

  test('tcp/10, tcp/20: the earlier deny wins; tcp/41: past the allow', () => {
    for (const port of [10, 20, 41]) check(p, { proto: 'tcp', port }, aToB(false));
  });

  test('udp/53: a and b reach the isolated c, whose pods still do not reach each other', () => {
    check(p, { proto: 'udp', port: 53 }, `
            a0 a1 b0 b1 c0 c1
        a0  .  .  X  X  .  .
        a1  .  .  X  X  .  .
        b0  .  .  .  .  .  .
        b1  .  .  .  .  .  .
        c0  X  X  X  X  .  X
        c1  X  X  X  X  X  .`);
  });

  test('icmp and other protocols: only the all-traffic rule b -> a and same-tier traffic', () => {
    for (const proto of ['icmp', 'other'] as const) check(p, { proto }, aToB(false));
  });
});
