// eval: partitions the flow space into classes whose members every rule treats alike:
// (source tier, destination tier, protocol, port interval). Port boundaries come from the
// rules that apply to the pair (and, for diff, from both policies' rules).
import type { Policy, Rule } from '../ir/types.js';
import { elementaryIntervals, type Interval } from '../ir/ports.js';
import { Evaluator, type FlowProto, type Verdict } from './evaluate.js';

export interface FlowClass {
  readonly src: string;
  readonly dst: string;
  readonly proto: FlowProto;
  /** Port interval, for tcp and udp. */
  readonly lo?: number;
  readonly hi?: number;
}

export interface DecidedClass extends FlowClass {
  readonly verdict: Verdict;
}

function portIntervalsFor(rules: readonly Rule[], proto: 'tcp' | 'udp'): Interval[] {
  const cuts: Interval[] = [];
  for (const r of rules) for (const s of r.services) if (s.proto === proto) cuts.push({ lo: s.lo, hi: s.hi });
  return elementaryIntervals(cuts);
}

/** The classes of one ordered tier pair, given every rule that can apply to it. */
export function classesOfPair(src: string, dst: string, rules: readonly Rule[]): FlowClass[] {
  const out: FlowClass[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    for (const iv of portIntervalsFor(rules, proto)) out.push({ src, dst, proto, lo: iv.lo, hi: iv.hi });
  }
  out.push({ src, dst, proto: 'icmp' }, { src, dst, proto: 'other' });
  return out;
}

/** Rules that can apply to the ordered pair (src, dst). */
export function rulesOfPair(policy: Policy, src: string, dst: string): Rule[] {
  if (src === dst) return [];
  return policy.rules.filter((r) => r.sources.includes(src) && r.destinations.includes(dst));
}

/** Every class of every ordered tier pair (intra-tier included), with the evaluator's verdict. */
export function decideAllClasses(policy: Policy): DecidedClass[] {
  const ev = new Evaluator(policy);
  const out: DecidedClass[] = [];
  for (const a of policy.tiers) {
    for (const b of policy.tiers) {
      for (const c of classesOfPair(a.name, b.name, rulesOfPair(policy, a.name, b.name))) {
        out.push({ ...c, verdict: ev.evaluate({ src: c.src, dst: c.dst, proto: c.proto, port: c.lo }) });
      }
    }
  }
  return out;
}
