// test support: the anomaly facts computed the slow, obvious way (every tier pair, every elementary
// piece of the flow space, first match by a linear scan), to check anomalies/analyze.ts against.
import type { Policy } from '../../src/ir/types.js';
import { servicesMatch, type FlowProto } from '../../src/eval/evaluate.js';
import type { RuleFacts } from '../../src/checks/anomalies/rule-facts.js';

/** Representative flows of every elementary piece, cut at every port any rule names. */
export function representativeFlows(policy: Policy): { proto: FlowProto; port?: number }[] {
  const cuts: Record<'tcp' | 'udp', Set<number>> = { tcp: new Set([1]), udp: new Set([1]) };
  for (const r of policy.rules) {
    for (const s of r.services) {
      if (s.proto === 'icmp') continue;
      cuts[s.proto].add(s.lo);
      if (s.hi < 65535) cuts[s.proto].add(s.hi + 1);
    }
  }
  const out: { proto: FlowProto; port?: number }[] = [];
  for (const proto of ['tcp', 'udp'] as const) for (const port of [...cuts[proto]].sort((a, b) => a - b)) out.push({ proto, port });
  out.push({ proto: 'icmp' }, { proto: 'other' });
  return out;
}

export function naiveFacts(policy: Policy): RuleFacts[] {
  const n = policy.rules.length;
  const verdict = (i: number) => (i < 0 ? `${policy.defaultAction}` : `${policy.rules[i]!.action}${policy.rules[i]!.log ? '+log' : ''}`);
  const matches = new Array<boolean>(n).fill(false);
  const decides = new Array<boolean>(n).fill(false);
  const changes = new Array<boolean>(n).fill(false);
  const deciders = Array.from({ length: n }, () => new Set<number>());
  const nexts = Array.from({ length: n }, () => new Set<number>());
  const flows = representativeFlows(policy);
  for (const s of policy.tiers) {
    for (const d of policy.tiers) {
      if (s === d) continue;
      const pairRules = policy.rules.filter((r) => r.sources.includes(s.name) && r.destinations.includes(d.name));
      for (const f of flows) {
        const hit = pairRules.filter((r) => servicesMatch(r, f.proto, f.port)).map((r) => r.index);
        if (hit.length === 0) continue;
        const first = hit[0]!;
        const next = hit[1] ?? -1;
        for (const r of hit) matches[r] = true;
        decides[first] = true;
        if (verdict(next) !== verdict(first)) changes[first] = true;
        else nexts[first]!.add(next);
        for (const r of hit.slice(1)) deciders[r]!.add(first);
      }
    }
  }
  const sorted = (x: Set<number>) => [...x].sort((a, b) => a - b);
  return policy.rules.map((_, r) => ({
    matches: matches[r]!,
    decides: decides[r]!,
    changes: changes[r]!,
    deciders: sorted(deciders[r]!),
    replacements: decides[r] && !changes[r] ? sorted(nexts[r]!) : [],
  }));
}
