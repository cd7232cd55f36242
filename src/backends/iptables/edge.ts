// backends/iptables: the ruleset's decisions at the host's edge, pure: traffic between a tier and an
// address outside every tier (a net's or the world's). Input: Policy IR. Output: the lines model.ts
// puts into the main and dispatch chains, and the egress chains.
//
// Shape (docs/semantics.md, "The generated ruleset"): a packet reaches these lines only after the
// main chain's `-d <tier>` lines and the dispatch chain's `-s <tier>` lines failed to match, so:
// - ingress lines (end of `_D`): the destination is a tier and the source is no tier. A rule's
//   external sources need no check for `world` (every such source is in it) and `-s <cidr>` per net
//   range otherwise; `any` as destination needs no `-d`.
// - egress (main chain `-s <tier>` lines, then `_E<i>` per source): the source is a tier and the
//   destination no tier, so `world` needs no `-d`, a net `-d <cidr>` per range.
// Every line matches exactly one rule's flows in that direction and lines keep policy order, so
// first match in a chain is first match in the policy (the evaluator's); then the policy's default.
import type { Policy, Rule } from '../../ir/types.js';
import { WORLD } from '../../ir/types.js';
import type { IptChain } from './model-types.js';
import { ingressServiceMatches, serviceMatches } from './matches.js';
import { line, target, verdictLines } from './model.js';
import { egressChainName, ruleTags, tagOf } from '../shared/names.js';

export interface EdgeLines {
  /** Main chain, after the `-d <tier>` lines: per tier, `-s <tier>` to its egress chain or its default verdict. */
  readonly mainEgress: readonly string[];
  /** Dispatch chain, after the `-s <tier>` lines (instead of a RETURN): ingress rules, then the default per tier. */
  readonly ingress: readonly string[];
  /** The per-source egress chains `_E<i>`, for the tiers that have rules with external destinations. */
  readonly chains: readonly IptChain[];
}

/** The scopes (`-s`/`-d` option or '') of a rule's external ends: none for `world`, one per net range. */
function externalScopes(policy: Policy, ends: readonly string[], opt: '-s' | '-d'): string[] {
  if (ends.includes(WORLD)) return [''];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const name of ends) {
    const net = policy.nets.find((n) => n.name === name);
    // Lowering resolved every name: a missing net is a bug, not a rule to drop silently.
    if (!net) throw new Error(`rule names unknown net '${name}'`);
    for (const c of net.cidrs) {
      if (seen.has(c.text)) continue; // nets may share a range: one line decides it
      seen.add(c.text);
      out.push(`${opt} ${c.text}`);
    }
  }
  return out;
}

/**
 * The edge lines. Every verdict line carries its own `-s` or `-d` (the validator refuses a DROP
 * without one: it is one edit away from dropping traffic tierwall does not govern), so the defaults
 * are one line per tier: `-d <tier>` at the end of ingress, `-s <tier>` for egress, and `world ->
 * any` is written per tier. That is also why egress has no dispatch chain of its own: the main
 * chain's `-s <tier>` line can hold the default.
 */
export function buildEdge(policy: Policy, comment: (what: string) => string): EdgeLines {
  const name = policy.name;
  const tags = ruleTags(policy);
  const verdict = `-j ${target(policy.defaultAction)}`;
  const tierIndex = new Map(policy.tiers.map((t, i) => [t.name, i]));

  // Ingress: rules with external sources, in policy order.
  const ingress: string[] = [];
  let ingressClosed = false;
  for (const r of policy.rules) {
    if (r.externalSources.length === 0) continue;
    const tag = tagOf(tags, r);
    const matches = ingressServiceMatches(r);
    const sources = externalScopes(policy, r.externalSources, '-s');
    // `any` needs no -d (only packets to a tier get here), unless no -s scopes the line either
    // (`world -> any`): then one line per tier, as every verdict line carries a scope.
    const unscoped = r.destinationAny && sources[0] === '';
    const dests = r.destinationAny && !unscoped ? [''] : r.destinations.map((d) => `-d ${policy.tiers[tierIndex.get(d)!]!.subnet.text}`);
    for (const s of sources) {
      for (const d of dests) {
        for (const l of verdictLines(name, tag, r, matches, comment)) ingress.push(line(s, d, l));
      }
    }
    // `world -> any` with all traffic decides every packet that gets here: the rest is dead.
    if (r.allTraffic && sources[0] === '' && r.destinationAny) {
      ingressClosed = true;
      break;
    }
  }
  if (!ingressClosed) for (const t of policy.tiers) ingress.push(line(`-d ${t.subnet.text}`, comment('default'), verdict));

  // Egress: per source tier, the rules with external destinations naming it (or `any`).
  const perSource: Rule[][] = policy.tiers.map(() => []);
  for (const r of policy.rules) {
    if (r.externalDestinations.length === 0) continue;
    for (const s of r.sources) perSource[tierIndex.get(s)!]!.push(r);
  }
  const mainEgress: string[] = [];
  const chains: IptChain[] = [];
  policy.tiers.forEach((t, i) => {
    const scope = `-s ${t.subnet.text}`;
    const rules = perSource[i]!;
    if (rules.length === 0) {
      mainEgress.push(line(scope, comment('default'), verdict));
      return;
    }
    const chain = egressChainName(name, i);
    mainEgress.push(line(scope, comment(`out:${t.name}`), `-j ${chain}`));
    const body: string[] = [];
    let closed = false;
    for (const r of rules) {
      const tag = tagOf(tags, r);
      const dests = externalScopes(policy, r.externalDestinations, '-d');
      for (const d of dests) for (const l of verdictLines(name, tag, r, serviceMatches(r), comment)) body.push(line(scope, d, l));
      if (r.allTraffic && dests[0] === '') {
        closed = true; // `-> world` with all traffic: every destination here is decided
        break;
      }
    }
    if (!closed) body.push(line(scope, comment('default'), verdict));
    chains.push({ name: chain, rules: body });
  });
  return { mainEgress, ingress, chains };
}
