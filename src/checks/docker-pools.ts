// checks: `docker-pool-overlap`. Input: the tiers. Output: one warning per tier whose subnet overlaps
// Docker's default address pools (dockerd hands these to networks created without a subnet).
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';
import { cidrsOverlap, formatIpv4, parseIpv4 } from '../ir/ipv4.js';
import type { Check } from './check.js';

interface Pool {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
}

const pool = (base: number, prefix: number): Pool => ({ text: `${formatIpv4(base)}/${prefix}`, base, prefix });

/** dockerd's built-in default-address-pools: 172.17-31.0.0/16, then 192.168.0.0/16 cut into /20s. */
export const DOCKER_DEFAULT_POOLS: readonly Pool[] = (() => {
  const out: Pool[] = [];
  for (let b = 17; b <= 31; b++) out.push(pool(parseIpv4(`172.${b}.0.0`)!, 16));
  for (let c = 0; c < 256; c += 16) out.push(pool(parseIpv4(`192.168.${c}.0`)!, 20));
  return out;
})();

export const dockerPools: Check = {
  id: 'docker-pools',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const t of policy.tiers) {
      const hits = DOCKER_DEFAULT_POOLS.filter((p) => cidrsOverlap(p, t.subnet));
      if (hits.length === 0) continue;
      // A large subnet (e.g. 172.16.0.0/12) covers many pools: name the first, count the rest.
      const more = hits.length > 1 ? ` (and ${hits.length - 1} more)` : '';
      out.push(
        diag('docker-pool-overlap', { subnet: t.subnet.text, pool: `${hits[0]!.text}${more}` }, t.subnetSpan ?? t.origin.span, {
          hints: ['use a subnet outside 172.17.0.0-172.31.255.255 and 192.168.0.0/16 (e.g. in 10.0.0.0/8), or set default-address-pools in daemon.json'],
        }),
      );
    }
    return out;
  },
};
