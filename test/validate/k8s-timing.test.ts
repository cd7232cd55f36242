// Timing of the k8s validation against the k8s backend, on a generated policy made expressible for
// NetworkPolicy (no icmp; a rule for all traffic becomes all tcp and udp ports, so icmp/other are
// never allowed between two tiers). 100 x 1,000 always runs; 1,000 x 10,000 is opt-in (TIERWALL_BENCH=1).
import { describe, expect, it } from 'vitest';
import { generateK8s } from '../../src/backends/k8s/backend.js';
import type { Policy } from '../../src/ir/types.js';
import { validateK8s } from '../../src/validate/k8s/index.js';
import { largePolicy } from './large-policy.js';
import { fastest } from './support.js';

function expressible(p: Policy): Policy {
  const rules = p.rules.map((r) => {
    const services = r.allTraffic ? [{ proto: 'tcp' as const, lo: 1, hi: 65535 }, { proto: 'udp' as const, lo: 1, hi: 65535 }] : r.services.filter((s) => s.proto !== 'icmp');
    return { ...r, allTraffic: false, services };
  });
  return { ...p, rules: rules.filter((r) => r.services.length > 0) };
}

const OPTIONS = { namespace: 'shop', dnsEgress: true };

function measure(p: Policy, runs: number): { backend: number; validate: number; bytes: number; classes: number } {
  let out = generateK8s(p, OPTIONS);
  const backend = fastest(runs, () => (out = generateK8s(p, OPTIONS)));
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const files = new Map(out.artifacts.map((a) => [a.path, a.content]));
  let classes = 0;
  const validate = fastest(runs, () => {
    const r = validateK8s(p, files, OPTIONS);
    expect(r.ok).toBe(true);
    classes = r.ok ? r.classes : 0;
  });
  return { backend, validate, bytes: [...files.values()].reduce((n, s) => n + s.length, 0), classes };
}

const report = (label: string, m: ReturnType<typeof measure>): string =>
  `${label}: ${(m.bytes / 1e6).toFixed(1)} MB of manifests, ${m.classes} classes; backend ${m.backend.toFixed(0)} ms, validate ${m.validate.toFixed(0)} ms (CPU)`;

describe('k8s validation time', () => {
  // Speed is bench/'s job, not a test's (a CPU-time comparison with the backend broke as soon as the
  // backend got faster): this validates the large output and prints the times.
  it('100 tiers x 1,000 rules: validates (times printed)', () => {
    const m = measure(expressible(largePolicy(100, 1000)), 1);
    console.log(report('100 x 1,000', m));
    expect(m.classes).toBeGreaterThan(0);
  });

  it.runIf(process.env.TIERWALL_BENCH)('1,000 tiers x 10,000 rules', () => {
    console.log(report('1,000 x 10,000', measure(expressible(largePolicy(1000, 10_000)), 1)));
  }, 1_800_000);
});
