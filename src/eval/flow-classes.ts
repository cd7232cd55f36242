// eval: partitions the flow space into classes whose members every rule treats alike:
// (source tier, destination tier, protocol, port interval). Port boundaries come from the
// rules that apply to the pair (and, for diff, from both policies' rules).
import type { Policy, Rule } from '../ir/types.js';
import { portCuts } from './first-match.js';
import { Evaluator, type FlowProto, type Verdict } from './evaluate.js';
import { zonesOf } from './zones.js';

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

/** The classes of one ordered tier pair, given every rule that can apply to it. */
export function classesOfPair(src: string, dst: string, rules: readonly Rule[]): FlowClass[] {
  const out: FlowClass[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    for (const iv of portCuts(rules, proto)) out.push({ src, dst, proto, lo: iv.lo, hi: iv.hi });
  }
  out.push({ src, dst, proto: 'icmp' }, { src, dst, proto: 'other' });
  return out;
}

/** Rules that can apply to the ordered pair of zones (src, dst): tiers or external zones. */
export function rulesOfPair(policy: Policy, src: string, dst: string): Rule[] {
  if (src === dst) return [];
  const z = zonesOf(policy);
  return policy.rules.filter(
    (r) => (r.sources.includes(src) || z.externalMatch(r.externalSources, src)) && (r.destinations.includes(dst) || z.externalMatch(r.externalDestinations, dst)),
  );
}

/**
 * Every class between a tier and an external zone, both ways (zone -> tier first, per zone in zone
 * order, then tier -> zone), with the evaluator's verdict: what the backends enforce at the host's
 * edge. Cost: external zones x tiers pairs, each over the rules naming that zone.
 */
export function decideExternalClasses(policy: Policy): DecidedClass[] {
  const ev = new Evaluator(policy);
  const zones = zonesOf(policy);
  const out: DecidedClass[] = [];
  // Per zone, the rules that can match it on each side (few: only rules naming nets or `world`).
  for (const z of zones.external) {
    const inbound = policy.rules.filter((r) => zones.externalMatch(r.externalSources, z.name));
    const outbound = policy.rules.filter((r) => zones.externalMatch(r.externalDestinations, z.name));
    for (const [rules, pairOf] of [
      [inbound, (t: string) => [z.name, t] as const],
      [outbound, (t: string) => [t, z.name] as const],
    ] as const) {
      for (const t of policy.tiers) {
        const [src, dst] = pairOf(t.name);
        const own = rules.filter((r) => (src === t.name ? r.sources.includes(t.name) : r.destinations.includes(t.name)));
        for (const c of classesOfPair(src, dst, own)) {
          out.push({ ...c, verdict: ev.evaluate({ src: c.src, dst: c.dst, proto: c.proto, port: c.lo }) });
        }
      }
    }
  }
  return out;
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
