// backends/installer: which source tiers must get past Docker >= 28.2's raw-table drop to reach each
// destination tier. Input: Policy IR. Output: per destination tier, the source tiers in policy order.
// Decided by the evaluator's flow classes (the oracle), never by scanning rules on our own.
import type { Policy } from '../../ir/types.js';
import { groupSummaries } from '../shared/group-summaries.js';

/**
 * Docker >= 28.2 drops, in the raw table, packets addressed to a container that arrive from another
 * bridge, before DOCKER-USER sees them; `trusted_host_interfaces` on the destination network exempts
 * the listed bridges. A source tier is listed when some flow class from it to the destination is
 * allowed, or is denied with `log`: the LOG rule must see the packet, which the raw drop would hide.
 * Trusting a bridge opens nothing by itself: tierwall's chain and Docker's isolation still decide.
 * Decided per destination group (eval/grouped-classes.ts, folded by shared/group-summaries.ts): the
 * destinations a source's rules never name share one answer, so the cost follows the rules, not
 * tiers^2 pairs of classes.
 */
export function trustedSources(policy: Policy): Map<string, string[]> {
  const out = new Map<string, string[]>(policy.tiers.map((t) => [t.name, []]));
  // Groups come per source in policy tier order, so each destination's list stays in that order.
  for (const g of groupSummaries(policy)) {
    if (g.dsts[0] === g.src) continue; // inside one tier: no other bridge involved
    if (!g.allowsOrLogs) continue;
    for (const d of g.dsts) out.get(d)!.push(g.src);
  }
  return out;
}
