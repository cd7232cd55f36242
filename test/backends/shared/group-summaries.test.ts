// The folded group summaries (src/backends/shared/group-summaries.ts) against the same answers read
// from the evaluator's decided classes one by one: on random policies, every group's allowed line,
// its "allows or logs" flag and its logged-deny rows are what the class objects say.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideGroupedClasses } from '../../../src/eval/grouped-classes.js';
import { groupSummaries } from '../../../src/backends/shared/group-summaries.js';
import { serviceSetOf, summarizeSet } from '../../../src/graph/service-set.js';
import type { DecidedClass } from '../../../src/eval/flow-classes.js';
import { buildPolicy } from '../iptables/build-ir.js';
import { policySpecArb } from '../../validate/arbitrary.js';

const loggedDeny = (c: DecidedClass): boolean => c.verdict.action === 'deny' && c.verdict.log && c.verdict.reason.kind === 'rule';

describe('groupSummaries', () => {
  it('says of each group what its decided classes say', () => {
    fc.assert(
      fc.property(policySpecArb, (spec) => {
        const p = buildPolicy(spec);
        const groups = decideGroupedClasses(p);
        const summaries = groupSummaries(p);
        expect(summaries.map((s) => [s.src, s.dsts, s.unnamed])).toEqual(groups.map((g) => [g.src, g.dsts, g.unnamed]));
        groups.forEach((g, k) => {
          const s = summaries[k]!;
          expect(s.allowed).toBe(summarizeSet(serviceSetOf(g.classes, (c) => c.verdict.action === 'allow')));
          expect(s.allowsOrLogs).toBe(g.classes.some((c) => c.verdict.action === 'allow' || c.verdict.log));
          const rules = [...new Set(g.classes.filter(loggedDeny).map((c) => (c.verdict.reason.kind === 'rule' ? c.verdict.reason.rule : undefined)!))].sort((a, b) => a.index - b.index);
          expect(s.loggedDenies).toEqual(
            rules.map((rule) => ({ rule, services: summarizeSet(serviceSetOf(g.classes, (c) => loggedDeny(c) && c.verdict.reason.kind === 'rule' && c.verdict.reason.rule === rule)) })),
          );
        });
      }),
      { numRuns: 400 },
    );
  });
});
