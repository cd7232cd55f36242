// test support: random small policies (fast-check) as PolicySpec for build-ir: 2-5 tiers (some
// isolated, subnets of different sizes), up to 10 rules with `any`, ports 1-40, icmp, log, either default.
import fc from 'fast-check';
import type { PolicySpec, RuleSpec, TierSpec } from '../backends/iptables/build-ir.js';

const PORT = fc.integer({ min: 1, max: 40 });

const service: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('tcp', 'udp'), PORT, PORT).map(([p, a, b]) => (a === b ? `${p}/${a}` : `${p}/${Math.min(a, b)}-${Math.max(a, b)}`)) },
  { weight: 1, arbitrary: fc.constant('icmp') },
);

function side(names: readonly string[]): fc.Arbitrary<readonly string[] | 'any'> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('any' as const) },
    { weight: 4, arbitrary: fc.subarray([...names], { minLength: 1 }) },
  );
}

function rule(names: readonly string[]): fc.Arbitrary<RuleSpec> {
  return fc.record({
    action: fc.constantFrom('allow' as const, 'deny' as const),
    from: side(names),
    to: side(names),
    // Empty: all traffic (one rule in five).
    services: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(service, { minLength: 1, maxLength: 4 }) }),
    log: fc.boolean(),
  });
}

/** Tier i on 10.60.i.0 with a /24, /26 or /28: sizes vary, subnets never overlap. */
function tiers(n: number): fc.Arbitrary<TierSpec[]> {
  return fc.tuple(...Array.from({ length: n }, (_, i) =>
    fc.record({ isolated: fc.boolean(), prefix: fc.constantFrom(24, 26, 28) }).map(({ isolated, prefix }) => ({
      name: `t${i}`,
      subnet: `10.60.${i}.0/${prefix}`,
      isolated,
    })),
  ));
}

export const policySpecArb: fc.Arbitrary<PolicySpec> = fc.integer({ min: 2, max: 5 }).chain((n) => {
  const names = Array.from({ length: n }, (_, i) => `t${i}`);
  return fc.record({
    name: fc.constant('rnd'),
    tiers: tiers(n),
    rules: fc.array(rule(names), { maxLength: 10 }),
    defaultAction: fc.constantFrom('allow' as const, 'deny' as const),
  });
});

/** Ranges for nets: overlapping, nested and disjoint ones, all outside the tiers (10.60.0.0/16). */
const NET_RANGES = ['198.51.100.0/24', '198.51.100.128/25', '198.51.100.192/26', '203.0.113.0/24', '10.61.0.0/16'];

/**
 * Random policies at the host's edge: the tiers and rules above plus 1-2 nets (drawn from
 * NET_RANGES, so they may overlap or nest) and rules with nets or `world` on one side, tiers
 * (or `any`) on the other.
 */
export const edgePolicySpecArb: fc.Arbitrary<PolicySpec> = fc.integer({ min: 2, max: 4 }).chain((n) => {
  const names = Array.from({ length: n }, (_, i) => `t${i}`);
  const nets = fc.integer({ min: 1, max: 2 }).chain((k) =>
    fc.tuple(...Array.from({ length: k }, (_, i) =>
      fc.subarray(NET_RANGES, { minLength: 1, maxLength: 2 }).map((cidrs) => ({ name: `n${i}`, cidrs })))));
  return nets.chain((ns) => {
    const outside = fc.subarray([...ns.map((x) => x.name), 'world'], { minLength: 1 });
    const edgeRule: fc.Arbitrary<RuleSpec> = fc.record({
      action: fc.constantFrom('allow' as const, 'deny' as const),
      ingress: fc.boolean(),
      ext: outside,
      tiers: side(names),
      // Sometimes a tier on the outside's side too (`allow n0, t1 -> t2`).
      extra: fc.option(fc.constantFrom(...names), { nil: undefined }),
      services: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(service, { minLength: 1, maxLength: 4 }) }),
      log: fc.boolean(),
    }).map(({ ingress, ext, tiers: t, extra, ...r }) => {
      const ends = extra === undefined ? ext : [...ext, extra];
      return ingress ? { ...r, from: ends, to: t } : { ...r, from: t, to: ends };
    });
    return fc.record({
      name: fc.constant('rnd'),
      tiers: tiers(n),
      nets: fc.constant(ns),
      rules: fc.array(fc.oneof(rule(names), edgeRule, edgeRule), { maxLength: 10 }),
      defaultAction: fc.constantFrom('allow' as const, 'deny' as const),
    });
  });
});
