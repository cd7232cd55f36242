// checks: `net-overlaps-tier`. Input: the nets and the tiers. Output: one error per (net range,
// tier) that overlap, on the range, related: the tier's subnet.
//
// Why an error: a net names addresses outside the host's tiers (the office, a partner); an address
// in both would be a container and an outside peer at once, and the ruleset matches tiers first.
// Sort + sweep: the tiers sorted by first address, each range finds its first candidate by binary search.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy, Tier } from '../ir/types.js';
import { lastAddress } from '../ir/ipv4.js';
import type { Check } from './check.js';

export const netOverlap: Check = {
  id: 'net-overlap',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (policy.nets.length === 0) return out;
    const tiers = policy.tiers
      .map((t) => ({ t, lo: t.subnet.base, hi: lastAddress(t.subnet.base, t.subnet.prefix) }))
      .sort((a, b) => a.lo - b.lo || a.hi - b.hi);
    // Running maximum of `hi`, so the search stays right when tiers overlap each other (an error of its own).
    const reach: number[] = [];
    for (const x of tiers) reach.push(Math.max(x.hi, reach[reach.length - 1] ?? -1));
    for (const n of policy.nets) {
      n.cidrs.forEach((c, k) => {
        const lo = c.base;
        const hi = lastAddress(c.base, c.prefix);
        let a = 0;
        let b = tiers.length;
        while (a < b) {
          const m = (a + b) >> 1;
          if (reach[m]! < lo) a = m + 1;
          else b = m;
        }
        for (let i = a; i < tiers.length && tiers[i]!.lo <= hi; i++) {
          if (tiers[i]!.hi < lo) continue;
          out.push(overlap(n.name, c.text, n.cidrSpans[k]!, tiers[i]!.t));
        }
      });
    }
    return out;
  },
};

function overlap(net: string, cidr: string, span: Diagnostic['span'], t: Tier): Diagnostic {
  return diag('net-overlaps-tier', { net, cidr, tier: t.name, subnet: t.subnet.text }, span, {
    related: [{ span: t.subnetSpan ?? t.origin.span, message: `subnet of tier '${t.name}'` }],
    hints: [`a net names addresses outside the host's tiers; to let '${t.name}' in, name the tier in the rule instead`],
  });
}
