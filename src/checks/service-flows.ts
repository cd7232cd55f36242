// checks: finds one flow between two tiers that the evaluator denies, preferring a port that rules
// open towards the destination (so the message says "tcp/5432", not "tcp/1"). Used by service-checks.ts.
import type { Policy, Rule } from '../ir/types.js';
import { classesOfPair } from '../eval/flow-classes.js';
import { Evaluator, type Flow, type Verdict } from '../eval/evaluate.js';

export interface DeniedFlow {
  readonly flow: Flow;
  readonly verdict: Verdict;
  /** e.g. "frontend -> database tcp/5432" */
  readonly text: string;
}

const applies = (r: Rule, src: string, dst: string) =>
  (r.sourceAny || r.sources.includes(src)) && (r.destinationAny || r.destinations.includes(dst));

const evaluators = new WeakMap<Policy, Evaluator>();

function evaluatorOf(policy: Policy): Evaluator {
  let ev = evaluators.get(policy);
  if (!ev) evaluators.set(policy, (ev = new Evaluator(policy)));
  return ev;
}

function describe(f: Flow): string {
  const what = f.proto === 'tcp' || f.proto === 'udp' ? `${f.proto}/${f.port}` : f.proto === 'icmp' ? 'icmp' : 'other protocols';
  return `${f.src} -> ${f.dst} ${what}`;
}

export function firstDeniedFlow(policy: Policy, src: string, dst: string): DeniedFlow | undefined {
  if (src === dst) return undefined;
  const ev = evaluatorOf(policy);
  const pairRules = policy.rules.filter((r) => applies(r, src, dst));
  // Ports a rule opens towards dst are the ones its containers listen on: try those first,
  // from rules of this pair, then from any rule towards dst.
  const toDst = policy.rules.filter((r) => r.destinationAny || r.destinations.includes(dst));
  const candidates: Flow[] = [];
  for (const r of [...pairRules, ...toDst]) {
    for (const s of r.services) if (s.proto !== 'icmp') candidates.push({ src, dst, proto: s.proto, port: s.lo });
  }
  for (const c of classesOfPair(src, dst, pairRules)) {
    candidates.push({ src, dst, proto: c.proto, port: c.lo });
  }
  for (const flow of candidates) {
    const verdict = ev.evaluate(flow);
    if (verdict.action === 'deny') return { flow, verdict, text: describe(flow) };
  }
  return undefined;
}
