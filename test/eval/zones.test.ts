// eval/zones.ts against the obvious address-level meaning: for random nets (overlapping, nested) and
// random addresses, the verdict through the address's zone equals first match over rules whose net
// ranges hold the address itself. Also: the zones partition the addresses outside the tiers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Evaluator } from '../../src/eval/evaluate.js';
import { zonesOf } from '../../src/eval/zones.js';
import { cidrContains, formatIpv4, parseIpv4 } from '../../src/ir/ipv4.js';
import { policy, rule, tcp, tier } from '../checks/build-ir.js';
import type { Policy } from '../../src/ir/types.js';

const BASE = parseIpv4('192.0.2.0')!; // nets are cut from 192.0.2.0/24; tiers sit elsewhere
const cidrArb = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 30 })).map(([off, prefix]) => {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${formatIpv4(((BASE + off) & mask) >>> 0)}/${prefix}`;
});
const NETS = ['n0', 'n1', 'n2', 'n3'];

const arb = fc
  .record({
    nets: fc.array(fc.array(cidrArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
    rules: fc.array(
      fc.record({
        action: fc.constantFrom('allow' as const, 'deny' as const),
        inbound: fc.boolean(),
        ends: fc.subarray([...NETS, 'world'], { minLength: 1, maxLength: 2 }),
        port: fc.integer({ min: 1, max: 4 }),
      }),
      { maxLength: 8 },
    ),
    defaultAction: fc.constantFrom('allow' as const, 'deny' as const),
  })
  .map(({ nets, rules, defaultAction }) => {
    const declared = nets.map((cidrs, i) => ({ name: NETS[i]!, cidrs }));
    const names = new Set(declared.map((n) => n.name));
    const rs = rules
      .map((r) => ({ ...r, ends: r.ends.filter((e) => e === 'world' || names.has(e)) }))
      .filter((r) => r.ends.length > 0)
      .map((r) => (r.inbound ? rule(r.action, r.ends, ['web'], [tcp(r.port)]) : rule(r.action, ['web'], r.ends, [tcp(r.port)])));
    return policy({ tiers: [tier('web', '10.9.0.0/24')], nets: declared, rules: rs, defaultAction });
  });

/** First match with the rule's nets tested on the address itself (no zones). */
function naive(p: Policy, address: number, inbound: boolean, port: number): string {
  for (const r of p.rules) {
    const ends = inbound ? r.externalSources : r.externalDestinations;
    if (ends.length === 0) continue;
    const holds = ends.some((e) => e === 'world' || p.nets.find((n) => n.name === e)!.cidrs.some((c) => cidrContains(c.base, c.prefix, address)));
    if (!holds || !r.services.some((s) => s.proto === 'tcp' && port >= s.lo && port <= s.hi)) continue;
    return r.action;
  }
  return p.defaultAction;
}

describe('external zones', () => {
  it('a flow through the zone of its address gets the verdict of the address itself', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: -16, max: 271 }), fc.boolean(), fc.integer({ min: 1, max: 5 }), (p, off, inbound, port) => {
        const address = (BASE + off) >>> 0;
        const ev = new Evaluator(p);
        const zone = ev.zoneOfAddress(formatIpv4(address))!;
        expect(ev.zones.isExternal(zone)).toBe(true);
        const flow = inbound ? { src: zone, dst: 'web', proto: 'tcp' as const, port } : { src: 'web', dst: zone, proto: 'tcp' as const, port };
        expect(ev.evaluate(flow).action).toBe(naive(p, address, inbound, port));
      }),
      { numRuns: Number(process.env.TIERWALL_FC_RUNS ?? 2000) },
    );
  });

  it('zones are disjoint, cover every address outside the tiers, and hold their representative', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const zones = zonesOf(p).external;
        let total = 0;
        const seen: [number, number][] = [];
        for (const z of zones) {
          expect(zonesOf(p).zoneOfAddress(parseIpv4(z.address)!, p)).toBe(z.name);
          for (const r of z.ranges) {
            total += r.hi - r.lo + 1;
            seen.push([r.lo, r.hi]);
          }
        }
        seen.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![1]);
        expect(total).toBe(2 ** 32 - 256); // everything but the one /24 tier
      }),
      { numRuns: Number(process.env.TIERWALL_FC_RUNS ?? 500) },
    );
  });

  it('names: world, one net, nets joined by + in declaration order', () => {
    const p = policy({ tiers: [tier('web', '10.9.0.0/24')], nets: [{ name: 'b', cidrs: ['192.0.2.0/24'] }, { name: 'a', cidrs: ['192.0.2.0/25'] }] });
    expect(zonesOf(p).external.map((z) => [z.name, z.address])).toEqual([
      ['b+a', '192.0.2.0'],
      ['b', '192.0.2.128'],
      ['world', '1.0.0.0'],
    ]);
  });
});
