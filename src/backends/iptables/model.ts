// backends/iptables: every decision of the ruleset, pure. Input: Policy IR. Output: IptablesModel
// (tierwall's own chains and their rules, written as iptables-save prints them, plus the entry rule).
import type { Action, Policy, Rule } from '../../ir/types.js';
import type { IptChain, IptablesModel } from './model-types.js';
import { serviceMatches } from './matches.js';
import {
  logPrefix,
  mainChainName,
  pairChainName,
  ruleComment,
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

const target = (a: Action): string => (a === 'allow' ? 'ACCEPT' : 'DROP');

/** Joins rule parts in iptables-save's order (-s -d, -p/matches, comment, -j), skipping empties. */
function line(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** Builds the ruleset: main chain -> per-source chain (by -s) -> per-pair chain (by -d). */
export function buildIptables(policy: Policy): IptablesModel {
  const name = policy.name;
  const comment = (what: string): string => `-m comment --comment ${quoted(ruleComment(name, what))}`;
  const main = mainChainName(name);
  const chains: IptChain[] = [];

  // Main chain: replies first (Docker's isolation would drop replies of allowed cross-bridge flows),
  // then dispatch by source subnet. Packets from no tier fall through to RETURN: not ours to decide.
  const mainRules = [line('-m conntrack --ctstate RELATED,ESTABLISHED', comment('established'), '-j ACCEPT')];
  policy.tiers.forEach((t, i) => {
    mainRules.push(line(`-s ${t.subnet.text}`, comment(`from:${t.name}`), `-j ${sourceChainName(name, i)}`));
  });
  mainRules.push(line(comment('foreign'), '-j RETURN'));
  chains.push({ name: main, rules: mainRules });

  const byPair = rulesByPair(policy);
  const lowered = lowerRules(policy, comment);
  const T = policy.tiers.length;
  // Built once: with T tiers the source chains hold T^2 lines, most of them this default.
  const defaultTail = line(comment('default'), `-j ${target(policy.defaultAction)}`);
  const pairChains: IptChain[] = [];
  policy.tiers.forEach((src, i) => {
    const rules: string[] = [];
    policy.tiers.forEach((dst, j) => {
      const scope = `-s ${src.subnet.text} -d ${dst.subnet.text}`;
      if (i === j) {
        // Intra-tier: decided by isolation alone, rules never apply.
        const what = src.isolated ? `isolated:${src.name}` : `intra:${src.name}`;
        rules.push(line(scope, comment(what), `-j ${src.isolated ? 'DROP' : 'ACCEPT'}`));
        return;
      }
      const pairRules = byPair.get(i * T + j);
      if (!pairRules) {
        // Nothing to match: the default verdict directly, still scoped to the pair.
        rules.push(`${scope} ${defaultTail}`);
        return;
      }
      const body = pairRules.flatMap((r) => lowered.get(r.index)!.map((tail) => `${scope} ${tail}`));
      // Everything after an all-traffic rule is unreachable: the default only when it can apply.
      if (!pairRules[pairRules.length - 1]!.allTraffic) {
        body.push(`${scope} ${defaultTail}`);
      }
      if (body.length === 1) {
        // A lone all-traffic rule without log: one line, as cheap as the jump it would replace.
        rules.push(body[0]!);
        return;
      }
      const chain = pairChainName(name, i, j);
      rules.push(line(scope, comment(`pair:${src.name}:${dst.name}`), `-j ${chain}`));
      pairChains.push({ name: chain, rules: body });
    });
    // A destination outside every tier (the internet, the host's LAN): left to Docker.
    rules.push(line(comment('foreign'), '-j RETURN'));
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
 * The rules of each ordered pair (key src * T + dst, tier indices), in policy order, cut after the
 * first all-traffic rule (nothing after it can match). Built in one pass over the rules, so the cost
 * follows the output size, not tiers^2 x rules.
 */
function rulesByPair(policy: Policy): Map<number, Rule[]> {
  const T = policy.tiers.length;
  const index = new Map(policy.tiers.map((t, i) => [t.name, i]));
  const byPair = new Map<number, Rule[]>();
  const closed = new Set<number>();
  for (const rule of policy.rules) {
    if (!rule.allTraffic && rule.services.length === 0) continue; // matches nothing
    for (const s of rule.sources) {
      for (const d of rule.destinations) {
        const i = index.get(s);
        const j = index.get(d);
        if (i === undefined || j === undefined || i === j) continue;
        const key = i * T + j;
        if (closed.has(key)) continue;
        let list = byPair.get(key);
        if (!list) byPair.set(key, (list = []));
        list.push(rule);
        if (rule.allTraffic) closed.add(key);
      }
    }
  }
  return byPair;
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
