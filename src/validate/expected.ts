// validate: what the policy expects of each flow class, with the evaluator's semantics
// (src/eval/evaluate.ts). Input: Policy IR. Output: per ordered tier pair, its rules, its port cuts and
// the expected ExpectedDecision per class. The pair index is built only when asked for a pair of a
// source not set by setSource (the k8s validator): the iptables validator goes source by source with
// the evaluator's per-source rule lists (eval/grouped-classes.ts forEachSource), since indexing every
// pair of `any` rules costs tiers^2 per rule (5 s at 1,000 tiers x 100,000 rules).
import type { Policy, Rule } from '../ir/types.js';
import { PORT_MAX, PORT_MIN, type Interval } from '../ir/ports.js';
import { servicesMatch, type FlowProto } from '../eval/evaluate.js';
import { firstMatchByPort, firstMatchOf, portCuts } from '../eval/first-match.js';
import type { ExpectedDecision, ExpectedReason } from './types.js';

/** Port classes of one pair and protocol, and the decision the policy expects for each. */
export interface PortExpectations {
  /** Class k is ports starts[k]..starts[k + 1] - 1 (eval/first-match.ts PortDecisions). */
  readonly starts: readonly number[];
  readonly expected: readonly ExpectedDecision[];
}

const WHOLE_STARTS: readonly number[] = [PORT_MIN, PORT_MAX + 1];

const WHOLE: readonly Interval[] = [{ lo: PORT_MIN, hi: PORT_MAX }];
const NO_RULES: readonly Rule[] = [];

export class Oracle {
  private pairRules: Map<number, Rule[]> | undefined;
  private current: { readonly src: number; readonly named: ReadonlyMap<number, readonly Rule[]>; readonly toAny: readonly Rule[] } | undefined;
  /** By rule index (an array: looked up for every class of every pair). */
  private readonly ruleDecisions: ExpectedDecision[] = [];
  private readonly defaultDecision: ExpectedDecision;
  private readonly intra: ExpectedDecision[];

  constructor(private readonly policy: Policy) {
    for (const rule of policy.rules) {
      this.ruleDecisions[rule.index] = decision(rule.action, rule.log, { kind: 'rule', index: rule.index, origin: rule.origin });
    }
    this.defaultDecision = decision(policy.defaultAction, false, { kind: 'default', origin: policy.defaultOrigin });
    // Inside one tier only isolation decides (evaluate.ts: intra-tier), never a rule.
    this.intra = policy.tiers.map((t) => decision(t.isolated ? 'deny' : 'allow', false, { kind: 'intra-tier', isolated: t.isolated, origin: t.origin }));
  }

  /**
   * Answers rulesOf for source i from the evaluator's lists: a named destination's rules, else the
   * rules to `any` (the rules naming the pair, in policy order, either way).
   */
  setSource(i: number, named: ReadonlyMap<number, readonly Rule[]>, toAny: readonly Rule[]): void {
    this.current = { src: i, named, toAny };
  }

  /** The rules that can decide flows from tier i to tier j (none inside one tier), in policy order. */
  rulesOf(i: number, j: number): readonly Rule[] {
    if (i === j) return NO_RULES;
    const c = this.current;
    if (c && c.src === i) return c.named.get(j) ?? c.toAny;
    return (this.pairRules ??= this.indexPairs()).get(i * this.policy.tiers.length + j) ?? NO_RULES;
  }

  private indexPairs(): Map<number, Rule[]> {
    const policy = this.policy;
    const pairRules = new Map<number, Rule[]>();
    const T = policy.tiers.length;
    const index = new Map(policy.tiers.map((t, i) => [t.name, i]));
    // One pass over the rules, pairs in rule order: the same rules, in the same order, that
    // Evaluator.evaluate would try for the pair (it skips every rule not naming both tiers).
    for (const rule of policy.rules) {
      for (const s of rule.sources) {
        const i = index.get(s);
        if (i === undefined) continue;
        for (const d of rule.destinations) {
          const j = index.get(d);
          if (j === undefined || i === j) continue;
          const key = i * T + j;
          let list = pairRules.get(key);
          if (!list) pairRules.set(key, (list = []));
          list.push(rule);
        }
      }
    }
    return pairRules;
  }

  /** Port classes of the pair for tcp or udp: cut at every boundary of the pair's rules. */
  cuts(rules: readonly Rule[], proto: 'tcp' | 'udp'): readonly Interval[] {
    return rules.length === 0 ? WHOLE : portCuts(rules, proto);
  }

  /**
   * The pair's port classes with the expected decision of each: the first match per class over the
   * pair's rules (eval/first-match.ts) else the default; inside one tier, isolation for every class.
   */
  portDecisions(i: number, j: number, rules: readonly Rule[], proto: 'tcp' | 'udp'): PortExpectations {
    if (i === j) return { starts: WHOLE_STARTS, expected: [this.intra[i]!] };
    return this.portExpectations(rules, proto);
  }

  /** firstMatch for every port class of tcp or udp at once. */
  portExpectations(rules: readonly Rule[], proto: 'tcp' | 'udp'): PortExpectations {
    const { starts, winners } = firstMatchByPort(rules, proto);
    return { starts, expected: winners.map((w) => (w ? this.ruleDecisions[w.index]! : this.defaultDecision)) };
  }

  /** firstMatch for icmp or `other` (no ports). */
  singleExpectation(rules: readonly Rule[], proto: 'icmp' | 'other'): ExpectedDecision {
    const w = firstMatchOf(rules, proto);
    return w ? this.ruleDecisions[w.index]! : this.defaultDecision;
  }

  /** First match over the pair's rules, else the default: Evaluator.evaluate restricted to the pair. */
  decide(i: number, j: number, rules: readonly Rule[], proto: FlowProto, port: number | undefined): ExpectedDecision {
    if (i === j) return this.intra[i]!;
    return this.firstMatch(rules, proto, port);
  }

  /** First match over rules that can decide a pair of different zones (tiers or external), else the default. */
  firstMatch(rules: readonly Rule[], proto: FlowProto, port: number | undefined): ExpectedDecision {
    for (const rule of rules) {
      if (servicesMatch(rule, proto, port)) return this.ruleDecisions[rule.index]!;
    }
    return this.defaultDecision;
  }
}

function decision(action: 'allow' | 'deny', log: boolean, reason: ExpectedReason): ExpectedDecision {
  return { verdict: action === 'allow' ? 'ACCEPT' : 'DROP', log, reason };
}
