// Property tests: random policies validate against the real backend output, and the validator's
// expectations (expected.ts, indexed per pair) agree with Evaluator.evaluate on every port.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateIptables, describeProblem } from '../../src/validate/index.js';
import { Oracle } from '../../src/validate/expected.js';
import { forEachSource } from '../../src/eval/grouped-classes.js';
import type { Rule } from '../../src/ir/types.js';
import { Evaluator, type FlowProto } from '../../src/eval/evaluate.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { edgePolicySpecArb, policySpecArb } from './arbitrary.js';
import { backendOutput, editLine } from './support.js';

describe('random policies', () => {
  it('validate against the backend output', () => {
    fc.assert(
      fc.property(policySpecArb, (spec) => {
        const p = buildPolicy(spec);
        const { text, entry } = backendOutput(p);
        const r = validateIptables(p, text, entry);
        expect(r.ok, r.ok ? '' : `${text}\n${r.problems.slice(0, 3).map(describeProblem).join('\n')}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('at the edge (nets that overlap, world, one outside side per rule) validate against the backend output', () => {
    fc.assert(
      fc.property(edgePolicySpecArb, (spec) => {
        const p = buildPolicy(spec);
        const { text, entry } = backendOutput(p);
        const r = validateIptables(p, text, entry);
        expect(r.ok, r.ok ? '' : `${text}\n${r.problems.slice(0, 3).map(describeProblem).join('\n')}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("the validator's expectations are the evaluator's, for every flow (ports 1-41; 41 stands for 41-65535)", () => {
    fc.assert(
      fc.property(policySpecArb, (spec) => {
        const p = buildPolicy(spec);
        const ev = new Evaluator(p);
        const wrong: string[] = [];
        // Both ways the oracle finds a pair's rules: its own pair index (k8s) and, source by source,
        // the evaluator's lists (eval/grouped-classes.ts forEachSource, the iptables validator).
        const lists = new Map<number, [ReadonlyMap<number, readonly Rule[]>, readonly Rule[]]>();
        forEachSource(p, (i, named, toAny) => lists.set(i, [named, toAny]));
        for (const perSource of [false, true]) {
          const oracle = new Oracle(p);
          p.tiers.forEach((a, i) => p.tiers.forEach((b, j) => {
            if (perSource && j === 0) oracle.setSource(i, ...lists.get(i)!);
            const rules = oracle.rulesOf(i, j);
            const flows: [FlowProto, number | undefined][] = [['icmp', undefined], ['other', undefined]];
            for (let port = 1; port <= 41; port++) flows.push(['tcp', port], ['udp', port]);
            for (const [proto, port] of flows) {
              const want = ev.evaluate({ src: a.name, dst: b.name, proto, port });
              const got = oracle.decide(i, j, rules, proto, port);
              const same = got.verdict === (want.action === 'allow' ? 'ACCEPT' : 'DROP') && got.log === want.log
                && got.reason.kind === want.reason.kind
                && (got.reason.kind !== 'rule' || want.reason.kind !== 'rule' || got.reason.index === want.reason.rule.index);
              if (!same) wrong.push(`${perSource ? 'per source ' : ''}${a.name}->${b.name} ${proto}/${port ?? ''}`);
            }
          }));
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('flipping the verdict of the first rule of a source chain is always caught', () => {
    // The line after the intra-tier one belongs to the source's first rule (inline, or the first
    // verdict of the pair chain it jumps to, after that rule's LOG): nothing before it can decide
    // its flows, so the flip changes a verdict. A chain with no rules goes straight to the default.
    fc.assert(
      fc.property(policySpecArb, (spec) => {
        const p = buildPolicy(spec);
        const { text, entry } = backendOutput(p);
        const lines = text.split('\n');
        let k = lines.findIndex((l, n) => /^-A TW-RND_S\d+ /.test(l) && lines[n - 1]!.includes(':intra:') && !l.includes(':default"'));
        if (k < 0) return;
        if (lines[k]!.includes(':from-any"')) return; // a shared chain: other sources' rules may come first
        const jump = / -j (TW-RND_[PQ][0-9-]+)$/.exec(lines[k]!);
        if (jump) k = lines.findIndex((l) => l.startsWith(`-A ${jump[1]} `));
        while (lines[k]!.includes(' -j LOG ')) k++; // the verdict it logs comes right after
        const anchorLine = lines[k]!;
        const anchor = new RegExp(`^${anchorLine.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
        const flipped = editLine(text, anchor, (l) => (l.endsWith('ACCEPT') ? l.replace(/ACCEPT$/, 'DROP') : l.replace(/DROP$/, 'ACCEPT')));
        expect(validateIptables(p, flipped, entry).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
