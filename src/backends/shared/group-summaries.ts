// backends/shared: what the report and the installer read from each destination group of a policy
// (eval/grouped-classes.ts), folded in one pass over the verdicts and kept as short text. Input:
// Policy. Output: per group, the allowed services as one line, whether anything is allowed or logged,
// and the rules that deny with log with the services each decides. At 1,000 tiers x 100,000 rules
// there are ~400,000 groups and ~12 million classes: the two backends used to decide them once each
// and hold every class as an object (seconds of garbage collection); the summaries are computed once.
import { forEachGroupDecisions, type GroupDecisions, type PortVerdicts } from '../../eval/grouped-classes.js';
import type { Verdict } from '../../eval/evaluate.js';
import type { Policy, Rule } from '../../ir/types.js';
import type { Interval } from '../../ir/ports.js';
import { summarizeSet, type ServiceSet } from '../../graph/service-set.js';

export interface GroupSummary {
  readonly src: string;
  /** In policy tier order; every destination of the group gets the same answers. */
  readonly dsts: readonly string[];
  /** The group of every destination no rule of the source names. */
  readonly unnamed: boolean;
  /** summarizeSet of the services the policy allows ('' for none). */
  readonly allowed: string;
  /** Some class is allowed, or denied with log. */
  readonly allowsOrLogs: boolean;
  /** Per rule that denies some class with log, in policy order: summarizeSet of what it decides. */
  readonly loggedDenies: readonly { readonly rule: Rule; readonly services: string }[];
}

const memo = new WeakMap<Policy, readonly GroupSummary[]>();

/** The summaries in decideGroupedClasses' order, computed once per policy (the IR is readonly). */
export function groupSummaries(policy: Policy): readonly GroupSummary[] {
  let out = memo.get(policy);
  if (!out) {
    const list: GroupSummary[] = [];
    forEachGroupDecisions(policy, (g) => list.push(summarize(g)));
    memo.set(policy, (out = list));
  }
  return out;
}

const isAllow = (v: Verdict): boolean => v.action === 'allow';

function summarize(g: GroupDecisions): GroupSummary {
  const allowed = setOf(g, isAllow);
  let allowsOrLogs = false;
  const denyRules = new Map<number, Rule>();
  const visit = (v: Verdict): void => {
    if (v.action === 'allow' || v.log) allowsOrLogs = true;
    if (v.action === 'deny' && v.log && v.reason.kind === 'rule') denyRules.set(v.reason.rule.index, v.reason.rule);
  };
  g.tcp.verdicts.forEach(visit);
  g.udp.verdicts.forEach(visit);
  visit(g.icmp);
  visit(g.other);
  const loggedDenies = [...denyRules.values()]
    .sort((a, b) => a.index - b.index)
    .map((rule) => ({ rule, services: summarizeSet(setOf(g, (v) => v.action === 'deny' && v.log && v.reason.kind === 'rule' && v.reason.rule === rule)) }));
  return { src: g.src, dsts: g.dsts, unnamed: g.unnamed, allowed: summarizeSet(allowed), allowsOrLogs, loggedDenies };
}

/** The services of the classes whose verdict `keep` accepts (graph/service-set.ts serviceSetOf). */
function setOf(g: GroupDecisions, keep: (v: Verdict) => boolean): ServiceSet {
  return { tcp: keptPorts(g.tcp, keep), udp: keptPorts(g.udp, keep), icmp: keep(g.icmp), other: keep(g.other) };
}

/** Kept classes as merged intervals: classes are contiguous and in port order, so neighbours join. */
function keptPorts({ starts, verdicts }: PortVerdicts, keep: (v: Verdict) => boolean): Interval[] {
  const out: Interval[] = [];
  let lo = -1;
  for (let k = 0; k <= verdicts.length; k++) {
    const kept = k < verdicts.length && keep(verdicts[k]!);
    if (kept && lo < 0) lo = starts[k]!;
    else if (!kept && lo >= 0) {
      out.push({ lo, hi: starts[k]! - 1 });
      lo = -1;
    }
  }
  return out;
}
