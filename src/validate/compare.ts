// validate: compares the walker's outcomes for one probe with what the policy expects, class by class.
// Classes are cut at the policy's port boundaries for the pair and at the ruleset's (the outcomes').
import type { Rule } from '../ir/types.js';
import { PORT_MAX, PORT_MIN } from '../ir/ports.js';
import type { FlowProto } from '../eval/evaluate.js';
import type { ExpectedDecision, ProbedClass, ProbeState } from './types.js';
import type { Outcome } from './walk.js';
import type { Oracle, PortExpectations } from './expected.js';
import type { Collector } from './collector.js';
import { ESTABLISHED, NEW } from './ruleset.js';

/** The probe's identity, without protocol, ports and state. */
export type ProbeBase = Pick<ProbedClass, 'src' | 'dst' | 'srcAddress' | 'dstAddress'>;

interface Segment {
  readonly lo: number;
  readonly hi: number;
  readonly o: Outcome;
}

/** The outcomes for one state and tcp/udp as port segments in port order (they cover 1-65535 exactly). */
function segments(outcomes: readonly Outcome[], state: number, proto: 'tcp' | 'udp'): Segment[] {
  const out: Segment[] = [];
  for (const o of outcomes) if (o.states & state) for (const iv of o.svc[proto]) out.push({ lo: iv.lo, hi: iv.hi, o });
  if (out.length > 1) out.sort((a, b) => a.lo - b.lo);
  return out;
}

function single(outcomes: readonly Outcome[], state: number, proto: 'icmp' | 'other'): Outcome {
  for (const o of outcomes) if (o.states & state && o.svc[proto]) return o;
  throw new Error(`validate: no outcome for ${proto}: the walk lost packets`);
}

const agrees = (e: ExpectedDecision, o: Outcome): boolean => o.verdict === e.verdict && (o.logs !== undefined) === e.log;

const stateName = (bit: number): ProbeState => (bit === NEW ? 'NEW' : 'ESTABLISHED');

/**
 * A tier pair's NEW packets against the policy; returns the number of classes compared. The
 * expected side is cut at the pair's rule boundaries, the actual side at the outcomes' boundaries.
 */
export function compareTierPair(base: ProbeBase, outcomes: readonly Outcome[], oracle: Oracle, i: number, j: number, col: Collector): number {
  const rules: readonly Rule[] = oracle.rulesOf(i, j);
  if (rules.length === 0) {
    // Most pairs of a large policy: no rule names them, so one verdict (default or isolation) covers
    // every class, and each outcome is one class per port interval. Only a failure needs the full cut.
    const e = oracle.decide(i, j, rules, 'other', undefined);
    let n = 0;
    for (const o of outcomes) {
      if ((o.states & NEW) === 0) continue;
      if (!agrees(e, o)) return comparePorts(base, outcomes, pairDecisions(oracle, i, j, rules), col);
      n += o.svc.tcp.length + o.svc.udp.length + (o.svc.icmp ? 1 : 0) + (o.svc.other ? 1 : 0);
    }
    return n;
  }
  return comparePorts(base, outcomes, pairDecisions(oracle, i, j, rules), col);
}

const pairDecisions = (oracle: Oracle, i: number, j: number, rules: readonly Rule[]): Decisions => ({
  ports: (proto) => oracle.portDecisions(i, j, rules, proto),
  single: (proto) => oracle.decide(i, j, rules, proto, undefined),
});

/**
 * A pair of different zones (a tier and an external zone) against its rules, first match else the
 * default; returns the number of classes compared.
 */
export function compareRules(base: ProbeBase, outcomes: readonly Outcome[], oracle: Oracle, rules: readonly Rule[], col: Collector): number {
  return comparePorts(base, outcomes, { ports: (proto) => oracle.portExpectations(rules, proto), single: (proto) => oracle.singleExpectation(rules, proto) }, col);
}

/** What the policy expects of one pair: per port class of tcp/udp, and for icmp and `other`. */
interface Decisions {
  readonly ports: (proto: 'tcp' | 'udp') => PortExpectations;
  readonly single: (proto: 'icmp' | 'other') => ExpectedDecision;
}

function comparePorts(base: ProbeBase, outcomes: readonly Outcome[], decisions: Decisions, col: Collector): number {
  let classes = 0;
  for (const proto of ['tcp', 'udp'] as const) {
    const act = segments(outcomes, NEW, proto);
    const { starts, expected } = decisions.ports(proto);
    let a = 0;
    let c = 0;
    for (let lo = PORT_MIN; lo <= PORT_MAX; ) {
      const seg = act[a];
      const cutHi = starts[c + 1]! - 1;
      if (!seg || seg.lo > lo || seg.hi < lo) throw new Error(`validate: ${proto} port ${lo} has no outcome: the walk lost packets`);
      const hi = Math.min(seg.hi, cutHi);
      classes++;
      const e = expected[c]!;
      if (!agrees(e, seg.o)) col.flow({ ...base, proto, lo, hi, state: 'NEW' }, e, seg.o);
      lo = hi + 1;
      if (seg.hi < lo) a++;
      if (cutHi < lo) c++;
    }
  }
  for (const proto of ['icmp', 'other'] as const) {
    classes++;
    const o = single(outcomes, NEW, proto);
    const e = decisions.single(proto);
    if (!agrees(e, o)) col.flow({ ...base, proto, state: 'NEW' }, e, o);
  }
  return classes;
}

/** Every packet of `state` must get `expected`'s verdict (logging aside): replies, foreign traffic. */
export function checkUniform(base: ProbeBase, outcomes: readonly Outcome[], state: number, expected: ExpectedDecision, col: Collector): void {
  if (outcomes.every((o) => (o.states & state) === 0 || o.verdict === expected.verdict)) return;
  for (const proto of ['tcp', 'udp'] as const) {
    for (const s of segments(outcomes, state, proto)) {
      if (s.o.verdict !== expected.verdict) col.flow({ ...base, proto, lo: s.lo, hi: s.hi, state: stateName(state) }, expected, s.o);
    }
  }
  for (const proto of ['icmp', 'other'] as const satisfies readonly FlowProto[]) {
    const o = single(outcomes, state, proto);
    if (o.verdict !== expected.verdict) col.flow({ ...base, proto, state: stateName(state) }, expected, o);
  }
}

export const ESTABLISHED_EXPECTED: ExpectedDecision = { verdict: 'ACCEPT', log: false, reason: { kind: 'established' } };
export const FOREIGN_EXPECTED: ExpectedDecision = { verdict: 'RETURN', log: false, reason: { kind: 'foreign' } };
