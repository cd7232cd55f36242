// Lowering of the tier option `ipv6 PREFIX`: diagnostics by code and the text under their span,
// and the Ipv6Subnet the IR keeps.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/pipeline.js';

const diags = (text: string): [string, string, string][] =>
  analyzeText('t.policy', text).diagnostics.map((d) => [d.code, d.severity, d.span ? text.slice(d.span.start, d.span.end) : '']);

describe('tier ipv6 option', () => {
  it('keeps the canonical prefix, its hex network address and the gateway', () => {
    const p = analyzeText('t.policy', 'tier a 10.1.0.0/24 ipv6 fd00:1:1::/64 isolated;\ntier b 10.2.0.0/24;').policy;
    expect(p.tiers[0]!.ipv6).toEqual({ text: 'fd00:1:1::/64', hex: 'fd000001000100000000000000000000', prefix: 64, gateway: 'fd00:1:1::1' });
    expect(p.tiers[0]!.isolated).toBe(true);
    expect(p.tiers[1]!.ipv6).toBeUndefined();
  });

  it.each<[string, [string, string, string][]]>([
    ['tier a 10.1.0.0/24 ipv6 fd00::1::/64;', [['invalid-ipv6-prefix', 'error', 'fd00::1::/64']]],
    ['tier a 10.1.0.0/24 ipv6 fd00::/129;', [['invalid-ipv6-prefix', 'error', 'fd00::/129']]],
    ['tier a 10.1.0.0/24 ipv6 12345::/64;', [['invalid-ipv6-prefix', 'error', '12345::/64']]],
    ['tier a 10.1.0.0/24 ipv6 fd00:1:1::9/64;', [['ipv6-host-bits', 'error', 'fd00:1:1::9/64']]],
    ['tier a 10.1.0.0/24 ipv6 FD00:0:0:1::/64;', [['ipv6-not-canonical', 'warning', 'FD00:0:0:1::/64']]],
    ['tier a 10.1.0.0/24 ipv6 fd00::/127;', [['ipv6-subnet-too-small', 'error', 'fd00::/127']]],
    ['tier a 10.1.0.0/24 ipv6 fd00::/126;', []],
    ['tier a 10.1.0.0/24 ipv6 fd00::/64 ipv6 fd01::/64;', [['syntax-error', 'error', 'ipv6 fd01::/64']]],
  ])('%s', (text, expected) => {
    expect(diags(text)).toEqual(expected);
  });

  it('the canonical form is suggested for a non-canonical spelling', () => {
    const d = analyzeText('t.policy', 'tier a 10.1.0.0/24 ipv6 fd00:0000:0:1::/64;').diagnostics[0]!;
    expect(d.message).toBe("'fd00:0000:0:1::/64' is written as fd00:0:0:1::/64 in canonical form");
  });
});

describe('ipv6 checks', () => {
  it('ipv6-overlap: on the later tier, the earliest overlapping one related, whichever is larger', () => {
    const text = 'tier a 10.1.0.0/24 ipv6 fd00:1:1::/80;\ntier b 10.2.0.0/24 ipv6 fd00:1::/32;\ntier c 10.3.0.0/24 ipv6 fd00:2::/64;\ntier d 10.4.0.0/24 ipv6 fd00:1:1::/64;';
    const ds = analyzeText('t.policy', text).diagnostics;
    expect(ds.map((d) => [d.code, text.slice(d.span!.start, d.span!.end), text.slice(d.related[0]!.span.start, d.related[0]!.span.end)])).toEqual([
      ['ipv6-overlap', 'fd00:1::/32', 'fd00:1:1::/80'],
      ['ipv6-overlap', 'fd00:1:1::/64', 'fd00:1:1::/80'],
    ]);
  });

  it('tiers without an IPv6 prefix take no part; equal IPv4-only tiers are still cidr-overlap', () => {
    expect(diags('tier a 10.1.0.0/24 ipv6 fd00::/64;\ntier b 10.2.0.0/24;\ntier c 10.3.0.0/24 ipv6 fd01::/64;')).toEqual([]);
  });

  it.each([
    // ::/128 and ::1/128 themselves are ipv6-subnet-too-small: a usable prefix holding one names it.
    ['::/126', '::/128'], ['::/112', '::/128'], ['::ffff:a00:0/120', '::ffff:0:0/96'], ['100::/64', '100::/64'],
    ['fe80::/64', 'fe80::/10'], ['febf:1::/64', 'fe80::/10'], ['ff02::/64', 'ff00::/8'], ['::/0', '::/128'],
  ])('ipv6-special-purpose: %s overlaps %s', (prefix, range) => {
    const ds = analyzeText('t.policy', `tier a 10.1.0.0/24 ipv6 ${prefix};`).diagnostics.filter((d) => d.code === 'ipv6-special-purpose');
    expect(ds.map((d) => d.message.split(' overlaps ')[1]!.split(',')[0])).toEqual([range]);
  });

  it.each(['fd00::/64', '2001:db8::/64', 'fec0::/64',  '::4/126', 'fe00::/64'])('%s is not special', (prefix) => {
    expect(analyzeText('t.policy', `tier a 10.1.0.0/24 ipv6 ${prefix};`).diagnostics.filter((d) => d.code === 'ipv6-special-purpose')).toEqual([]);
  });
});
