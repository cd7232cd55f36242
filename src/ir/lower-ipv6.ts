// ir: lowers a tier's `ipv6 PREFIX` option. Input: the prefix as written. Output: the tier's
// Ipv6Subnet (canonical text, 32-hex-digit network address, gateway) or undefined + diagnostics.
//
// Prefix length: any up to /126 (room for the gateway and one container). tierwall does not require
// /64: Docker hands out a network's IPv6 addresses from its own IPAM, not by SLAAC, so /80 or /112
// networks work (test/docker/dual-stack.docker.test.ts runs a /112 tier on dockerd 28.5).
import type { Word } from '../syntax/ast.js';
import type { Ipv6Subnet } from './types.js';
import type { LowerContext } from './lower-context.js';
import { formatIpv6, parseIpv6Prefix, toHex6 } from './ipv6.js';

/** Longest usable prefix: /127 holds only the network address and the gateway. */
export const MAX_IPV6_PREFIX = 126;

export function lowerTierIpv6(ctx: LowerContext, tier: string, written: Word): Ipv6Subnet | undefined {
  const p = parseIpv6Prefix(written.text);
  if (!p.ok) {
    ctx.report('invalid-ipv6-prefix', { text: written.text, reason: p.reason }, written.span, {
      hints: ['write the prefix as ADDR/n, e.g. fd00:1:1::/64'],
    });
    return undefined;
  }
  if (p.hostBits) {
    ctx.report('ipv6-host-bits', { text: written.text, canonical: p.canonical }, written.span, { hints: [`write ${p.canonical}`] });
  } else if (p.nonCanonical) {
    // Only the spelling differs: the value is used as is, the canonical form is what every artifact shows.
    ctx.report('ipv6-not-canonical', { text: written.text, canonical: p.canonical }, written.span, { hints: [`write ${p.canonical}`] });
  }
  if (p.prefix > MAX_IPV6_PREFIX) {
    ctx.report('ipv6-subnet-too-small', { tier, subnet: p.canonical }, written.span, {
      hints: ['use a /64 (or at most /126)'],
    });
    return undefined;
  }
  return { text: p.canonical, hex: toHex6(p.base), prefix: p.prefix, gateway: formatIpv6(p.base + 1n) };
}
