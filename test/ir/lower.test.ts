// Lowering tests: every diagnostic of AST -> IR, asserted by code and by the exact text its span covers.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/pipeline.js';
import { lowerPolicy, nameFromFile } from '../../src/ir/lower.js';
import { parse } from '../../src/syntax/parse.js';
import { SourceFile } from '../../src/source/source-file.js';

const TIERS = 'tier a 10.1.0.0/24;\ntier b 10.2.0.0/24;\n';

/** Lowering diagnostics only, as [code, the source text under the span]. */
function lowered(text: string): [string, string][] {
  const source = new SourceFile('t.policy', text);
  const parsed = parse(source);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error'), 'the test input must parse').toEqual([]);
  return lowerPolicy(parsed.ast, source).diagnostics.map((d) => [d.code, d.span ? text.slice(d.span.start, d.span.end) : '']);
}

describe('tiers', () => {
  it.each<[string, [string, string][]]>([
    ['tier a 10.1.0.0/24;\ntier a 10.2.0.0/24;', [['duplicate-tier', 'a']]],
    ['tier a 10.1.0.0/24 bridge br0;\ntier b 10.2.0.0/24 bridge br0;', [['duplicate-bridge', 'br0']]],
    ['tier a 10.1.0.5/24;', [['cidr-host-bits', '10.1.0.5/24']]],
    ['tier a 10.1.0.0/33;', [['invalid-cidr', '10.1.0.0/33']]],
    ['tier a 10.1.0.256/24;', [['invalid-cidr', '10.1.0.256/24']]],
    ['tier a 010.1.0.0/24;', [['invalid-cidr', '010.1.0.0/24']]],
    ['tier a 10.1.0.0/24 gateway 10.1.0.300;', [['invalid-address', '10.1.0.300']]],
    ['tier Web 10.1.0.0/24;', [['invalid-name', 'Web']]],
    ['tier a 10.1.0.0/24 bridge this-is-too-long-for-linux;', [['invalid-bridge-name', 'this-is-too-long-for-linux']]],
  ])('%s', (text, expected) => {
    expect(lowered(text)).toEqual(expected);
  });

  it('the default gateway is the first host address and the default bridge fits 15 bytes', () => {
    const p = analyzeText('t.policy', 'tier a-very-long-tier-name 10.9.8.0/24;').policy;
    expect(p.tiers[0]).toMatchObject({ gateway: '10.9.8.1', bridge: 'tw-a-very-long-' .replace(/-$/, '') });
    expect(Buffer.byteLength(p.tiers[0]!.bridge)).toBeLessThanOrEqual(15);
  });

  it("a bridge name with a trailing '+' never gets through", () => {
    expect(analyzeText('t.policy', 'tier a 10.1.0.0/24 bridge br+;').diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('a canonical suggestion is given for host bits', () => {
    const d = analyzeText('t.policy', 'tier a 10.1.0.5/24;').diagnostics.find((x) => x.code === 'cidr-host-bits');
    expect(d?.message).toContain('10.1.0.0/24');
  });
});

describe('rules', () => {
  it('unknown tiers get a did-you-mean', () => {
    const a = analyzeText('t.policy', 'tier frontend 10.1.0.0/24;\ntier backend 10.2.0.0/24;\nallow frontnd -> backend tcp/80;');
    const d = a.diagnostics.find((x) => x.code === 'unknown-tier');
    expect(d?.message).toBe("unknown tier 'frontnd'; did you mean 'frontend'?");
    expect(a.source.text.slice(d!.span!.start, d!.span!.end)).toBe('frontnd');
  });
  it.each<[string, [string, string][]]>([
    [`${TIERS}allow a -> b tcp/0;`, [['port-out-of-range', 'tcp/0']]],
    [`${TIERS}allow a -> b tcp/65536;`, [['port-out-of-range', 'tcp/65536']]],
    [`${TIERS}allow a -> b udp/90-80;`, [['port-range-reversed', 'udp/90-80']]],
    [`${TIERS}allow a -> c;`, [['unknown-tier', 'c']]],
    [`${TIERS}default deny;\ndefault allow;`, [['duplicate-default', 'default allow;']]],
    [`policy x;\npolicy y;\n${TIERS}`, [['duplicate-policy', 'policy y;']]],
  ])('%s', (text, expected) => {
    expect(lowered(text)).toEqual(expected);
  });
  it('a tier with a broken subnet is not reported again as unknown', () => {
    expect(lowered('tier a 10.1.0.0/99;\ntier b 10.2.0.0/24;\nallow a -> b;').map((x) => x[0])).toEqual(['invalid-cidr']);
  });
  it('any expands to every tier, in declaration order', () => {
    const p = analyzeText('t.policy', `${TIERS}tier c 10.3.0.0/24;\nallow any -> c tcp/1;`).policy;
    expect(p.rules[0]).toMatchObject({ sources: ['a', 'b', 'c'], sourceAny: true, destinations: ['c'], destinationAny: false });
  });
});

describe('services', () => {
  const svc = (body: string) => `${TIERS}service s {\n${body}\n}`;
  it.each<[string, [string, string][]]>([
    ['image "nginx:1";\ntiers a;', []],
    ['image "Nginx Latest";\ntiers a;', [['invalid-image', '"Nginx Latest"']]],
    ['image "x";\ntiers a;\nimage "y";', [['duplicate-setting', 'image']]],
    // The unknown tier is the problem; no second error about the service joining nothing.
    ['image "x";\ntiers z;', [['unknown-tier', 'z']]],
    ['image "x";', [['service-no-tier', 's']]],
    ['tiers a;', [['invalid-setting', 's']]],
    ['image "x";\ntiers a;\nimag "y";', [['unknown-setting', 'imag']]],
    ['image "x";\ntiers a;\nuser "root; rm -rf /";', [['invalid-user', '"root; rm -rf /"']]],
    ['image "x";\ntiers a;\ncap_add SYS_FOO;', [['invalid-capability', 'SYS_FOO']]],
    ['image "x";\ntiers a;\ntmpfs "relative";', [['invalid-path', '"relative"']]],
    ['image "x";\ntiers a;\ntmpfs "/x:exec";', [['invalid-path', '"/x:exec"']]],
    ['image "x";\ntiers a;\ntmpfs "/a/../etc";', [['invalid-path', '"/a/../etc"']]],
    ['image "x";\ntiers a;\nenv bad-name "v";', [['invalid-env', 'bad-name']]],
    ['image "x";\ntiers a;\nenv A "v";\nenv A "w";', [['duplicate-setting', 'A']]],
    ['image "x";\ntiers a;\naddress b 10.2.0.9;', [['address-tier-not-joined', 'address b 10.2.0.9;']]],
    ['image "x";\ntiers a;\npublish 127.0.0.1:70000 -> tcp/80;', [['port-out-of-range', '70000']]],
    ['image "x";\ntiers a;\nwritable 1;', [['invalid-setting', 'writable 1;']]],
  ])('%s', (body, expected) => {
    const got = lowered(svc(body));
    if (expected[0]?.[0] === 'invalid-setting' && expected[0][1] === 's') {
      expect(got.map((x) => x[0])).toEqual(['invalid-setting']);
      return;
    }
    expect(got).toEqual(expected);
  });
  it('lowers the seed services with hardening on by default', () => {
    const p = analyzeText('t.policy', svc('image "nginx:1.27";\ntiers a;\naddress a 10.1.0.10;\npublish 0.0.0.0:80 -> tcp/80;\ncap_add CAP_NET_BIND_SERVICE;\ntmpfs "/tmp:size=64m,noexec";')).policy;
    expect(p.services[0]).toMatchObject({
      image: 'nginx:1.27', tiers: ['a'], addresses: [{ tier: 'a', address: '10.1.0.10' }],
      publish: [{ hostAddress: '0.0.0.0', hostPort: 80, proto: 'tcp', containerPort: 80 }],
      capAdd: ['NET_BIND_SERVICE'], readOnly: true, tmpfs: ['/tmp:size=64m,noexec'],
    });
  });
});

describe('policy name', () => {
  it.each([
    ['policies/prod.policy', 'prod'],
    ['x/My Policy.v2.policy', 'my-policy-v2'],
    ['123.policy', 'policy'],
    ['<stdin>', 'stdin'],
  ])('%s -> %s', (file, name) => {
    expect(nameFromFile(file)).toBe(name);
  });
});
