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
