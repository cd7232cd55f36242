// diff: flow-class comparison. Input: two Policies. Output: FlowChange[] for every class of every
// ordered pair of tiers present in both, and of every tier and external zone (by name) present in
// both, whose verdict (action or log) differs, adjacent ports coalesced.
import type { Policy, Rule } from '../ir/types.js';
import { Evaluator, type Verdict } from '../eval/evaluate.js';
import { classesOfPair, rulesOfPair } from '../eval/flow-classes.js';
import { zonesOf } from '../eval/zones.js';
import { PORT_MAX, PORT_MIN } from '../ir/ports.js';
import type { Decider, Decision, FlowChange, FlowChangeKind } from './types.js';

export function deciderOf(v: Verdict): Decider {
  const r = v.reason;
  switch (r.kind) {
    case 'rule':
      return { kind: 'rule', file: r.rule.origin.file, line: r.rule.origin.line, col: r.rule.origin.col };
    case 'default':
      return { kind: 'default' };
    case 'intra-tier':
      return { kind: 'intra-tier', isolated: r.isolated };
  }
}

function decisionOf(v: Verdict): Decision {
  return { action: v.action, log: v.log, decidedBy: deciderOf(v) };
}

/** Only what a policy decides counts: a different deciding rule with the same verdict is no change. */
function changeKind(a: Verdict, b: Verdict): FlowChangeKind | undefined {
  if (a.action !== b.action) return b.action === 'allow' ? 'newly-allowed' : 'newly-denied';
  if (a.log !== b.log) return 'log-changed';
  return undefined;
}

function sameDecider(a: Decider, b: Decider): boolean {
  if (a.kind === 'rule' && b.kind === 'rule') return a.file === b.file && a.line === b.line && a.col === b.col;
  if (a.kind === 'intra-tier' && b.kind === 'intra-tier') return a.isolated === b.isolated;
  return a.kind === b.kind;
}

export function sameDecision(a: Decision, b: Decision): boolean {
  return a.action === b.action && a.log === b.log && sameDecider(a.decidedBy, b.decidedBy);
}

/** `next` continues `prev`: same pair, protocol and change, decided alike, ports adjacent. */
function continues(prev: FlowChange, next: FlowChange): boolean {
  return prev.proto === next.proto && prev.ports !== undefined && next.ports !== undefined
    && prev.ports.hi + 1 === next.ports.lo && prev.change === next.change
    && sameDecision(prev.old, next.old) && sameDecision(prev.new, next.new);
}

/**
 * The changes of one ordered tier pair. Port boundaries come from both policies' rules for the
 * pair, so every port inside a class gets one verdict on each side and one representative
 * port (the class's lowest) stands for all of them.
 */
export function pairChanges(
  src: string, dst: string, rules: readonly Rule[], oldEv: Evaluator, newEv: Evaluator,
  // The names each side knows the ends by: differ only for addresses that moved zone (diff/nets.ts).
  oldEnds: { src: string; dst: string } = { src, dst },
): FlowChange[] {
  const out: FlowChange[] = [];
  for (const c of classesOfPair(src, dst, rules)) {
    const a = oldEv.evaluate({ src: oldEnds.src, dst: oldEnds.dst, proto: c.proto, port: c.lo });
    const b = newEv.evaluate({ src, dst, proto: c.proto, port: c.lo });
    const change = changeKind(a, b);
    if (!change) continue;
    const next: FlowChange = {
      change, src, dst, proto: c.proto,
      ...(c.lo !== undefined && c.hi !== undefined ? { ports: { lo: c.lo, hi: c.hi } } : {}),
      old: decisionOf(a), new: decisionOf(b),
    };
    const prev = out[out.length - 1];
    if (prev && continues(prev, next)) out[out.length - 1] = { ...prev, ports: { lo: prev.ports!.lo, hi: next.ports!.hi } };
    else out.push(next);
  }
  return wholePair(out);
}

/**
 * When every class of the pair (tcp and udp on all ports, icmp, other) changes alike, one `any`
 * line says so: e.g. `deny a -> b log` losing its `log` is one change, not four.
 */
function wholePair(changes: FlowChange[]): FlowChange[] {
  if (changes.length !== 4) return changes;
  const [tcp, udp, icmp, other] = changes as [FlowChange, FlowChange, FlowChange, FlowChange];
  const full = (c: FlowChange, proto: 'tcp' | 'udp') => c.proto === proto && c.ports?.lo === PORT_MIN && c.ports.hi === PORT_MAX;
  if (!full(tcp, 'tcp') || !full(udp, 'udp') || icmp.proto !== 'icmp' || other.proto !== 'other') return changes;
  const alike = changes.every((c) => c.change === tcp.change && sameDecision(c.old, tcp.old) && sameDecision(c.new, tcp.new));
  return alike ? [{ change: tcp.change, src: tcp.src, dst: tcp.dst, proto: 'any', old: tcp.old, new: tcp.new }] : changes;
}

/**
 * Every flow change between tiers present in both policies (intra-tier pairs included, so an
 * isolation change shows as flows too), in the new policy's tier order; then, per external zone
 * of the new policy that the old one has too (zone order), zone -> tier and tier -> zone, as
 * decideExternalClasses orders them. The default decides external traffic too, so a change of
 * the default shows there as well.
 */
export function diffFlows(oldPolicy: Policy, newPolicy: Policy): FlowChange[] {
  const oldEv = new Evaluator(oldPolicy);
  const newEv = new Evaluator(newPolicy);
  const inOld = new Set(oldPolicy.tiers.map((t) => t.name));
  const common = newPolicy.tiers.map((t) => t.name).filter((n) => inOld.has(n));
  const out: FlowChange[] = [];
  const pair = (src: string, dst: string) => {
    const rules = [...rulesOfPair(oldPolicy, src, dst), ...rulesOfPair(newPolicy, src, dst)];
    out.push(...pairChanges(src, dst, rules, oldEv, newEv));
  };
  for (const src of common) for (const dst of common) pair(src, dst);
  // A zone is the same on both sides when it is made of the same nets: its name joins them in
  // declaration order, which may differ.
  const oldByNets = new Map(zonesOf(oldPolicy).external.map((z) => [netsKey(z.nets), z.name]));
  for (const z of zonesOf(newPolicy).external) {
    const old = oldByNets.get(netsKey(z.nets));
    if (old === undefined) continue;
    const zonePair = (src: string, dst: string, oldSrc: string, oldDst: string) => {
      const rules = [...rulesOfPair(oldPolicy, oldSrc, oldDst), ...rulesOfPair(newPolicy, src, dst)];
      out.push(...pairChanges(src, dst, rules, oldEv, newEv, { src: oldSrc, dst: oldDst }));
    };
    for (const t of common) zonePair(z.name, t, old, t);
    for (const t of common) zonePair(t, z.name, t, old);
  }
  return out;
}

/** The identity of an external zone across policies: its set of nets. */
export function netsKey(nets: readonly string[]): string {
  return [...nets].sort().join('+');
}
