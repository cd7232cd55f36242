// diff properties (fast-check): rewrites that keep every decision report nothing; a one-port edit
// reports exactly the ports it moved; and in general the diff explains every brute-force difference.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffPolicies } from '../../src/diff/diff.js';
import { sameDecision } from '../../src/diff/classes.js';
import type { Decision, FlowChange } from '../../src/diff/types.js';
import { buildPolicy, policyArb, MAX_PORT, type PolicyM, type SvcM } from './gen.js';
import { applyRewrites, rewriteStepArb } from './refactor.js';
import { bruteForce, expand, lines } from './brute.js';

const THREE = ['t0', 't1', 't2'];
const RUNS = { numRuns: 300 };

/** Two changes that a maximal coalescing would have joined into one line. */
function joinable(a: FlowChange, b: FlowChange): boolean {
  return a.src === b.src && a.dst === b.dst && a.proto === b.proto && a.change === b.change
    && a.ports !== undefined && b.ports !== undefined && a.ports.hi + 1 === b.ports.lo
    && sameDecision(a.old, b.old) && sameDecision(a.new, b.new);
}

function expectMaximal(flows: readonly FlowChange[]): void {
  for (const a of flows) for (const b of flows) expect(joinable(a, b), `${JSON.stringify(a)} + ${JSON.stringify(b)}`).toBe(false);
}

describe('diff properties', () => {
  it('rewrites that keep every decision report no change', () => {
    fc.assert(fc.property(policyArb({ tiers: THREE }), fc.array(rewriteStepArb, { minLength: 1, maxLength: 5 }), (m, steps) => {
      const rewritten = applyRewrites(m, steps);
      const result = diffPolicies(buildPolicy(m, 'old.policy'), buildPolicy(rewritten, 'new.policy'));
      // The oracle agrees that nothing changed (guards the rewrites themselves).
      expect(bruteForce(buildPolicy(m), buildPolicy(rewritten)).size).toBe(0);
      expect(result.flows).toEqual([]);
      expect(result.summary.changed).toBe(false);
    }), RUNS);
  });

  const onePortEdit = policyArb({ tiers: THREE }).chain((m) => {
    const spots = m.rules.flatMap((r, i) => r.services.map((s, j) => ({ i, j, s }))).filter((x) => x.s.proto !== 'icmp');
    if (spots.length === 0) return fc.constant(undefined);
    return fc.record({
      m: fc.constant(m),
      spot: fc.constantFrom(...spots),
      end: fc.constantFrom<'lo' | 'hi'>('lo', 'hi'),
      value: fc.integer({ min: 1, max: MAX_PORT }),
    });
  }).filter((x) => x !== undefined);

  it('moving one port of one rule changes exactly the ports it moved over, for that rule\'s pairs', () => {
    fc.assert(fc.property(onePortEdit, (edit) => {
      const { m, spot, end } = edit!;
      const s = spot.s as Extract<SvcM, { lo: number }>;
      const value = end === 'lo' ? Math.min(edit!.value, s.hi) : Math.max(edit!.value, s.lo);
      const moved: SvcM = { ...s, [end]: value };
      const after: PolicyM = {
        ...m,
        rules: m.rules.map((r, i) => (i !== spot.i ? r : { ...r, services: r.services.map((x, j) => (j === spot.j ? moved : x)) })),
      };
      const before = buildPolicy(m, 'old.policy');
      const result = diffPolicies(before, buildPolicy(after, 'new.policy'));
      const truth = bruteForce(before, buildPolicy(after, 'new.policy'));
      expect(lines(expand(result.flows))).toEqual(lines(truth));
      // Independently of the oracle: only the edited rule's pairs, protocol and moved-over ports.
      const rule = m.rules[spot.i]!;
      const lo = Math.min(s[end], value);
      const hi = Math.max(s[end], value);
      for (const f of result.flows) {
        expect(rule.src).toContain(f.src);
        expect(rule.dst).toContain(f.dst);
        expect(f.src).not.toBe(f.dst);
        expect(f.proto).toBe(s.proto);
        expect(f.ports!.lo).toBeGreaterThanOrEqual(lo);
        expect(f.ports!.hi).toBeLessThanOrEqual(hi);
      }
      expectMaximal(result.flows);
    }), RUNS);
  });

  it('the classes explain every brute-force verdict difference and nothing else', () => {
    fc.assert(fc.property(policyArb(), policyArb(), (a, b) => {
      const old = buildPolicy(a, 'old.policy');
      const neu = buildPolicy(b, 'new.policy');
      const result = diffPolicies(old, neu);
      expect(lines(expand(result.flows))).toEqual(lines(bruteForce(old, neu)));
      expectMaximal(result.flows);
      const kinds = result.flows.map((f) => f.change);
      expect(kinds).toEqual([...kinds].sort((x, y) => ['newly-allowed', 'newly-denied', 'log-changed'].indexOf(x) - ['newly-allowed', 'newly-denied', 'log-changed'].indexOf(y)));
      expect(result.summary.newlyAllowed).toBe(kinds.filter((k) => k === 'newly-allowed').length);
    }), RUNS);
  });

  it('with nets and world: flows explain every difference of zones both sides have; net changes widen exactly when moved addresses gain a flow', () => {
    fc.assert(fc.property(policyArb({ external: true }), policyArb({ external: true }), (a, b) => {
      const old = buildPolicy(a, 'old.policy');
      const neu = buildPolicy(b, 'new.policy');
      const result = diffPolicies(old, neu);
      const moved = new Map<string, { old: Decision; new: Decision }>();
      expect(lines(expand(result.flows))).toEqual(lines(bruteForce(old, neu, moved)));
      expectMaximal(result.flows);
      const gains = [...moved.values()].some((v) => v.old.action === 'deny' && v.new.action === 'allow');
      expect(result.nets.some((n) => n.widens)).toBe(gains);
      // Moved addresses that change nothing are no net change, unless the ranges changed.
      for (const n of result.nets) expect(n.moved.every((m) => m.newlyAllowed.to.length + m.newlyAllowed.from.length + m.otherwiseChanged.length > 0)).toBe(true);
      expect(result.summary.widens).toBe(result.summary.newlyAllowed > 0 || result.tiers.some((t) => t.widens) || gains);
    }), RUNS);
  });

  it('is antisymmetric: swapping the sides swaps old and new on every point', () => {
    fc.assert(fc.property(policyArb(), policyArb(), (a, b) => {
      const [pa, pb] = [buildPolicy(a, 'a.policy'), buildPolicy(b, 'b.policy')];
      const swapped = new Map([...expand(diffPolicies(pa, pb).flows)].map(([k, v]) => [k, { old: v.new, new: v.old }]));
      expect(lines(expand(diffPolicies(pb, pa).flows))).toEqual(lines(swapped));
    }), { numRuns: 100 });
  });
});
