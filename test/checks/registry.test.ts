// The registry: every check runs once, ids are unique, and the output order is deterministic.
import { describe, expect, it } from 'vitest';
import { CHECKS, runChecks } from '../../src/checks/registry.js';
import { policy, rule, service, tcp, tier } from './build-ir.js';

describe('runChecks', () => {
  const p = policy({
    tiers: [tier('a', '172.17.0.0/24'), tier('b', '172.17.0.0/25'), tier('c', '10.0.0.0/24', { isolated: true })],
    rules: [rule('allow', ['a'], ['b'], [tcp(80)]), rule('deny', ['a'], ['b'], [tcp(80)]), rule('allow', ['c'], ['c'])],
    services: [service('s', ['a', 'c'])],
  });

  it('has unique check ids', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it('sorts by position, then code, the same way every time', () => {
    const first = runChecks(p);
    expect(runChecks(p)).toEqual(first);
    const keys = first.map((d) => [d.span!.start, d.code] as const);
    expect([...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0))).toEqual(keys);
    expect(first.map((d) => d.code)).toEqual([
      'docker-pool-overlap',
      'cidr-overlap',
      'docker-pool-overlap',
      'rule-shadowed',
      'isolated-allow',
      'service-bridges-deny',
    ]);
  });
});
