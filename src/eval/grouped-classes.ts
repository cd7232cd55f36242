// eval: the decided flow classes of every ordered tier pair without visiting tiers^2 pairs. For
// one source, every destination none of its rules names (only `any`-destination rules and the
// default can decide) behaves alike: one representative decides for the whole group.
// Input: Policy. Output: per source, destination groups with the classes of their representative.
import type { Policy, Rule } from '../ir/types.js';
import { servicesMatch, type Verdict } from './evaluate.js';
import { classesOfPair, type DecidedClass } from './flow-classes.js';

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
  const verdicts = new Verdicts(policy);
  forEachSource(policy, (i, named, toAny) => {
    const src = policy.tiers[i]!;
    const others: string[] = [];
    const groups: { first: number; group: DestinationGroup }[] = [];
    policy.tiers.forEach((dst, j) => {
      if (j === i) {
        const verdict = verdicts.intra(src.isolated);
        const classes = classesOfPair(src.name, dst.name, []).map((c) => ({ ...c, verdict }));
        groups.push({ first: j, group: { src: src.name, dsts: [dst.name], classes, unnamed: false } });
      } else if (named.has(j)) {
        groups.push({ first: j, group: { src: src.name, dsts: [dst.name], classes: decide(verdicts, src.name, dst.name, named.get(j)!), unnamed: false } });
      } else {
        if (others.length === 0) groups.push({ first: j, group: { src: src.name, dsts: others, classes: decide(verdicts, src.name, dst.name, toAny), unnamed: true } });
        others.push(dst.name);
      }
    });
    for (const g of groups) out.push(g.group);
  });
  return out;
}

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
  for (const rule of policy.rules) {
    if (rule.sourceAny) anySource.push(rule);
    else for (const s of rule.sources) own[tierIndex.get(s)!]?.push(rule);
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
      for (const d of r.destinations) {
        const j = tierIndex.get(d);
        if (j === undefined || j === i) continue;
        let list = named.get(j);
        if (!list) named.set(j, (list = toAny.slice())); // every `any` rule so far comes first
        list.push(r);
      }
    }
    fn(i, named, toAny);
  });
}

const memo = new WeakMap<Policy, readonly DestinationGroup[]>();

/** decideGroupedClasses, computed once per policy (the IR is readonly): the installer and the report both ask. */
export function groupedClassesOf(policy: Policy): readonly DestinationGroup[] {
  let groups = memo.get(policy);
  if (!groups) memo.set(policy, (groups = decideGroupedClasses(policy)));
  return groups;
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

/** First match over the pair's rules (policy order), else the default: Evaluator.evaluate for the pair. */
function decide(verdicts: Verdicts, src: string, dst: string, rules: readonly Rule[]): DecidedClass[] {
  const out: DecidedClass[] = [];
  for (const c of classesOfPair(src, dst, rules)) {
    let verdict = verdicts.fallback;
    for (const r of rules) {
      if (servicesMatch(r, c.proto, c.lo)) {
        verdict = verdicts.of(r);
        break;
      }
    }
    out.push(c.lo === undefined ? { src, dst, proto: c.proto, verdict } : { src, dst, proto: c.proto, lo: c.lo, hi: c.hi, verdict });
  }
  return out;
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
