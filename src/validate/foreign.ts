// validate: negative space. Packets between a tier and an address in no tier (and between two such
// addresses) are not tierwall's to decide: a NEW one must fall through to Docker (RETURN).
// Input: Policy + Ruleset. Output: the foreign addresses to probe with and the uplink interface name.
import type { Policy } from '../ir/types.js';
import { formatIpv4, lastAddress, parseIpv4 } from '../ir/ipv4.js';
import type { AddrMatch, Ruleset } from './ruleset.js';

/** Documentation and public addresses: the first one outside every tier stands for "the internet". */
const CANDIDATES = ['203.0.113.7', '198.51.100.7', '192.0.2.7', '100.64.0.7', '8.8.8.8'];
const UPLINKS = ['eth0', 'ens3', 'uplink0', 'wan0'];

interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** The first address in [lo, hi] outside every tier range (sorted by lo, disjoint), if any. */
function firstOutside(tiers: readonly Range[], lo: number, hi: number): number | undefined {
  if (lo > hi) return undefined;
  // Binary search for the first tier ending at or after lo; then skip the tiers that cover the cursor.
  let a = 0;
  let b = tiers.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (tiers[mid]!.hi < lo) a = mid + 1;
    else b = mid;
  }
  let cursor = lo;
  for (let k = a; k < tiers.length && tiers[k]!.lo <= cursor; k++) cursor = tiers[k]!.hi + 1;
  return cursor <= hi ? cursor : undefined;
}

/**
 * Foreign addresses to probe with: one fixed address, plus one inside every prefix a rule names
 * (outside it, for `!`) that reaches beyond the tiers, since such a rule could decide foreign traffic
 * that the fixed address misses.
 */
export function foreignAddresses(policy: Policy, rs: Ruleset): string[] {
  const tiers = policy.tiers
    .map((t) => ({ lo: t.subnet.base, hi: lastAddress(t.subnet.base, t.subnet.prefix) }))
    .sort((a, b) => a.lo - b.lo);
  const inTier = (a: number): boolean => firstOutside(tiers, a, a) === undefined;
  const found = new Set<number>();
  const fixed = CANDIDATES.map((c) => parseIpv4(c)!).find((a) => !inTier(a));
  if (fixed !== undefined) found.add(fixed);
  // Parsed addresses are shared objects (one per distinct text), so identity finds the distinct ones.
  const seen = new Set<AddrMatch>();
  const consider = (m: AddrMatch | undefined): void => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    const last = lastAddress(m.base, m.prefix);
    const a = m.neg
      ? firstOutside(tiers, 0, m.base - 1) ?? firstOutside(tiers, last + 1, 0xffffffff)
      : firstOutside(tiers, m.base, last);
    if (a !== undefined) found.add(a);
  };
  for (const chain of rs.chains.values()) {
    for (const r of chain.rules) {
      consider(r.src);
      consider(r.dst);
    }
  }
  return [...found].map(formatIpv4);
}

/** An interface name for the host's uplink that no tier's bridge uses. */
export function uplinkName(policy: Policy): string {
  const bridges = new Set(policy.tiers.map((t) => t.bridge));
  return UPLINKS.find((u) => !bridges.has(u)) ?? `up${bridges.size}`;
}
