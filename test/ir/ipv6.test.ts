// IPv6 arithmetic (src/ir/ipv6.ts): strict parsing, RFC 5952 text against its own examples and
// against Node's URL serialiser (an independent RFC 5952 implementation), and prefix maths.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv6, fromHex6, lastAddress6, mask6, parseIpv6, parseIpv6Prefix, prefixes6Overlap, toHex6 } from '../../src/ir/ipv6.js';

const ADDR = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
// Addresses with long zero runs are where the `::` choice matters: build them group by group.
const GROUPY = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
  .map((gs) => gs.reduce((v, g) => (v << 16n) | BigInt(g), 0n));

describe('parseIpv6', () => {
  it.each([
    ['::', 0n], ['::1', 1n], ['1::', 1n << 112n], ['fd00:1:1::', 0xfd00_0001_0001n << 80n],
    ['FD00:0001:0:0:0:0:0:1', (0xfd00_0001n << 96n) | 1n], ['1:2:3:4:5:6:7:8', 0x0001_0002_0003_0004_0005_0006_0007_0008n],
    ['1:2:3:4:5:6:7::', 0x0001_0002_0003_0004_0005_0006_0007_0000n], ['::2:3:4:5:6:7:8', 0x0000_0002_0003_0004_0005_0006_0007_0008n],
  ])('%s', (text, value) => {
    expect(parseIpv6(text)).toBe(value);
  });

  it.each(['', ':', ':::', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', ':1::', '1::2:', '::ffff:1.2.3.4'])(
    'refuses %j', (text) => {
      expect(parseIpv6(text)).toBeUndefined();
    },
  );
});

describe('formatIpv6 (RFC 5952)', () => {
  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs (4.2.3)
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group is not shortened (4.2.2)
    ['2001:0db8::0001', '2001:db8::1'], // leading zeros (4.1)
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'], // the longest run (4.2.3)
    ['2001:DB8::ABCD', '2001:db8::abcd'], // lowercase (4.3)
    ['0:0:0:0:0:0:0:0', '::'],
  ])('%s -> %s', (text, canonical) => {
    expect(formatIpv6(parseIpv6(text)!)).toBe(canonical);
  });

  it('agrees with the WHATWG URL serialiser and round-trips', () => {
    fc.assert(fc.property(fc.oneof(ADDR, GROUPY), (v) => {
      const text = formatIpv6(v);
      expect(parseIpv6(text)).toBe(v);
      expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
    }), { numRuns: 3000 });
  });
});

describe('prefixes', () => {
  it('parses, masks and reports host bits and spelling', () => {
    expect(parseIpv6Prefix('fd00:1:1::/64')).toMatchObject({ ok: true, prefix: 64, canonical: 'fd00:1:1::/64', hostBits: false, nonCanonical: false });
    expect(parseIpv6Prefix('fd00:1:1::5/64')).toMatchObject({ ok: true, canonical: 'fd00:1:1::/64', hostBits: true });
    expect(parseIpv6Prefix('FD00:0001:1::/64')).toMatchObject({ ok: true, canonical: 'fd00:1:1::/64', hostBits: false, nonCanonical: true });
    expect(parseIpv6Prefix('fd00::/064')).toMatchObject({ ok: false });
    expect(parseIpv6Prefix('fd00::/129')).toMatchObject({ ok: false, reason: 'prefix length must be 0-128' });
    expect(parseIpv6Prefix('fd00::')).toMatchObject({ ok: false, reason: 'missing /prefix' });
  });

  it('masks, last addresses and overlap agree with a per-bit definition', () => {
    fc.assert(fc.property(ADDR, fc.integer({ min: 0, max: 128 }), ADDR, fc.integer({ min: 0, max: 128 }), (a, p, b, q) => {
      const bits = (x: bigint): string => x.toString(2).padStart(128, '0');
      expect(bits(mask6(p))).toBe('1'.repeat(p) + '0'.repeat(128 - p));
      const base = a & mask6(p);
      expect(bits(lastAddress6(base, p))).toBe(bits(a).slice(0, p) + '1'.repeat(128 - p));
      const m = Math.min(p, q);
      expect(prefixes6Overlap({ base, prefix: p }, { base: b & mask6(q), prefix: q })).toBe(bits(a).slice(0, m) === bits(b).slice(0, m));
      expect(fromHex6(toHex6(a))).toBe(a);
      expect(toHex6(a)).toMatch(/^[0-9a-f]{32}$/);
    }), { numRuns: 2000 });
  });
});
