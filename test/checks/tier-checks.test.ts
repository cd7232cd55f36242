// Tier checks: cidr-overlap, gateway-*, subnet-too-small, docker-pool-overlap, with their spans.
import { describe, expect, it } from 'vitest';
import { tierOverlap } from '../../src/checks/tier-overlap.js';
import { tierGateway } from '../../src/checks/tier-gateway.js';
import { dockerPools } from '../../src/checks/docker-pools.js';
import { policy, spanOf, tier } from './build-ir.js';

describe('cidr-overlap', () => {
  it('reports on the later tier with the earlier one related', () => {
    const p = policy({ tiers: [tier('a', '10.0.0.0/16'), tier('b', '10.1.0.0/24'), tier('c', '10.0.5.0/24')] });
    const ds = tierOverlap.run(p);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.code).toBe('cidr-overlap');
    expect(ds[0]!.severity).toBe('error');
    expect(ds[0]!.span).toEqual(spanOf(p.tiers[2]!));
    expect(ds[0]!.related.map((r) => r.span)).toEqual([spanOf(p.tiers[0]!)]);
    expect(ds[0]!.message).toBe("subnet 10.0.5.0/24 of tier 'c' overlaps 10.0.0.0/16 of tier 'a'");
  });

  it('finds the earlier tier whether it is the larger or the smaller subnet', () => {
    const p = policy({ tiers: [tier('small', '10.0.5.0/24'), tier('big', '10.0.0.0/8')] });
    const ds = tierOverlap.run(p);
    expect(ds.map((d) => d.span)).toEqual([spanOf(p.tiers[1]!)]);
    expect(ds[0]!.related[0]!.span).toEqual(spanOf(p.tiers[0]!));
  });

  it('names the earliest declared overlapping tier, once per later tier', () => {
    const p = policy({ tiers: [tier('x', '10.0.1.0/24'), tier('y', '10.0.0.0/16'), tier('z', '10.0.1.0/24'), tier('w', '10.9.0.0/16')] });
    const ds = tierOverlap.run(p);
    expect(ds.map((d) => [d.span, d.related[0]!.span])).toEqual([
      [spanOf(p.tiers[1]!), spanOf(p.tiers[0]!)],
      [spanOf(p.tiers[2]!), spanOf(p.tiers[0]!)],
    ]);
  });

  it('handles 10,000 tiers, many identical, without pairwise work', () => {
    const tiers = Array.from({ length: 10000 }, (_, i) => tier(`t${i}`, i % 2 === 0 ? `10.${(i >> 8) & 255}.${i & 255}.0/24` : '192.168.0.0/24'));
    const p = policy({ tiers });
    const ds = tierOverlap.run(p); // timing belongs to bench/: here only the result
    expect(ds).toHaveLength(4999); // every odd tier but the first repeats 192.168.0.0/24
    expect(ds.every((d) => d.related[0]!.span.start === spanOf(p.tiers[1]!).start)).toBe(true);
  });
});

describe('tier gateways and sizes', () => {
  const run = (...tiers: Parameters<typeof tier>[]) => {
    const p = policy({ tiers: tiers.map((t) => tier(...t)) });
    return { p, ds: tierGateway.run(p) };
  };

  it('accepts the default and an explicit usable gateway', () => {
    expect(run(['a', '10.0.0.0/24'], ['b', '10.0.1.0/24', { gateway: '10.0.1.254' }], ['c', '10.0.2.0/30']).ds).toEqual([]);
  });

  it('gateway-outside-subnet', () => {
    const { p, ds } = run(['a', '10.0.0.0/24'], ['b', '10.0.1.0/24', { gateway: '10.0.2.1' }]);
    expect(ds.map((d) => [d.code, d.span])).toEqual([['gateway-outside-subnet', spanOf(p.tiers[1]!)]]);
  });

  it('gateway-reserved: network and broadcast addresses', () => {
    const { p, ds } = run(['a', '10.0.0.0/24', { gateway: '10.0.0.0' }], ['b', '10.0.1.0/24', { gateway: '10.0.1.255' }]);
    expect(ds.map((d) => [d.code, d.span])).toEqual([
      ['gateway-reserved', spanOf(p.tiers[0]!)],
      ['gateway-reserved', spanOf(p.tiers[1]!)],
    ]);
    expect(ds[0]!.message).toContain('network address');
    expect(ds[1]!.message).toContain('broadcast address');
  });

  it('subnet-too-small for /31 and /32, and nothing more about them', () => {
    const { p, ds } = run(['a', '10.0.0.0/31'], ['b', '10.0.1.1/32', { gateway: '10.9.9.9' }]);
    expect(ds.map((d) => [d.code, d.span])).toEqual([
      ['subnet-too-small', spanOf(p.tiers[0]!)],
      ['subnet-too-small', spanOf(p.tiers[1]!)],
    ]);
  });
});

describe('docker-pool-overlap', () => {
  it('warns for 172.17-31/16 and 192.168/16, naming the pool', () => {
    const p = policy({
      tiers: [tier('a', '172.20.1.0/24'), tier('b', '172.16.0.0/16'), tier('c', '192.168.40.0/24'), tier('d', '10.0.0.0/24'), tier('e', '172.32.0.0/24')],
    });
    const ds = dockerPools.run(p);
    expect(ds.map((d) => [d.code, d.severity, d.span])).toEqual([
      ['docker-pool-overlap', 'warning', spanOf(p.tiers[0]!)],
      ['docker-pool-overlap', 'warning', spanOf(p.tiers[2]!)],
    ]);
    expect(ds[0]!.message).toBe("subnet 172.20.1.0/24 overlaps Docker's default address pool 172.20.0.0/16");
    expect(ds[1]!.message).toContain('192.168.32.0/20');
  });

  it('counts the other pools a large subnet covers', () => {
    const p = policy({ tiers: [tier('a', '172.16.0.0/12')] });
    expect(dockerPools.run(p)[0]!.message).toContain('172.17.0.0/16 (and 14 more)');
  });
});
