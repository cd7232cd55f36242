// checks: `ipv6-special-purpose`. Input: the tiers with an IPv6 prefix. Output: one error per tier
// whose prefix overlaps an IPv6 range that is not for hosts (RFC 6890 / RFC 4291), on the prefix.
//
// Why an error, as for IPv4 (tier-special-ranges.ts): the bridge would get an address that is never
// routed to it (unspecified, loopback, link-local: the host's own on every interface), that is not
// unicast (multicast), that stands for IPv4 (mapped) or that is dropped by design (discard-only).
// Documentation (2001:db8::/32) and ULA (fc00::/7) prefixes are fine for a lab and for production.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';
import { fromHex6, parseIpv6, prefixes6Overlap } from '../ir/ipv6.js';
import type { Check } from './check.js';

interface Range6 {
  readonly text: string;
  readonly base: bigint;
  readonly prefix: number;
  readonly what: string;
}

const range = (text: string, what: string): Range6 => {
  const [addr, prefix] = text.split('/') as [string, string];
  return { text, base: parseIpv6(addr)!, prefix: Number(prefix), what };
};

/** In address order, so a prefix covering several names the lowest. */
export const SPECIAL_PURPOSE_6: readonly Range6[] = [
  range('::/128', 'the unspecified address (RFC 4291), never a destination'),
  range('::1/128', 'the loopback address (RFC 4291), never routed to a bridge'),
  range('::ffff:0:0/96', 'the IPv4-mapped range (RFC 4291), IPv4 addresses, not IPv6 hosts'),
  range('100::/64', 'the discard-only range (RFC 6666), dropped by design'),
  range('fe80::/10', 'the link-local range (RFC 4291), the host\'s own on every interface'),
  range('ff00::/8', 'the multicast range (RFC 4291), not host addresses'),
];

export const ipv6SpecialRanges: Check = {
  id: 'ipv6-special-ranges',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const t of policy.tiers) {
      if (t.ipv6 === undefined) continue;
      const own = { base: fromHex6(t.ipv6.hex), prefix: t.ipv6.prefix };
      const hit = SPECIAL_PURPOSE_6.find((r) => prefixes6Overlap(r, own));
      if (!hit) continue;
      out.push(
        diag('ipv6-special-purpose', { subnet: t.ipv6.text, range: hit.text, what: hit.what }, t.ipv6Span ?? t.origin.span, {
          hints: ['use a unique local prefix (RFC 4193), e.g. a /64 in fd00::/8, or a global prefix routed to the host'],
        }),
      );
    }
    return out;
  },
};
