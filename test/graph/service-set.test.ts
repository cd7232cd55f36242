// graph: service sets and their summaries; checked against the evaluator on every sample flow.
import { describe, expect, it, test } from 'vitest';
import fc from 'fast-check';
import { Evaluator } from '../../src/eval/evaluate.js';
import { decideAllClasses } from '../../src/eval/flow-classes.js';
import { classesByPair } from '../../src/graph/model.js';
import { complementSet, EMPTY_SET, FULL_SET, serviceSetOf, setContains, summarizeSet, type ServiceSet } from '../../src/graph/service-set.js';
import { mixed, policy, sampleFlows, threeTier, tier } from './fixtures.js';

const set = (s: Partial<ServiceSet>): ServiceSet => ({ ...EMPTY_SET, ...s });

describe('summarizeSet', () => {
  test.each([
    [FULL_SET, 'all'],
    [EMPTY_SET, ''],
    [set({ tcp: [{ lo: 8080, hi: 8080 }], udp: [{ lo: 53, hi: 53 }] }), 'tcp/8080, udp/53'],
    [set({ tcp: [{ lo: 1, hi: 65535 }], icmp: true }), 'tcp, icmp'],
    [set({ tcp: [{ lo: 80, hi: 80 }, { lo: 443, hi: 443 }], other: true }), 'tcp/80, tcp/443, other'],
    [complementSet(set({ tcp: [{ lo: 22, hi: 22 }] })), 'all except tcp/22'],
    [complementSet(set({ icmp: true, other: true })), 'tcp, udp'],
  ])('%j -> %s', (s, text) => {
    expect(summarizeSet(s)).toBe(text);
  });

  test('complement twice is the identity', () => {
    const s = set({ tcp: [{ lo: 1, hi: 21 }, { lo: 23, hi: 100 }], udp: [{ lo: 65535, hi: 65535 }], other: true });
    expect(complementSet(complementSet(s))).toEqual(s);
  });
});

describe('serviceSetOf agrees with the evaluator', () => {
  const withOverlap = policy('ovl', 'deny', [tier('a', '10.0.1.0/24'), tier('b', '10.0.2.0/24')], [
    { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/100-200', 'tcp/150-300', 'udp/53', 'icmp'] },
    { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/301-400'] }, // adjacent: merges with 100-300
    { action: 'allow', from: '*', to: '*', services: ['tcp/22'] },
  ]);

  test.each([threeTier, mixed, withOverlap])('$name: allowed and denied sets of every pair', (p) => {
    const ev = new Evaluator(p);
    for (const pair of classesByPair(decideAllClasses(p)).values()) {
      const allowed = serviceSetOf(pair, (c) => c.verdict.action === 'allow');
      const denied = serviceSetOf(pair, (c) => c.verdict.action === 'deny');
      expect(denied).toEqual(complementSet(allowed));
      for (const f of sampleFlows(p, pair[0]!.src, pair[0]!.dst)) {
        expect([f, setContains(allowed, f.proto, f.port)]).toEqual([f, ev.evaluate(f).action === 'allow']);
      }
    }
  });

  test('overlapping and adjacent intervals are merged', () => {
    const pair = classesByPair(decideAllClasses(withOverlap)).get('a\nb')!;
    expect(summarizeSet(serviceSetOf(pair, (c) => c.verdict.action === 'allow'))).toBe('tcp/22, tcp/100-400, udp/53, icmp');
  });
});

describe('summarizeSet picks the shorter list', () => {
  // The definition it replaced: write both lists, keep the shorter ("all except" only when strictly shorter).
  const reference = (x: ServiceSet): string => {
    const items = (y: ServiceSet): string[] => {
      const proto = (p: 'tcp' | 'udp', ivs: ServiceSet['tcp']): string[] =>
        ivs.length === 1 && ivs[0]!.lo === 1 && ivs[0]!.hi === 65535 ? [p] : ivs.map((iv) => `${p}/${iv.lo === iv.hi ? iv.lo : `${iv.lo}-${iv.hi}`}`);
      return [...proto('tcp', y.tcp), ...proto('udp', y.udp), ...(y.icmp ? ['icmp'] : []), ...(y.other ? ['other'] : [])];
    };
    const members = items(x);
    const missing = items(complementSet(x));
    if (members.length === 0) return '';
    if (missing.length === 0) return 'all';
    return missing.length < members.length ? `all except ${missing.join(', ')}` : members.join(', ');
  };
  const ports = fc.array(fc.oneof(fc.constantFrom(1, 2, 65534, 65535), fc.integer({ min: 1, max: 65535 })), { maxLength: 8 }).map((ps) => {
    const sorted = [...new Set(ps)].sort((a, b) => a - b);
    const out: { lo: number; hi: number }[] = [];
    for (let k = 0; k + 1 < sorted.length; k += 2) if (!out.length || sorted[k]! > out[out.length - 1]!.hi + 1) out.push({ lo: sorted[k]!, hi: sorted[k + 1]! });
    return out;
  });
  it('as writing both lists would', () => {
    fc.assert(
      fc.property(ports, ports, fc.boolean(), fc.boolean(), (tcp, udp, icmp, other) => {
        const x: ServiceSet = { tcp, udp, icmp, other };
        expect(summarizeSet(x)).toBe(reference(x));
      }),
      { numRuns: 3000 },
    );
  });
});
