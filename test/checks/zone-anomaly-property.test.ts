// The anomaly checks over external zones (nets, `world`) against the evaluator: with rules from and to
// overlapping nets and `world`, a rule is reported shadowed or redundant exactly when removing it
// changes no verdict of any flow with a tier end (tier <-> tier, external zone <-> tier).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Policy, Rule, ServiceMatch } from '../../src/ir/types.js';
import { Evaluator, type FlowProto } from '../../src/eval/evaluate.js';
import { zonesOf } from '../../src/eval/zones.js';
import { ruleAnomalies } from '../../src/checks/rule-anomalies.js';
import { ruleSelf } from '../../src/checks/rule-self.js';
import { policy, rule, tier, type RuleSpec } from './build-ir.js';

const TIERS = ['a', 'b', 'c'];
// Overlapping on purpose: office contains lab's range, vpn meets office in 192.0.2.128/25.
const NETS = [
  { name: 'office', cidrs: ['192.0.2.0/24'] },
  { name: 'lab', cidrs: ['192.0.2.0/26'] },
  { name: 'vpn', cidrs: ['192.0.2.128/25', '198.51.100.0/24'] },
];
const EXTERNAL = ['office', 'lab', 'vpn', 'world'];

/** Every verdict of every flow with a tier end: zones x zones (not both external), tcp/udp 1-21, icmp, other. */
function allVerdicts(p: Policy): string[] {
  const ev = new Evaluator(p);
  const zones = [...p.tiers.map((t) => t.name), ...zonesOf(p).external.map((z) => z.name)];
  const flows: { proto: FlowProto; port?: number }[] = [{ proto: 'icmp' }, { proto: 'other' }];
  for (let port = 1; port <= 21; port++) flows.push({ proto: 'tcp', port }, { proto: 'udp', port });
  const out: string[] = [];
  for (const s of zones) {
    for (const d of zones) {
      if (ev.zones.isExternal(s) && ev.zones.isExternal(d)) continue;
      for (const f of flows) {
        const v = ev.evaluate({ src: s, dst: d, ...f });
        out.push(`${s}>${d}:${v.action}${v.log ? '+log' : ''}`);
      }
    }
  }
  return out;
}

const service: fc.Arbitrary<ServiceMatch> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 8 })).map(([lo, w]): ServiceMatch => ({ proto: 'tcp', lo, hi: Math.min(20, lo + w) })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }).map((p): ServiceMatch => ({ proto: 'udp', lo: p, hi: p })) },
);

const tiersSide = fc.oneof({ weight: 1, arbitrary: fc.constant(['any']) }, { weight: 3, arbitrary: fc.subarray(TIERS, { minLength: 1, maxLength: 2 }) });
const externalSide = fc.subarray(EXTERNAL, { minLength: 1, maxLength: 2 });
const mixedSide = fc.tuple(fc.subarray(TIERS, { minLength: 1, maxLength: 1 }), externalSide).map(([t, e]) => [...t, ...e]);

// Inbound (external -> tiers), outbound (tiers -> external), tier rules, and mixed sides.
const ruleSpec: fc.Arbitrary<RuleSpec> = fc
  .record({
    action: fc.constantFrom('allow' as const, 'deny' as const),
    shape: fc.constantFrom('in', 'out', 'tiers', 'mixed-in', 'mixed-out'),
    tiers: tiersSide,
    other: tiersSide,
    ext: externalSide,
    mixed: mixedSide,
    services: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 4, arbitrary: fc.array(service, { minLength: 1, maxLength: 2 }) }),
    log: fc.boolean(),
  })
  .map((r) => {
    const [src, dst] =
      r.shape === 'in' ? [r.ext, r.tiers]
        : r.shape === 'out' ? [r.tiers, r.ext]
          : r.shape === 'tiers' ? [r.tiers, r.other]
            : r.shape === 'mixed-in' ? [r.mixed, r.tiers]
              : [r.tiers, r.mixed];
    return rule(r.action, src, dst, r.services, { log: r.log });
  });

const arb = fc
  .record({ rules: fc.array(ruleSpec, { maxLength: 8, size: 'max' }), defaultAction: fc.constantFrom('allow' as const, 'deny' as const) })
  .map(({ rules, defaultAction }) => policy({ tiers: TIERS.map((t, i) => tier(t, `10.0.${i}.0/24`)), nets: NETS, rules, defaultAction }));

const without = (p: Policy, r: Rule): Policy => ({ ...p, rules: p.rules.filter((x) => x !== r) });

describe('anomaly detection over external zones agrees with the evaluator', () => {
  it('the zones are the ones the generator means', () => {
    const p = policy({ tiers: [tier('a', '10.0.0.0/24')], nets: NETS });
    expect(zonesOf(p).external.map((z) => z.name)).toEqual(['office+lab', 'office', 'office+vpn', 'vpn', 'world']);
  });

  it('shadowed/redundant <=> removing the rule changes no verdict (tiers, nets, world)', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const base = allVerdicts(p).join();
        const ds = [...ruleAnomalies.run(p), ...ruleSelf.run(p)];
        for (const r of p.rules) {
          const codes = ds.filter((d) => d.span === r.origin.span).map((d) => d.code);
          const removable = allVerdicts(without(p, r)).join() === base;
          const selfOnly = codes.includes('rule-matches-nothing') || codes.includes('isolated-allow');
          if (selfOnly) {
            expect(removable).toBe(true);
            continue;
          }
          const reported = codes.includes('rule-shadowed') || codes.includes('rule-redundant');
          expect(reported, `rule ${r.index}: ${codes.join(',')}`).toBe(removable);
        }
      }),
      { numRuns: Number(process.env.TIERWALL_FC_RUNS ?? 400) },
    );
  });
});
