// The anomaly detector against the evaluator: a rule is reported shadowed or redundant exactly when
// removing it changes no verdict; and the fast analysis equals the obvious per-pair computation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Policy, Rule } from '../../src/ir/types.js';
import { Evaluator, type FlowProto } from '../../src/eval/evaluate.js';
import { ruleAnomalies } from '../../src/checks/rule-anomalies.js';
import { ruleSelf } from '../../src/checks/rule-self.js';
import { analyzeRules } from '../../src/checks/anomalies/analyze.js';
import { factsOf } from '../../src/checks/anomalies/rule-facts.js';
import { arbPolicy } from './arbitrary.js';
import { naiveFacts } from './anomaly-oracle.js';

/** Every verdict of the policy, exhaustively: all tier pairs, tcp/udp ports 1-21, icmp, other. */
function allVerdicts(policy: Policy): string[] {
  const ev = new Evaluator(policy);
  const out: string[] = [];
  const flows: { proto: FlowProto; port?: number }[] = [{ proto: 'icmp' }, { proto: 'other' }];
  for (let port = 1; port <= 21; port++) flows.push({ proto: 'tcp', port }, { proto: 'udp', port });
  for (const s of policy.tiers) {
    for (const d of policy.tiers) {
      for (const f of flows) {
        const v = ev.evaluate({ src: s.name, dst: d.name, ...f });
        out.push(`${v.action}${v.log ? '+log' : ''}`);
      }
    }
  }
  return out;
}

const without = (p: Policy, r: Rule): Policy => ({ ...p, rules: p.rules.filter((x) => x !== r) });
const hasDistinctPair = (r: Rule) => r.sources.some((s) => r.destinations.some((d) => d !== s));

describe('anomaly detection agrees with the evaluator', () => {
  it('shadowed/redundant <=> removing the rule changes no verdict', () => {
    fc.assert(
      fc.property(arbPolicy(3, 4, 8), (policy) => {
        const base = allVerdicts(policy).join();
        const ds = [...ruleAnomalies.run(policy), ...ruleSelf.run(policy)];
        for (const r of policy.rules) {
          const codes = ds.filter((d) => d.span === r.origin.span).map((d) => d.code);
          const removable = allVerdicts(without(policy, r)).join() === base;
          if (!hasDistinctPair(r)) {
            expect(removable).toBe(true);
            expect(codes.filter((c) => c === 'rule-matches-nothing' || c === 'isolated-allow')).toHaveLength(1);
            continue;
          }
          const reported = codes.includes('rule-shadowed') || codes.includes('rule-redundant');
          expect(reported, `rule ${r.index}: ${codes.join(',')}`).toBe(removable);
          // A rule gets each anomaly code at most once (rule-self reports per tier).
          const anomalies = codes.filter((c) => c.startsWith('rule-'));
          expect(new Set(anomalies).size).toBe(anomalies.length);
        }
      }),
      { numRuns: Number(process.env.TIERWALL_FC_RUNS ?? 500) },
    );
  });

  it('the class/layer analysis equals the per-pair brute force', () => {
    fc.assert(
      fc.property(arbPolicy(2, 5, 10), (policy) => {
        const { facts } = analyzeRules(policy);
        expect(policy.rules.map((_, r) => factsOf(facts, r))).toEqual(naiveFacts(policy));
      }),
      { numRuns: Number(process.env.TIERWALL_FC_RUNS ?? 1500) },
    );
  });

  it('... also on larger policies (more classes, rows meeting columns)', () => {
    fc.assert(
      fc.property(arbPolicy(6, 8, 30), (policy) => {
        const { facts } = analyzeRules(policy);
        expect(policy.rules.map((_, r) => factsOf(facts, r))).toEqual(naiveFacts(policy));
      }),
      { numRuns: Number(process.env.TIERWALL_FC_RUNS ?? 1500) / 5 },
    );
  });
});
