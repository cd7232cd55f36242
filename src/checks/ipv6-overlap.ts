// checks: `ipv6-overlap`. Input: the tiers with an IPv6 prefix. Output: one error per tier whose
// prefix overlaps the prefix of a tier declared before it, like cidr-overlap (tier-overlap.ts).
//
// Why an error: Docker refuses a network whose IPv6 subnet overlaps another's, and rules.v6 tells
// tiers apart by -s/-d prefix, exactly as rules.v4 does.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy, Tier } from '../ir/types.js';
import { fromHex6, lastAddress6 } from '../ir/ipv6.js';
import type { Check } from './check.js';
import { earliestOverlappingPrefixes, overlapPairs } from './tier-overlap.js';

type DualStack = Tier & { readonly ipv6: NonNullable<Tier['ipv6']> };

export const ipv6Overlap: Check = {
  id: 'ipv6-overlap',
  run(policy: Policy): Diagnostic[] {
    const tiers = policy.tiers.filter((t): t is DualStack => t.ipv6 !== undefined);
    const earliest = earliestOverlappingPrefixes(
      tiers.map((t) => {
        const base = fromHex6(t.ipv6.hex);
        return { base, last: lastAddress6(base, t.ipv6.prefix), prefix: t.ipv6.prefix };
      }),
    );
    return overlapPairs(tiers, earliest).map(([t, u]) =>
      diag('ipv6-overlap', { subnet: t.ipv6.text, tier: t.name, other: u.ipv6.text, otherTier: u.name }, t.ipv6Span ?? t.origin.span, {
        related: [{ span: u.ipv6Span ?? u.origin.span, message: `tier '${u.name}' declared here with ${u.ipv6.text}` }],
        hints: ['give each tier its own IPv6 prefix, e.g. one /64 per tier out of a ULA /48 (fdXX:XXXX:XXXX::/48)'],
      }),
    );
  },
};
