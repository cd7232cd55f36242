// eval: the decided flow classes of every ordered tier pair without visiting tiers^2 pairs. For
// one source, every destination none of its rules names (only `any`-destination rules and the
// default can decide) behaves alike: one representative decides for the whole group.
// Input: Policy. Output: per source, destination groups with the classes of their representative.
import type { Policy, Rule } from '../ir/types.js';
import type { Verdict } from './evaluate.js';
import type { DecidedClass } from './flow-classes.js';
import { firstMatchByPort, firstMatchOf } from './first-match.js';

/** Destinations of one source that every rule treats alike; classes are about `dsts[0]`. */
export interface DestinationGroup {
  readonly src: string;
  /** In policy tier order; the first is the representative the classes name as `dst`. */
  readonly dsts: readonly string[];
  readonly classes: readonly DecidedClass[];
  /** True for the group of destinations no rule of the source names (it may be the only group). */
  readonly unnamed: boolean;
}

/**
 * Per source tier in policy order: the intra-tier group, one group per destination its rules name,
 * and one group of all the other tiers (when there are any). Groups are in the tier order of their
 * representatives. Verdicts are Evaluator.evaluate's (first match over the pair's rules, in
 * policy order, else the default; intra-tier by isolation alone), which the property test in
 * test/eval asserts against decideAllClasses.
 */
export function decideGroupedClasses(policy: Policy): DestinationGroup[] {
  const out: DestinationGroup[] = [];
  forEachGroup(policy, (g) => out.push(g));
  return out;
}

/**
 * decideGroupedClasses one group at a time, in the same order, holding none of them: a 100,000-rule
 * policy has ~400,000 groups and ~12 million classes, which kept at once cost over a gigabyte and
 * most of a compile's time in garbage collection. Consumers fold what they need from each group.
 */
export function forEachGroup(policy: Policy, fn: (group: DestinationGroup) => void): void {
  forEachGroupDecisions(policy, (g) => fn({ src: g.src, dsts: g.dsts, classes: classesOfGroup(g), unnamed: g.unnamed }));
}

/** Verdicts per port class of one protocol: class k is ports starts[k]..starts[k + 1] - 1. */
export interface PortVerdicts {
  readonly starts: readonly number[];
  readonly verdicts: readonly Verdict[];
}

/** A DestinationGroup's decisions without a class object each (the same classes, the same order). */
export interface GroupDecisions {
  readonly src: string;
  readonly dsts: readonly string[];
  readonly unnamed: boolean;
  readonly tcp: PortVerdicts;
  readonly udp: PortVerdicts;
  readonly icmp: Verdict;
  readonly other: Verdict;
}

/**
 * The groups of decideGroupedClasses, in its order, as GroupDecisions: for consumers of large
 * policies that fold each group's verdicts (the report, the installer) and need no class objects.
 */
export function forEachGroupDecisions(policy: Policy, fn: (group: GroupDecisions) => void): void {
  const verdicts = new Verdicts(policy);
  forEachSource(policy, (i, named, toAny) => {
    const src = policy.tiers[i]!;
    let others: string[] | undefined;
    // Called after the loop: the unnamed group's destinations are complete by then.
    const pending: GroupDecisions[] = [];
    policy.tiers.forEach((dst, j) => {
      if (j === i) {
        pending.push(decide(verdicts, src.name, [dst.name], false, NO_RULES, verdicts.intra(src.isolated)));
      } else if (named.has(j)) {
        pending.push(decide(verdicts, src.name, [dst.name], false, named.get(j)!));
      } else {
        if (!others) {
          others = [];
          pending.push(decide(verdicts, src.name, others, true, toAny));
        }
        others.push(dst.name);
      }
    });
    for (const g of pending) fn(g);
  });
}

/** The group's classes as DecidedClass objects (about its representative `dsts[0]`). */
export function classesOfGroup(g: GroupDecisions): DecidedClass[] {
  const src = g.src;
  const dst = g.dsts[0]!;
  const out: DecidedClass[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const { starts, verdicts } = g[proto];
    for (let k = 0; k < verdicts.length; k++) out.push({ src, dst, proto, lo: starts[k]!, hi: starts[k + 1]! - 1, verdict: verdicts[k]! });
  }
  out.push({ src, dst, proto: 'icmp', verdict: g.icmp }, { src, dst, proto: 'other', verdict: g.other });
  return out;
}

const NO_RULES: readonly Rule[] = [];

/**
 * The partition behind decideGroupedClasses, without deciding a class: per source tier (index, in
 * policy order), the destinations its rules name (tier index -> that pair's rules in policy order)
 * and the rules to `any`. The groups are the source itself, each named destination alone, and every
 * other tier together (decided by `toAny` and the default). The translation validator uses it to
 * probe one destination per group without paying for classes it decides itself.
 */
export function forEachSource(policy: Policy, fn: (src: number, named: ReadonlyMap<number, readonly Rule[]>, toAny: readonly Rule[]) => void): void {
  const tierIndex = new Map(policy.tiers.map((t, i) => [t.name, i]));
  const own: Rule[][] = policy.tiers.map(() => []);
  const anySource: Rule[] = [];
  // Destination tier indexes per rule (by rule index), looked up once: `any`-source rules are
  // visited once per source tier.
  const dstIndexes: number[][] = [];
  for (const rule of policy.rules) {
    if (rule.sourceAny) anySource.push(rule);
    else for (const s of rule.sources) own[tierIndex.get(s)!]?.push(rule);
    dstIndexes[rule.index] = rule.destinations.map((d) => tierIndex.get(d) ?? -1);
  }
  policy.tiers.forEach((_, i) => {
    const rules = mergeByIndex(own[i]!, anySource);
    // The rules of each named destination, and those of every destination (to `any`), in order.
    const named = new Map<number, Rule[]>();
    const toAny: Rule[] = [];
    for (const r of rules) {
      if (r.destinationAny) {
        toAny.push(r);
        for (const list of named.values()) list.push(r);
        continue;
      }
      for (const j of dstIndexes[r.index]!) {
        if (j < 0 || j === i) continue;
        let list = named.get(j);
        if (!list) named.set(j, (list = toAny.slice())); // every `any` rule so far comes first
        list.push(r);
      }
    }
    fn(i, named, toAny);
  });
}

/** The ungrouped classes again (every pair, in decideAllClasses' order): for tests and small policies. */
export function expandGroups(policy: Policy, groups: readonly DestinationGroup[]): DecidedClass[] {
  const bySrc = new Map<string, Map<string, DestinationGroup>>();
  for (const g of groups) {
    let m = bySrc.get(g.src);
    if (!m) bySrc.set(g.src, (m = new Map()));
    for (const d of g.dsts) m.set(d, g);
  }
  const out: DecidedClass[] = [];
  for (const a of policy.tiers) {
    for (const b of policy.tiers) {
      const g = bySrc.get(a.name)?.get(b.name);
      if (!g) continue;
      for (const c of g.classes) out.push(c.dst === b.name ? c : { ...c, dst: b.name });
    }
  }
  return out;
}

/**
 * One Verdict object per rule, per default and per isolation, shared by every class they decide:
 * a large policy has hundreds of thousands of classes, and garbage is what costs there.
 */
class Verdicts {
  private readonly byRule = new Map<number, Verdict>();
  readonly fallback: Verdict;
  private readonly intraOf: readonly [Verdict, Verdict];

  constructor(policy: Policy) {
    this.fallback = { action: policy.defaultAction, log: false, reason: { kind: 'default' } };
    this.intraOf = [
      { action: 'allow', log: false, reason: { kind: 'intra-tier', isolated: false } },
      { action: 'deny', log: false, reason: { kind: 'intra-tier', isolated: true } },
    ];
  }

  intra(isolated: boolean): Verdict {
    return this.intraOf[isolated ? 1 : 0];
  }

  of(rule: Rule): Verdict {
    let v = this.byRule.get(rule.index);
    if (!v) this.byRule.set(rule.index, (v = { action: rule.action, log: rule.log, reason: { kind: 'rule', rule } }));
    return v;
  }
}

/**
 * One group's decisions: per class of its pair (classesOfPair's classes) the first match over the
 * pair's rules in policy order (first-match.ts), else `fallback` (the default; inside a tier, isolation).
 */
function decide(verdicts: Verdicts, src: string, dsts: readonly string[], unnamed: boolean, rules: readonly Rule[], fallback = verdicts.fallback): GroupDecisions {
  const ports = (proto: 'tcp' | 'udp'): PortVerdicts => {
    const { starts, winners } = firstMatchByPort(rules, proto);
    return { starts, verdicts: winners.map((w) => (w ? verdicts.of(w) : fallback)) };
  };
  const single = (proto: 'icmp' | 'other'): Verdict => {
    const w = firstMatchOf(rules, proto);
    return w ? verdicts.of(w) : fallback;
  };
  return { src, dsts, unnamed, tcp: ports('tcp'), udp: ports('udp'), icmp: single('icmp'), other: single('other') };
}

/** Two lists sorted by rule index, merged (a new array). Also the iptables backend's per-source order. */
export function mergeByIndex(a: readonly Rule[], b: readonly Rule[]): Rule[] {
  if (b.length === 0) return a.slice();
  const out: Rule[] = [];
  let x = 0;
  let y = 0;
  while (x < a.length || y < b.length) {
    if (y >= b.length || (x < a.length && a[x]!.index < b[y]!.index)) out.push(a[x++]!);
    else out.push(b[y++]!);
  }
  return out;
}
