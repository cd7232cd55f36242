// checks: rules that name a tier on both sides. Input: rules + tiers. Output: `isolated-allow`,
// `intra-tier-rule`, `rule-matches-nothing` (on the rule; related: the tier's declaration).
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy, Rule, Tier } from '../ir/types.js';
import type { Check } from './check.js';

/*
 * Traffic inside a tier is decided by isolation alone (docs/semantics.md), so a rule's
 * same-tier pairs never matter. The triggers, chosen so that no rule gets two of these codes
 * for the same tier:
 * - The rule has no pair of two different tiers (`allow a -> a`): `isolated-allow` (error) when
 *   it allows an isolated tier named explicitly on both sides, else `rule-matches-nothing`.
 *   The anomaly check skips such rules: they match no flow.
 * - Otherwise, per tier named explicitly on both sides (not through `any`, which naturally
 *   includes every tier): `isolated-allow` if the tier is isolated and the rule allows;
 *   `intra-tier-rule` if the tier is not isolated (an allow is moot, a deny is silently ignored);
 *   nothing for a deny on an isolated tier, which says what isolation does anyway.
 * One diagnostic per (rule, tier), since each message names one tier.
 */

function tierRelated(t: Tier, why: string) {
  return { span: t.origin.span, message: `tier '${t.name}' ${why}` };
}

function isolatedAllow(rule: Rule, t: Tier): Diagnostic {
  return diag('isolated-allow', { tier: t.name }, rule.origin.span, {
    related: [tierRelated(t, 'is declared isolated here')],
    hints: [`remove '${t.name}' from one side, or drop 'isolated' from the tier if its members must talk to each other`],
  });
}

export const ruleSelf: Check = {
  id: 'rule-self',
  run(policy: Policy): Diagnostic[] {
    const tiers = new Map(policy.tiers.map((t) => [t.name, t]));
    const out: Diagnostic[] = [];
    for (const rule of policy.rules) {
      const { sources, destinations } = rule;
      if (sources.length === 0 || destinations.length === 0) continue; // lowering reported why
      const explicit = !rule.sourceAny && !rule.destinationAny;
      // A rule with an external end (a net, `world`) also matches flows at the host's edge.
      const edge = rule.externalSources.length > 0 || rule.externalDestinations.length > 0;
      if (!edge && sources.length === 1 && destinations.length === 1 && sources[0] === destinations[0]) {
        const t = tiers.get(sources[0]!);
        if (t && explicit && t.isolated && rule.action === 'allow') out.push(isolatedAllow(rule, t));
        else
          out.push(
            diag('rule-matches-nothing', {}, rule.origin.span, {
              related: t ? [tierRelated(t, 'declared here')] : [],
              hints: ['traffic inside a tier is decided by its isolation, not by rules; name two different tiers'],
            }),
          );
        continue;
      }
      if (!explicit) continue;
      const dst = new Set(destinations);
      for (const name of sources) {
        const t = tiers.get(name);
        if (!t || !dst.has(name)) continue;
        if (t.isolated && rule.action === 'allow') out.push(isolatedAllow(rule, t));
        else if (!t.isolated)
          out.push(
            diag('intra-tier-rule', { tier: name }, rule.origin.span, {
              related: [tierRelated(t, 'declared here')],
              hints: [
                rule.action === 'deny'
                  ? `traffic inside '${name}' stays allowed; declare the tier 'isolated' to block it`
                  : `traffic inside '${name}' is allowed anyway (it is not isolated)`,
              ],
            }),
          );
      }
    }
    return out;
  },
};
