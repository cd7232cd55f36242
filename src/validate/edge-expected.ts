// validate: what the policy expects between a tier and an external zone (eval/zones.ts), with the
// evaluator's semantics: the rules naming the zone (by a net holding it, or `world`) and the tier, in
// policy order, first match, else the default. Input: Policy IR. Output: per (zone, tier, direction)
// the rule list the comparison walks (compare.ts compareRules). Built per zone, from the rules that
// name a net or `world` only: few, whatever the number of tier rules.
import type { Policy, Rule } from '../ir/types.js';
import { zonesOf } from '../eval/zones.js';

const NO_RULES: readonly Rule[] = [];

export class EdgeOracle {
  private readonly tierIndex: ReadonlyMap<string, number>;
  private readonly byZone = new Map<string, { readonly inbound: Map<number, Rule[]>; readonly outbound: Map<number, Rule[]> }>();

  constructor(private readonly policy: Policy) {
    this.tierIndex = new Map(policy.tiers.map((t, i) => [t.name, i]));
  }

  /** The rules that can decide flows from the zone to tier j, in policy order. */
  inbound(zone: string, j: number): readonly Rule[] {
    return this.of(zone).inbound.get(j) ?? NO_RULES;
  }

  /** The rules that can decide flows from tier i to the zone, in policy order. */
  outbound(zone: string, i: number): readonly Rule[] {
    return this.of(zone).outbound.get(i) ?? NO_RULES;
  }

  private of(zone: string): { readonly inbound: Map<number, Rule[]>; readonly outbound: Map<number, Rule[]> } {
    let z = this.byZone.get(zone);
    if (z) return z;
    const zones = zonesOf(this.policy);
    z = { inbound: new Map(), outbound: new Map() };
    const push = (m: Map<number, Rule[]>, tier: string, r: Rule): void => {
      const k = this.tierIndex.get(tier)!;
      let list = m.get(k);
      if (!list) m.set(k, (list = []));
      list.push(r);
    };
    for (const r of this.policy.rules) {
      if (zones.externalMatch(r.externalSources, zone)) for (const d of r.destinations) push(z.inbound, d, r);
      if (zones.externalMatch(r.externalDestinations, zone)) for (const s of r.sources) push(z.outbound, s, r);
    }
    this.byZone.set(zone, z);
    return z;
  }
}
