// test support: fast-check arbitraries for small random policies where rules overlap a lot
// (few tiers, ports 1-20), built with build-ir.ts.
import fc from 'fast-check';
import type { Policy, ServiceMatch } from '../../src/ir/types.js';
import { policy, rule, tier, type RuleSpec } from './build-ir.js';

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

const service: fc.Arbitrary<ServiceMatch> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 8 })).map(([lo, w]): ServiceMatch => ({ proto: 'tcp', lo, hi: Math.min(20, lo + w) })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 20 }).map((p): ServiceMatch => ({ proto: 'udp', lo: p, hi: p })) },
  { weight: 1, arbitrary: fc.constant<ServiceMatch>({ proto: 'icmp' }) },
);

function side(names: readonly string[]): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<string[]>(['any']) },
    { weight: 4, arbitrary: fc.subarray([...names], { minLength: 1, maxLength: Math.min(3, names.length) }) },
  );
}

function ruleSpec(names: readonly string[]): fc.Arbitrary<RuleSpec> {
  return fc
    .record({
      action: fc.constantFrom('allow' as const, 'deny' as const),
      sources: side(names),
      destinations: side(names),
      services: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 5, arbitrary: fc.array(service, { minLength: 1, maxLength: 2 }) }),
      log: fc.boolean(),
    })
    .map((r) => rule(r.action, r.sources, r.destinations, r.services, { log: r.log }));
}

/** A policy of minTiers..maxTiers tiers and up to maxRules rules over tcp/udp ports 1-20. */
export function arbPolicy(minTiers: number, maxTiers: number, maxRules: number): fc.Arbitrary<Policy> {
  return fc.integer({ min: minTiers, max: maxTiers }).chain((n) => {
    const names = NAMES.slice(0, n);
    return fc
      .record({
        isolated: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        rules: fc.array(ruleSpec(names), { maxLength: maxRules, size: 'max' }),
        defaultAction: fc.constantFrom('allow' as const, 'deny' as const),
      })
      .map(({ isolated, rules, defaultAction }) =>
        policy({ tiers: names.map((x, i) => tier(x, `10.0.${i}.0/24`, { isolated: isolated[i]! })), rules, defaultAction }),
      );
  });
}
