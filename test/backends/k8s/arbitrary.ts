// test support (k8s): random policies NetworkPolicy can mostly express: 2-5 tiers, up to 10 rules
// over tcp/udp ports 1-40 (no icmp, no log), `any`, isolated tiers, default allow or deny.
import fc from 'fast-check';
import type { Policy, ServiceMatch } from '../../../src/ir/types.js';
import { policy, rule, tier, type RuleSpec } from '../../checks/build-ir.js';

const NAMES = ['web', 'app', 'db', 'ops', 'etl'];

const service: fc.Arbitrary<ServiceMatch> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 12 })).map(([lo, w]): ServiceMatch => ({ proto: 'tcp', lo, hi: Math.min(40, lo + w) })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 4 })).map(([lo, w]): ServiceMatch => ({ proto: 'udp', lo, hi: Math.min(40, lo + w) })) },
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
      services: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 4, arbitrary: fc.array(service, { minLength: 1, maxLength: 3 }) }),
    })
    .map((r) => rule(r.action, r.sources, r.destinations, r.services));
}

export const arbK8sPolicy: fc.Arbitrary<Policy> = fc.integer({ min: 2, max: 5 }).chain((n) => {
  const names = NAMES.slice(0, n);
  return fc
    .record({
      isolated: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      rules: fc.array(ruleSpec(names), { maxLength: 10 }),
      defaultAction: fc.constantFrom('allow' as const, 'deny' as const),
    })
    .map(({ isolated, rules, defaultAction }) =>
      policy({ tiers: names.map((x, i) => tier(x, `10.0.${i}.0/24`, { isolated: isolated[i]! })), rules, defaultAction }),
    );
});
