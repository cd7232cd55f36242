// Tests for the protocol/port matches: merging is exact (same ports, no overlap between lines),
// multiport groups hold at most 15 slots, single intervals use --dport.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packMultiport, serviceMatches } from '../../../src/backends/iptables/matches.js';
import { mergeIntervals, type Interval } from '../../../src/ir/ports.js';
import { buildPolicy } from './build-ir.js';
import { parseRule } from './rule-text.js';

function ruleWith(services: string[]) {
  return buildPolicy({
    name: 'p',
    tiers: [{ name: 'a', subnet: '10.0.1.0/24' }, { name: 'b', subnet: '10.0.2.0/24' }],
    rules: [{ action: 'allow', from: ['a'], to: ['b'], services }],
  }).rules[0]!;
}

const interval = fc
  .tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 40 }))
  .map(([lo, w]) => ({ lo, hi: Math.min(65535, lo + (w > 30 ? w * 97 : w % 4)) }));

describe('serviceMatches', () => {
  it('covers exactly the ports of the rule, per protocol, with disjoint lines', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('tcp', 'udp'), interval), { minLength: 1, maxLength: 60 }), (svcs) => {
        const matches = serviceMatches(ruleWith(svcs.map(([p, iv]) => `${p}/${iv.lo}-${iv.hi}`)));
        for (const proto of ['tcp', 'udp']) {
          const want = mergeIntervals(svcs.filter(([p]) => p === proto).map(([, iv]) => iv));
          const lines = matches.map(parseRule).filter((r) => r.proto === proto);
          const got: Interval[] = lines.flatMap((r) => r.dports!);
          // Same ports, and no port in two lines (the merged union has as many ports as the sum).
          expect(mergeIntervals(got)).toEqual(want);
          const size = (ivs: Interval[]) => ivs.reduce((n, iv) => n + iv.hi - iv.lo + 1, 0);
          expect(size(got)).toBe(size(want));
          for (const r of lines) {
            const slots = r.dports!.reduce((n, iv) => n + (iv.lo === iv.hi ? 1 : 2), 0);
            expect(slots).toBeLessThanOrEqual(15);
          }
          // Fewest lines for greedy packing: more than one line only when the slots overflow.
          const slotsAll = want.reduce((n, iv) => n + (iv.lo === iv.hi ? 1 : 2), 0);
          expect(lines.length).toBeLessThanOrEqual(Math.max(want.length ? 1 : 0, Math.ceil(slotsAll / 14)));
        }
      }),
    );
  });

  it('writes one interval as --dport, several as multiport, icmp and all traffic without ports', () => {
    expect(serviceMatches(ruleWith(['tcp/80', 'tcp/81', 'tcp/79']))).toEqual(['-p tcp -m tcp --dport 79:81']);
    expect(serviceMatches(ruleWith(['udp/53', 'tcp/443', 'tcp/80', 'icmp', 'icmp']))).toEqual([
      '-p tcp -m multiport --dports 80,443',
      '-p udp -m udp --dport 53',
      '-p icmp',
    ]);
    expect(serviceMatches(ruleWith([]))).toEqual(['']);
    expect(serviceMatches(ruleWith(['tcp/1-65535']))).toEqual(['-p tcp -m tcp --dport 1:65535']);
  });

  it('splits at 15 slots, a range counting two', () => {
    const singles = Array.from({ length: 16 }, (_, i) => ({ lo: 100 + 2 * i, hi: 100 + 2 * i }));
    expect(packMultiport(singles).map((g) => g.length)).toEqual([15, 1]);
    const ranges = Array.from({ length: 8 }, (_, i) => ({ lo: 100 + 10 * i, hi: 105 + 10 * i }));
    expect(packMultiport(ranges).map((g) => g.length)).toEqual([7, 1]);
    const mixed = [{ lo: 1, hi: 1 }, ...ranges.slice(0, 7)]; // 1 + 14 = 15 slots: one group
    expect(packMultiport(mixed)).toHaveLength(1);
    expect(serviceMatches(ruleWith(singles.map((iv) => `tcp/${iv.lo}`)))).toEqual([
      `-p tcp -m multiport --dports ${singles.slice(0, 15).map((iv) => iv.lo).join(',')}`,
      '-p tcp -m tcp --dport 130',
    ]);
  });
});
