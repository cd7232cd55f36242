// test support: large synthetic policies for the validator's timing runs (N tiers x M rules), as IR.
// Deterministic (seeded): mostly 1-2 tiers per side, tcp/udp ports, some logs, a few `any`. Not
// test/checks/gen-large.ts: its 1% any -> any rules make the backend's rules.v4 too big to build.
import type { Action, Policy, Rule, ServiceMatch, Tier } from '../../src/ir/types.js';
import { formatIpv4 } from '../../src/ir/ipv4.js';

/** Park-Miller LCG: a stable pseudo-random sequence without a dependency. */
function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

function origin(line: number) {
  return { file: 'large.policy', line, col: 1, span: { file: 'large.policy', start: 0, end: 0 } };
}

/** `tiers` tiers on 10.x.y.0/24 and `rules` rules; a few use `any` on one side. */
export function largePolicy(tiers: number, rules: number, seed = 7): Policy {
  const r = rng(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const ts: Tier[] = [];
  for (let i = 0; i < tiers; i++) {
    const base = ((10 << 24) | ((i + 1) << 8)) >>> 0;
    ts.push({
      name: `t${i}`,
      subnet: { text: `${formatIpv4(base)}/24`, base, prefix: 24 },
      gateway: formatIpv4(base + 1),
      bridge: `tw-t${i}`,
      isolated: i % 10 === 0,
      origin: origin(i + 2),
    });
  }
  const names = ts.map((t) => t.name);
  const some = (): string[] => [...new Set(Array.from({ length: 1 + pick(2) }, () => names[pick(tiers)]!))];
  const out: Rule[] = [];
  for (let index = 0; index < rules; index++) {
    const anySrc = r() < 0.0005;
    const anyDst = !anySrc && r() < 0.0005;
    const all = r() < 0.1;
    const services: ServiceMatch[] = [];
    if (!all) {
      for (let k = 1 + pick(3); k > 0; k--) {
        if (r() < 0.05) { services.push({ proto: 'icmp' }); continue; }
        const lo = 1 + pick(10000);
        services.push({ proto: r() < 0.7 ? 'tcp' : 'udp', lo, hi: r() < 0.3 ? lo + pick(100) : lo });
      }
    }
    out.push({
      index,
      action: (r() < 0.6 ? 'allow' : 'deny') as Action,
      log: r() < 0.05,
      sources: anySrc ? names : some(),
      destinations: anyDst ? names : some(),
      sourceAny: anySrc,
      destinationAny: anyDst,
      externalSources: [],
      externalDestinations: [],
      allTraffic: all,
      services,
      origin: origin(tiers + 3 + index),
    });
  }
  return { name: 'large', defaultAction: 'deny', defaultOrigin: undefined, tiers: ts, nets: [], rules: out, services: [] };
}
