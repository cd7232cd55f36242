// Grouped flow classes (src/eval/grouped-classes.ts) against the ungrouped ones: on random policies,
// expanding the groups gives exactly decideAllClasses (the Evaluator on every class of every pair).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideAllClasses } from '../../src/eval/flow-classes.js';
import { decideGroupedClasses, expandGroups } from '../../src/eval/grouped-classes.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { policySpecArb } from '../validate/arbitrary.js';

describe('decideGroupedClasses', () => {
  it('expands to exactly decideAllClasses on random policies', () => {
    fc.assert(
      fc.property(policySpecArb, (spec) => {
        const p = buildPolicy(spec);
        const groups = decideGroupedClasses(p);
        expect(expandGroups(p, groups)).toEqual(decideAllClasses(p));
        // Every destination of every source is in exactly one group.
        for (const a of p.tiers) {
          const dsts = groups.filter((g) => g.src === a.name).flatMap((g) => g.dsts);
          expect([...dsts].sort()).toEqual(p.tiers.map((t) => t.name).sort());
        }
      }),
      { numRuns: 400 },
    );
  });

  it('puts every destination no rule of the source names into one group', () => {
    const p = buildPolicy({
      name: 'wide',
      tiers: Array.from({ length: 50 }, (_, i) => ({ name: `t${i}`, subnet: `10.5.${i}.0/24` })),
      rules: [
        { action: 'allow', from: ['t0'], to: ['t1'], services: ['tcp/80'] },
        { action: 'deny', from: ['t0'], to: 'any', services: ['tcp/22'], log: true },
        { action: 'allow', from: 'any', to: ['t2'], services: ['udp/53'] },
      ],
    });
    const groups = decideGroupedClasses(p);
    const t0 = groups.filter((g) => g.src === 't0');
    // intra, t1, t2 and one group of the 47 others.
    expect(t0.map((g) => g.dsts.length)).toEqual([1, 1, 1, 47]);
    expect(t0[3]).toMatchObject({ unnamed: true, dsts: expect.arrayContaining(['t3', 't49']) });
    // Every other source: intra, t2, the rest; t2 itself (any -> t2 is intra-tier there): intra, the rest.
    expect(groups).toHaveLength(4 + 48 * 3 + 2);
  });
});
