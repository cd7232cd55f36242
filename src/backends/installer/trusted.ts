// backends/installer: which source tiers must get past Docker >= 28.2's raw-table drop to reach each
// destination tier. Input: Policy IR. Output: per destination tier, the source tiers in policy order.
// Decided by the Evaluator over flow classes (the oracle), never by scanning rules on our own.
import type { Policy, Rule } from '../../ir/types.js';
import { Evaluator } from '../../eval/evaluate.js';
import { classesOfPair } from '../../eval/flow-classes.js';

/**
 * Docker >= 28.2 drops, in the raw table, packets addressed to a container that arrive from another
 * bridge, before DOCKER-USER sees them; `trusted_host_interfaces` on the destination network exempts
 * the listed bridges. A source tier is listed when some flow class from it to the destination is
 * allowed, or is denied with `log`: the LOG rule must see the packet, which the raw drop would hide.
 * Trusting a bridge opens nothing by itself: tierwall's chain and Docker's isolation still decide.
 */
export function trustedSources(policy: Policy): Map<string, string[]> {
  const ev = new Evaluator(policy);
  // The rules of each ordered pair, as rulesOfPair() selects them, indexed in one pass.
  const byPair = new Map<string, Rule[]>();
  for (const rule of policy.rules) {
    for (const s of rule.sources) {
      for (const d of rule.destinations) {
        if (s === d) continue;
        const key = `${s}\0${d}`;
        const list = byPair.get(key);
        if (list) list.push(rule);
        else byPair.set(key, [rule]);
      }
    }
  }
  const out = new Map<string, string[]>();
  for (const dst of policy.tiers) {
    const sources: string[] = [];
    for (const src of policy.tiers) {
      if (src.name === dst.name) continue;
      const classes = classesOfPair(src.name, dst.name, byPair.get(`${src.name}\0${dst.name}`) ?? []);
      const needed = classes.some((c) => {
        const v = ev.evaluate({ src: c.src, dst: c.dst, proto: c.proto, port: c.lo });
        return v.action === 'allow' || v.log;
      });
      if (needed) sources.push(src.name);
    }
    out.set(dst.name, sources);
  }
  return out;
}
