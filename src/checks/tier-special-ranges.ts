// checks: `special-purpose-subnet`. Input: the tiers. Output: one error per tier whose subnet overlaps
// an IPv4 range that is not for hosts (RFC 6890), on the subnet.
//
// Why an error: install.sh would ask Docker for a bridge holding e.g. 127.0.0.1 or 224.0.0.1 as its
// gateway. Loopback and "this network" addresses are never routed to a bridge, link-local is the
// host's (and cloud metadata's, 169.254.169.254), multicast and the reserved block (with the limited
// broadcast 255.255.255.255) are not unicast host addresses: the tier could not work as written, or
// would shadow the host's own use of the range.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';
import { cidrsOverlap, parseIpv4 } from '../ir/ipv4.js';
import type { Check } from './check.js';

interface Range {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
  readonly what: string;
}

const range = (text: string, what: string): Range => {
  const [addr, prefix] = text.split('/') as [string, string];
  return { text, base: parseIpv4(addr)!, prefix: Number(prefix), what };
};

/** In address order, so a subnet covering several names the lowest. */
export const SPECIAL_PURPOSE: readonly Range[] = [
  range('0.0.0.0/8', '"this network" (RFC 791), never a destination'),
  range('127.0.0.0/8', 'the loopback range (RFC 1122), never routed to a bridge'),
  range('169.254.0.0/16', 'the link-local range (RFC 3927), used by the host itself (and cloud metadata services)'),
  range('224.0.0.0/4', 'the multicast range (RFC 5771), not host addresses'),
  range('240.0.0.0/4', 'the reserved range (RFC 1112) with the limited broadcast 255.255.255.255, not host addresses'),
];

export const tierSpecialRanges: Check = {
  id: 'tier-special-ranges',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const t of policy.tiers) {
      const hit = SPECIAL_PURPOSE.find((r) => cidrsOverlap(r, t.subnet));
      if (!hit) continue;
      out.push(
        diag('special-purpose-subnet', { subnet: t.subnet.text, range: hit.text, what: hit.what }, t.subnetSpan ?? t.origin.span, {
          hints: ['use a private range (RFC 1918) outside Docker\'s default pools, e.g. a /24 in 10.0.0.0/8'],
        }),
      );
    }
    return out;
  },
};
