// First match per port class (src/eval/first-match.ts) against the plain definition: for random rule
// lists, every class's winner is the first rule servicesMatch accepts at the class's lowest and
// highest port, and the cuts are ir/ports.ts elementaryIntervals of the rules' boundaries.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstMatchByPort, firstMatchOf, intervalsOf, portCuts } from '../../src/eval/first-match.js';
import { servicesMatch } from '../../src/eval/evaluate.js';
import { elementaryIntervals, PORT_MAX, PORT_MIN } from '../../src/ir/ports.js';
import { buildPolicy, type RuleSpec } from '../backends/iptables/build-ir.js';

// Ports near both ends of the range and a few in between, so boundaries collide and touch.
const PORT = fc.oneof(fc.constantFrom(1, 2, 3, 79, 80, 81, 65534, 65535), fc.integer({ min: 1, max: 65535 }));
const service = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('tcp', 'udp'), PORT, PORT).map(([p, a, b]) => (a === b ? `${p}/${a}` : `${p}/${Math.min(a, b)}-${Math.max(a, b)}`)) },
  { weight: 1, arbitrary: fc.constant('icmp') },
);
const rule: fc.Arbitrary<RuleSpec> = fc.record({
  action: fc.constantFrom('allow' as const, 'deny' as const),
  from: fc.constant(['a']),
  to: fc.constant(['b']),
  services: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 6, arbitrary: fc.array(service, { minLength: 1, maxLength: 4 }) }),
  log: fc.boolean(),
});

const policyOf = (rules: RuleSpec[]) =>
  buildPolicy({ name: 'fm', tiers: [{ name: 'a', subnet: '10.1.0.0/24' }, { name: 'b', subnet: '10.2.0.0/24' }], rules });

describe('firstMatchByPort', () => {
  it('gives every class the first rule matching its ports, and cuts like elementaryIntervals', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 25 }), (specs) => {
        const rules = policyOf(specs).rules;
        for (const proto of ['tcp', 'udp'] as const) {
          const { starts, winners } = firstMatchByPort(rules, proto);
          const cuts = intervalsOf(starts);
          const bounds = rules.flatMap((r) => r.services.flatMap((s) => (s.proto === proto ? [{ lo: s.lo, hi: s.hi }] : [])));
          expect(portCuts(rules, proto)).toEqual(elementaryIntervals(bounds));
          expect(cuts[0]!.lo).toBe(PORT_MIN);
          expect(cuts[cuts.length - 1]!.hi).toBe(PORT_MAX);
          cuts.forEach((c, k) => {
            if (k > 0) expect(c.lo).toBe(cuts[k - 1]!.hi + 1);
            for (const port of [c.lo, c.hi]) expect(winners[k]).toBe(rules.find((r) => servicesMatch(r, proto, port)));
          });
        }
        for (const proto of ['icmp', 'other'] as const) expect(firstMatchOf(rules, proto)).toBe(rules.find((r) => servicesMatch(r, proto, undefined)));
      }),
      { numRuns: 1000 },
    );
  });

  it('stops painting once every class has a winner (an all-traffic rule first decides everything)', () => {
    const rules = policyOf([
      { action: 'deny', from: ['a'], to: ['b'], services: [] },
      { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/80'] },
    ]).rules;
    const { starts, winners } = firstMatchByPort(rules, 'tcp');
    expect(intervalsOf(starts).map((c) => [c.lo, c.hi])).toEqual([[1, 79], [80, 80], [81, 65535]]);
    expect(winners.every((w) => w === rules[0])).toBe(true);
  });
});
