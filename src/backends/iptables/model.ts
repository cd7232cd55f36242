// backends/iptables: every decision of the ruleset, pure. Input: Policy IR. Output: IptablesModel
// (tierwall's own chains and their rules, written as iptables-save prints them, plus the entry rule).
//
// Shape (ARCHITECTURE.md, "The generated ruleset"): main chain -> by destination tier -> the
// dispatch chain -> by source tier -> one chain per source holding, in policy order, the rules that
// name that source (or `any`). Inside a source chain, maximal runs of rules with specific
// destinations are grouped per destination into pair chains entered by one `-d` jump each, or
// written in place when the group is small (INLINE_MAX_LINES). The output grows with rules + tiers
// (+ the copies of `any`-source rules), never with tiers^2.
import type { Action, Policy, Rule } from '../../ir/types.js';
import type { IptChain, IptablesModel } from './model-types.js';
import { serviceMatches } from './matches.js';
import { mergeByIndex } from '../../eval/grouped-classes.js';
import {
  dispatchChainName,
  extraPairChainName,
  logPrefix,
  mainChainName,
  pairChainName,
  ruleComment,
  sharedChainName,
  ruleTags,
  sourceChainName,
  tagOf,
} from '../shared/names.js';

/** LOG is rate limited so a flood of denied packets cannot flood the kernel log. */
export const LOG_LIMIT = '-m limit --limit 10/min --limit-burst 20';

/**
 * Double-quotes a comment or log prefix for iptables-restore and for a shell alike. The texts come
 * only from validated identifiers and numbers; anything else is a bug, not something to escape.
 */
export function quoted(text: string): string {
  if (!/^[A-Za-z0-9:._ -]*$/.test(text)) throw new Error(`unsafe text for an iptables argument: ${JSON.stringify(text)}`);
  return `"${text}"`;
}

/**
 * A group of at most this many lines (one destination's share of a run, in a source chain or a
 * shared `_A` chain) is written in place instead of into a chain of its own. Why: iptables-nft loads
 * many chains superlinearly, and a jump into a 2-4 line chain saves a packet to another destination
 * only 1-3 line tests. Measured on the bench's 1000 tiers x 100,000 rules (README, Performance):
 * inlining up to 1/2/3/4/6 lines gives 55,422/18,336/9,461/4,466/1,985 chains, and
 * `iptables-restore --test` takes >300/248/46/24/16 s (wall, one run each, busy 2-core machine),
 * while the mean lines a new packet is tested against in its source chain grow
 * 778/973/1048/1119/1168. 4: 12x fewer chains than 1, half the load time of 3; going higher saves a
 * few seconds of load for ever longer source chains.
 */
export const INLINE_MAX_LINES = 4;

const target = (a: Action): string => (a === 'allow' ? 'ACCEPT' : 'DROP');

/** Joins rule parts in iptables-save's order (-s -d, -p/matches, comment, -j), skipping empties. */
function line(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** A rule is emitted only when it can match something (services, or all traffic). */
const matchesSomething = (r: Rule): boolean => r.allTraffic || r.services.length > 0;

/** Builds the ruleset: main (-d tier) -> dispatch (-s tier) -> per-source chain -> per-pair chains. */
export function buildIptables(policy: Policy): IptablesModel {
  const name = policy.name;
  const comment = (what: string): string => `-m comment --comment ${quoted(ruleComment(name, what))}`;
  const main = mainChainName(name);
  const dispatch = dispatchChainName(name);
  const chains: IptChain[] = [];

  // Main chain: replies first (Docker's isolation would drop replies of allowed cross-bridge flows),
  // then only packets to a tier go on. Checking the destination once here is what lets a source
  // chain end in one default line and hold `any`-destination rules without a line per tier.
  // Packets to no tier fall through to RETURN: not ours to decide.
  const mainRules = [line('-m conntrack --ctstate RELATED,ESTABLISHED', comment('established'), '-j ACCEPT')];
  for (const t of policy.tiers) mainRules.push(line(`-d ${t.subnet.text}`, comment(`to:${t.name}`), `-j ${dispatch}`));
  mainRules.push(line(comment('foreign'), '-j RETURN'));
  chains.push({ name: main, rules: mainRules });

  // Dispatch by source; packets from no tier (the host, the internet) are not ours either.
  const dispatchRules: string[] = [];
  policy.tiers.forEach((t, i) => {
    dispatchRules.push(line(`-s ${t.subnet.text}`, comment(`from:${t.name}`), `-j ${sourceChainName(name, i)}`));
  });
  dispatchRules.push(line(comment('foreign'), '-j RETURN'));
  chains.push({ name: dispatch, rules: dispatchRules });

  const lowered = lowerRules(policy, comment);
  const tierIndex = new Map(policy.tiers.map((t, i) => [t.name, i]));
  const defaultTail = line(comment('default'), `-j ${target(policy.defaultAction)}`);
  const perSource = rulesBySource(policy, tierIndex);
  const pairChains: IptChain[] = [];
  let extra = 0;

  // `any`-source rules with specific destinations would otherwise be copied into every source
  // chain (tiers x such rules lines). Instead, a run's share of them lives once in a shared chain
  // (`_A<n>`, per range of them), entered by one line at the end of the run; a source copies one
  // only into the pair chains of destinations its own rules name in that run, to keep its place.
  const anySpecific = policy.rules.filter((r) => r.sourceAny && !r.destinationAny && matchesSomething(r));
  const anyPos = new Map(anySpecific.map((r, k) => [r.index, k]));
  const shared = new Map<string, string>();
  let sharedCount = 0;
  const sharedChain = (first: number, last: number): string => {
    const key = `${first}:${last}`;
    const known = shared.get(key);
    if (known) return known;
    const chain = sharedChainName(name, sharedCount++);
    shared.set(key, chain);
    const closedHere = new Set<number>();
    const groups = new Map<number, Rule[]>();
    for (let k = first; k <= last; k++) {
      const r = anySpecific[k]!;
      for (const d of r.destinations) {
        const j = tierIndex.get(d);
        if (j === undefined || closedHere.has(j)) continue;
        let g = groups.get(j);
        if (!g) groups.set(j, (g = []));
        g.push(r);
        if (r.allTraffic) closedHere.add(j);
      }
    }
    const body: string[] = [];
    for (const [j, group] of groups) {
      const dst = policy.tiers[j]!;
      const lines: string[] = [];
      for (const r of group) for (const tail of lowered.get(r.index)!) lines.push(`-d ${dst.subnet.text} ${tail}`);
      if (lines.length <= INLINE_MAX_LINES) {
        for (const l of lines) body.push(l);
        continue;
      }
      const sub = sharedChainName(name, sharedCount++);
      body.push(line(`-d ${dst.subnet.text}`, comment(`pair:any:${dst.name}`), `-j ${sub}`));
      pairChains.push({ name: sub, rules: lines });
    }
    pairChains.push({ name: chain, rules: body });
    return chain;
  };

  policy.tiers.forEach((src, i) => {
    const srcScope = `-s ${src.subnet.text}`;
    // Intra-tier first: decided by isolation alone, rules never apply (not even `any` ones).
    const what = src.isolated ? `isolated:${src.name}` : `intra:${src.name}`;
    const rules: string[] = [line(`${srcScope} -d ${src.subnet.text}`, comment(what), `-j ${src.isolated ? 'DROP' : 'ACCEPT'}`)];
    // Pairs an all-traffic rule has decided: nothing after it can match them.
    const closed = new Set<number>();
    const pairsSeen = new Set<number>();
    // The current run: rules with specific destinations, in policy order.
    let run: Rule[] = [];
    const flush = (): void => {
      // Destinations the source's own rules name in this run: `any`-source rules to them are
      // copied into their pair chains (first match among both); the rest stay in the shared chain.
      const ownNamed = new Set<number>();
      for (const r of run) if (!r.sourceAny) for (const d of r.destinations) ownNamed.add(tierIndex.get(d)!);
      const groups = new Map<number, Rule[]>();
      let first = -1;
      let last = -1;
      for (const r of run) {
        if (r.sourceAny) {
          const k = anyPos.get(r.index)!;
          if (first < 0) first = k;
          last = k;
        }
        for (const d of r.destinations) {
          const j = tierIndex.get(d);
          if (j === undefined || j === i || closed.has(j)) continue;
          if (r.sourceAny && !ownNamed.has(j)) continue;
          let group = groups.get(j);
          if (!group) groups.set(j, (group = []));
          group.push(r);
          if (r.allTraffic) closed.add(j);
        }
      }
      for (const [j, group] of groups) {
        const dst = policy.tiers[j]!;
        const scope = `${srcScope} -d ${dst.subnet.text}`;
        const body: string[] = [];
        for (const r of group) for (const tail of lowered.get(r.index)!) body.push(`${scope} ${tail}`);
        if (body.length <= INLINE_MAX_LINES) {
          // Small group: its lines in place of the jump (exact: they are the group's lines in order,
          // and every other line around them names another destination).
          for (const l of body) rules.push(l);
          continue;
        }
        // The pair's first group is named by the pair; later groups (after an `any`-destination
        // rule) by a policy-wide counter, as chain names have no room for a third number.
        const chain = pairsSeen.has(j) ? extraPairChainName(name, extra++) : pairChainName(name, i, j);
        pairsSeen.add(j);
        rules.push(line(scope, comment(`pair:${src.name}:${dst.name}`), `-j ${chain}`));
        pairChains.push({ name: chain, rules: body });
      }
      // Last in the run: every destination the source names was decided above or returned having
      // matched none of the run's rules, so the shared chain cannot decide it out of order (its
      // copies of them already failed to match).
      if (first >= 0) rules.push(line(srcScope, comment('from-any'), `-j ${sharedChain(first, last)}`));
      run = [];
    };
    let decidedAll = false;
    for (const rule of perSource[i]!) {
      if (rule.destinationAny) {
        // A barrier: nothing moves across it, so the run so far is emitted first.
        flush();
        for (const tail of lowered.get(rule.index)!) rules.push(`${srcScope} ${tail}`);
        if (rule.allTraffic) {
          decidedAll = true; // every destination decided: the rest of the source's rules are dead
          break;
        }
        continue;
      }
      run.push(rule);
    }
    flush();
    // Every destination here is a tier other than the source (main chain and intra line).
    if (!decidedAll) rules.push(`${srcScope} ${defaultTail}`);
    chains.push({ name: sourceChainName(name, i), rules });
  });
  // A loop, not push(...): a large policy has more pair chains than the argument limit.
  for (const c of pairChains) chains.push(c);

  return {
    mainChain: main,
    chains,
    entryRule: entryRuleOf(name),
  };
}

/** The one rule tierwall inserts into DOCKER-USER for a policy (arguments after `-I DOCKER-USER 1`). */
export function entryRuleOf(policyName: string): string {
  return line(`-m comment --comment ${quoted(`tierwall:${policyName}`)}`, `-j ${mainChainName(policyName)}`);
}

/**
 * Per source tier (by index), the rules naming it, in policy order; `any`-source rules are kept in
 * one list and merged in per source, so building the index costs rules + tiers, not rules x tiers.
 */
function rulesBySource(policy: Policy, tierIndex: ReadonlyMap<string, number>): Rule[][] {
  const own: Rule[][] = policy.tiers.map(() => []);
  const anySource: Rule[] = [];
  for (const rule of policy.rules) {
    if (!matchesSomething(rule)) continue;
    if (rule.sourceAny) {
      anySource.push(rule);
      continue;
    }
    for (const s of rule.sources) {
      const i = tierIndex.get(s);
      if (i !== undefined) own[i]!.push(rule);
    }
  }
  if (anySource.length === 0) return own;
  return own.map((list) => mergeByIndex(list, anySource));
}

/**
 * Each rule's lines without the `-s -d` scope (the same for every pair it applies to): per match,
 * a rate-limited LOG right before the verdict it logs (same match, same comment), then the verdict.
 */
function lowerRules(policy: Policy, comment: (what: string) => string): Map<number, string[]> {
  const tags = ruleTags(policy);
  const out = new Map<number, string[]>();
  for (const rule of policy.rules) {
    const tag = tagOf(tags, rule);
    const lines: string[] = [];
    for (const match of serviceMatches(rule)) {
      if (rule.log) {
        lines.push(line(match, LOG_LIMIT, comment(tag), `-j LOG --log-prefix ${quoted(logPrefix(policy.name, tag))}`));
      }
      lines.push(line(match, comment(tag), `-j ${target(rule.action)}`));
    }
    out.set(rule.index, lines);
  }
  return out;
}
