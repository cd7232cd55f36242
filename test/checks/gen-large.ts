// test support: a deterministic large policy for benchmarks: N tiers, M rules, mostly one tier to
// one tier, 5% with `any`, ports and ranges, some denies with log. As IR (build-ir) or policy text.
import type { Policy, ServiceMatch } from '../../src/ir/types.js';
import { policy, rule, tier, type RuleSpec } from './build-ir.js';

/** mulberry32: a small seeded PRNG, so every run benchmarks the same policy. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = [22, 53, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090];

export interface LargeSpec {
  readonly tiers: { name: string; cidr: string }[];
  readonly rules: RuleSpec[];
}

export function largeSpec(nTiers: number, nRules: number, seed = 1): LargeSpec {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const tiers = Array.from({ length: nTiers }, (_, i) => ({ name: `t${i}`, cidr: `10.${(i >> 8) & 255}.${i & 255}.0/24` }));
  const names = tiers.map((t) => t.name);
  const someTiers = (avoid?: string): string[] => {
    const k = rand() < 0.95 ? 1 : 2 + Math.floor(rand() * 2);
    const out = new Set<string>();
    while (out.size < k) {
      const t = pick(names);
      if (t !== avoid || nTiers < 2) out.add(t);
    }
    return [...out];
  };
  // `any -> any` without services would decide everything after it: such rules get ports.
  const serviceList = (allowAll: boolean): ServiceMatch[] | 'all' => {
    const x = rand();
    if (x < 0.05) return allowAll ? 'all' : [{ proto: 'icmp' }];
    if (x < 0.08) return [{ proto: 'icmp' }];
    if (x < 0.15) {
      const p = rand() < 0.5 ? pick(COMMON) : 1 + Math.floor(rand() * 10000);
      return [{ proto: 'udp', lo: p, hi: p }];
    }
    if (x < 0.3) {
      const lo = 1 + Math.floor(rand() * 10000);
      return [{ proto: 'tcp', lo, hi: lo + Math.floor(rand() * 100) }];
    }
    const p = rand() < 0.5 ? pick(COMMON) : 1 + Math.floor(rand() * 10000);
    return [{ proto: 'tcp', lo: p, hi: p }];
  };
  const rules: RuleSpec[] = [];
  for (let i = 0; i < nRules; i++) {
    let src: string[];
    let dst: string[];
    const x = rand();
    if (x < 0.02) [src, dst] = [['any'], someTiers()];
    else if (x < 0.04) [src, dst] = [someTiers(), ['any']];
    else if (x < 0.05) [src, dst] = [['any'], ['any']];
    else {
      src = someTiers();
      dst = someTiers(src[0]);
    }
    const deny = rand() < 0.2;
    const services = serviceList(!(src[0] === 'any' && dst[0] === 'any'));
    rules.push(rule(deny ? 'deny' : 'allow', src, dst, services, { log: deny && rand() < 0.4 }));
  }
  return { tiers, rules };
}

export function largePolicy(nTiers: number, nRules: number, seed = 1): Policy {
  const s = largeSpec(nTiers, nRules, seed);
  return policy({ tiers: s.tiers.map((t) => tier(t.name, t.cidr)), rules: s.rules, defaultAction: 'deny' });
}

/** The same policy as source text, for benchmarks of the whole pipeline. */
export function largePolicyText(nTiers: number, nRules: number, seed = 1): string {
  const s = largeSpec(nTiers, nRules, seed);
  const lines = [`policy bench;`];
  for (const t of s.tiers) lines.push(`tier ${t.name} ${t.cidr};`);
  for (const r of s.rules) {
    const svc = r.services === 'all' ? '' : ' ' + r.services.map((m) => (m.proto === 'icmp' ? 'icmp' : `${m.proto}/${m.lo === m.hi ? m.lo : `${m.lo}-${m.hi}`}`)).join(', ');
    lines.push(`${r.action} ${r.sources.join(', ')} -> ${r.destinations.join(', ')}${svc}${r.log ? ' log' : ''};`);
  }
  lines.push('default deny;', '');
  return lines.join('\n');
}
