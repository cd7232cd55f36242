// k8s backend: what NetworkPolicy cannot express is reported at the deciding rule (or default),
// never dropped; how the allowed set is cut into ports (first match resolved, ranges merged).
import { describe, expect, test } from 'vitest';
import { icmp, policy, rule, tcp, tier, udp } from '../../checks/build-ir.js';
import { compileK8s } from './harness.js';

type Port = { protocol: string; port?: number; endPort?: number };
type Doc = { spec: { ingress: { from: unknown[]; ports?: Port[] }[]; egress: { to: unknown[]; ports?: Port[] }[] } };

const AB = [tier('a', '10.0.1.0/24', { isolated: true }), tier('b', '10.0.2.0/24', { isolated: true })];
/** The ports of b's only ingress rule (from a), or 'none' when b has no ingress rule. */
function ingressOfB(c: ReturnType<typeof compileK8s>): Port[] | 'all' | 'none' {
  const rules = (c.manifests[1] as Doc).spec.ingress;
  if (rules.length === 0) return 'none';
  expect(rules).toHaveLength(1);
  return rules[0]!.ports ?? 'all';
}
const codes = (c: ReturnType<typeof compileK8s>) => c.diagnostics.map((d) => [d.code, d.severity, d.span?.start]);

describe('allowed sets as ports', () => {
  test('first match resolved: a deny carves a hole in a later allow', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('deny', ['a'], ['b'], [tcp(10, 20)]), rule('allow', ['a'], ['b'], [tcp(1, 40)])] }));
    expect(ingressOfB(c)).toEqual([{ protocol: 'TCP', port: 1, endPort: 9 }, { protocol: 'TCP', port: 21, endPort: 40 }]);
    expect(codes(c)).toEqual([]);
  });

  test('adjacent and overlapping services merge; a whole protocol has no port', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('allow', ['a'], ['b'], [tcp(9000, 9010), tcp(9011), udp(1, 65535), tcp(9005, 9006)])] }));
    expect(ingressOfB(c)).toEqual([{ protocol: 'TCP', port: 9000, endPort: 9011 }, { protocol: 'UDP' }]);
  });

  test('all traffic is a rule without ports; so is a default allow with no exception', () => {
    expect(ingressOfB(compileK8s(policy({ tiers: AB, rules: [rule('allow', ['a'], ['b'])] })))).toBe('all');
    expect(ingressOfB(compileK8s(policy({ tiers: AB, defaultAction: 'allow' })))).toBe('all');
    expect(ingressOfB(compileK8s(policy({ tiers: AB })))).toBe('none');
  });

  test('egress mirrors ingress', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('allow', ['a'], ['b'], [udp(53)])] }));
    expect((c.manifests[0] as Doc).spec.egress.map((r) => r.ports)).toEqual([[{ protocol: 'UDP', port: 53 }]]);
  });
});

describe('backend-unsupported', () => {
  test('an icmp allow: error at the rule; the tcp part is still exact', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('allow', ['a'], ['b'], [icmp, tcp(22)])] }));
    expect(codes(c)).toEqual([['backend-unsupported', 'error', 100000]]);
    expect(c.diagnostics[0]!.message).toBe(
      "backend 'k8s' cannot express icmp allowed by this rule for a -> b (NetworkPolicy ports are TCP, UDP or SCTP: icmp can be allowed only with all traffic between two tiers)",
    );
    expect(ingressOfB(c)).toEqual([{ protocol: 'TCP', port: 22 }]);
  });

  test('all traffic but one port: icmp and other protocols, both at the rule that allows them', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('deny', ['a'], ['b'], [tcp(22)]), rule('allow', ['a'], ['b'])] }));
    expect(codes(c)).toEqual([['backend-unsupported', 'error', 100010], ['backend-unsupported', 'error', 100010]]);
    expect(c.diagnostics.map((d) => /cannot express (icmp|protocols other)/.exec(d.message)?.[1])).toEqual(['icmp', 'protocols other']);
    expect(ingressOfB(c)).toEqual([{ protocol: 'TCP', port: 1, endPort: 21 }, { protocol: 'TCP', port: 23, endPort: 65535 }, { protocol: 'UDP' }]);
  });

  test('default allow with an exception: reported at the default, one diagnostic per protocol for all pairs', () => {
    const abc = [...AB, tier('c', '10.0.3.0/24')];
    const c = compileK8s(policy({ tiers: abc, defaultAction: 'allow', rules: [rule('deny', ['any'], ['any'], [tcp(22)])] }));
    expect(codes(c)).toEqual([['backend-unsupported', 'error', 300000], ['backend-unsupported', 'error', 300000]]);
    expect(c.diagnostics[0]!.message).toContain('allowed by the default for a -> b, a -> c, b -> a and 3 more');
  });

  test('an icmp deny needs nothing: it is what NetworkPolicy does anyway', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('deny', ['a'], ['b'], [icmp]), rule('allow', ['a'], ['b'], [tcp(1, 65535), udp(1, 65535)])] }));
    expect(codes(c)).toEqual([]);
  });

  test('log is a warning, one per rule, whatever its action', () => {
    const c = compileK8s(policy({ tiers: AB, rules: [rule('allow', ['a'], ['b'], [tcp(80)], { log: true }), rule('deny', ['b'], ['a'], 'all', { log: true })] }));
    expect(codes(c)).toEqual([['backend-unsupported', 'warning', 100000], ['backend-unsupported', 'warning', 100010]]);
  });

  test('names the manifests cannot hold are errors (hand-built IR only: lowering forbids them)', () => {
    const c = compileK8s(policy({ tiers: [tier('a', '10.0.1.0/24'), { name: 'B_', cidr: '10.0.2.0/24' }] }));
    expect(codes(c)).toEqual([['backend-unsupported', 'error', 1010]]);
  });
});
