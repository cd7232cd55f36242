// test/bad: bugs and gaps the hostile-input suites found, each pinned by a test of the behaviour we
// want, marked `it.fails` while src/ still has the bug. When a fix lands, vitest reports the `it.fails`
// as failing: turn it into a plain `it` (and move the case into the catalogue). Each names the place in
// src/ and the smallest input found. Inputs are kept just above the trigger so the file stays fast.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, lowerPolicy, parse } from '../../src/pipeline.js';
import { compile } from '../../src/compile.js';
import { backend as iptables } from '../../src/backends/iptables/backend.js';
import { buildIptables } from '../../src/backends/iptables/model.js';
import { SourceFile } from '../../src/source/source-file.js';
import type { Policy } from '../../src/ir/types.js';
import { BIN, ROOT } from '../support/cli.js';
import { CRASH_SIGNS } from './support.js';

const codes = (text: string): string[] => analyze(new SourceFile('bug.policy', text)).diagnostics.map((d) => d.code);

/** Parse and lower only (no checks): the IR a backend would get, for texts whose checks are the slow part. */
function lowered(text: string): Policy {
  const source = new SourceFile('bug.policy', text);
  return lowerPolicy(parse(source).ast, source).policy;
}

/** CPU seconds (user + system) spent in fn. */
function cpuSeconds(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6;
}

function tiers(n: number): string {
  return Array.from({ length: n }, (_, i) => `tier t${i} 10.${i >> 8}.${i & 255}.0/24;\n`).join('');
}

/** V8's limit on spread arguments is about 125,000-130,000 with the default stack; these go past it. */
const PAST_SPREAD_LIMIT = 160_000;

// Nothing is open here now: every finding below was fixed and is kept as a regression test.
describe('crashes: an exception escapes instead of diagnostics', () => {
  // Fixed: src/syntax/tokens.ts StringLit, Identifier, Cidr, Address were `(?:a|b)*` regexps, which
  // need V8 regexp stack per repetition: a single token of about 8-10 million characters threw
  // RangeError from chevrotain's Lexer.matchLength (CLI: internal error, exit 3). They are now the
  // loops of src/syntax/token-matchers.ts (test/syntax/token-matchers.test.ts: 10 MB per token kind).
  it.each([
    ['a 10 MB string', (n: number) => `service s { image "nginx"; tiers web; env BIG "${'a'.repeat(n)}"; }\n`],
    ['a 10 MB dotted number', (n: number) => `tier web ${'1.'.repeat(n / 2)}1/24;\n`],
  ])('lexes %s without throwing (src/syntax/tokens.ts patterns)', (_what, text) => {
    expect(() => codes(text(10 * 1024 * 1024))).not.toThrow();
  });

  // src/pipeline.ts analyze: `diagnostics.push(...runChecks(policy))` spreads every check diagnostic
  // into one call (checks/registry.ts avoids exactly this). 640 tiers and one service joining them
  // all (26 KB) give 204,480 service-bridges-deny warnings: RangeError.
  it('reports more than 125,000 check diagnostics (src/pipeline.ts push(...runChecks))', () => {
    const n = 640;
    const text = `${tiers(n)}service s { image "nginx"; tiers ${Array.from({ length: n }, (_, i) => `t${i}`).join(', ')}; }\n`;
    expect(codes(text).length).toBe((n * (n - 1)) / 2);
  }, 60_000);

  // src/cli/commands/check.ts `all.push(...analyze(source).diagnostics)` (and fmt.ts, diff.ts alike):
  // a 160 KB file of '@' has 160,000 unknown-character errors; analyze returns them, the CLI then dies
  // with "internal error: Maximum call stack size exceeded", exit 3 instead of 1. (`fmt` alike.)
  it('tierwall check answers 160,000 diagnostics with exit 1 (src/cli/commands/check.ts push(...))', () => {
    const args = ['check', '--format', 'json'];
    const dir = mkdtempSync(join(tmpdir(), 'tw-bug-'));
    try {
      const file = join(dir, 'at.policy');
      writeFileSync(file, '@'.repeat(PAST_SPREAD_LIMIT));
      const r = spawnSync(process.execPath, [BIN, ...args, file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 512 * 1024 * 1024 });
      expect(r.stderr).not.toMatch(CRASH_SIGNS);
      expect(r.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('hangs: time that grows faster than the input', () => {
  // Fixed: src/ir/lower-services.ts applySetting 'env' scanned every earlier env setting: O(n^2).
  // 40,000 env settings (700 KB) took 8.8 s CPU, 10,000 about 0.7 s to lower. Env names, tmpfs paths
  // and tiers now go through Sets.
  it('lowers a service with 10,000 env settings in under 0.1 s (src/ir/lower-services.ts env)', () => {
    const env = Array.from({ length: 10_000 }, (_, i) => `  env V${i} "v";\n`).join('');
    const source = new SourceFile('bug.policy', `tier web 10.1.1.0/24;\nservice s {\n  image "nginx";\n  tiers web;\n${env}}\n`);
    const { ast } = parse(source);
    expect(cpuSeconds(() => lowerPolicy(ast, source))).toBeLessThan(0.1);
  }, 60_000);
});

describe('gaps: hostile policies that compile without a word', () => {
  // Fixed: publish-wildcard was in the code table but never emitted; src/checks/publish-wildcard.ts.
  // Since the ruleset decides who outside reaches a published port, it warns when `world` may.
  it('warns about a port published on 0.0.0.0 that world may reach (publish-wildcard is never emitted)', () => {
    expect(codes('tier web 10.1.1.0/24;\nallow world -> web tcp/80;\nservice s { image "nginx"; tiers web; publish 0.0.0.0:80 -> tcp/80; }\n')).toContain('publish-wildcard');
    expect(codes('tier web 10.1.1.0/24;\nservice s { image "nginx"; tiers web; publish 0.0.0.0:80 -> tcp/80; }\n')).not.toContain('publish-wildcard');
  });

  // Fixed: install.sh (as root) would have created a Docker bridge holding the gateway 127.0.0.1,
  // 224.0.0.1, ...: special-purpose-subnet (src/checks/tier-special-ranges.ts, RFC 6890).
  it.each(['127.0.0.0/8', '224.0.0.0/4', '169.254.0.0/16', '0.0.0.0/8', '240.0.0.0/4', '255.255.255.0/24'])(
    'refuses the special-purpose subnet %s as a tier',
    (subnet) => {
      expect(codes(`tier web ${subnet};\n`).some((c) => c !== 'docker-pool-overlap')).toBe(true);
    },
  );

  // Fixed: bridgeProblem (src/ir/validate-names.ts) checked only the syntax of an interface name, so
  // install.sh would ask Docker to create (or take over) the host's own lo, docker0 or eth0; `all` is
  // the /proc/sys/net/ipv4/conf/all knob's name. Now reserved-bridge-name (hostInterfaceProblem).
  it.each(['lo', 'docker0', 'eth0', 'all'])('refuses the host interface name %s as a bridge', (bridge) => {
    expect(codes(`tier web 10.1.1.0/24 bridge ${bridge};\n`).length).toBeGreaterThan(0);
  });

  // Fixed: src/backends/shared/names.ts mainChainName made a name longer than 16 characters
  // TW-<first 10>_<5 hex digits of FNV-1a>: 20 bits, a colliding name in about a million tries (1.6 s).
  // Installing the second policy's rules.v4 then flushed and refilled the first one's chains. Now 45
  // bits of SHA-256, and install.sh refuses a chain whose rules name another policy
  // (test/backends/installer/script.test.ts).
  it('gives two policies with different names different iptables chains (src/backends/shared/names.ts)', () => {
    const chains = (name: string) => new Set(buildIptables(lowered(`policy ${name};\ntier web 10.1.1.0/24;\ntier db 10.1.2.0/24;\nallow web -> db tcp/80;\n`)).chains.map((c) => c.name));
    const victim = chains('production-frontend');
    const shared = [...chains('production-x-0873s')].filter((c) => victim.has(c));
    expect(shared).toEqual([]);
  });

  // Tier names are Docker network names (backends/shared/network-name.ts): `host` and `none` are
  // Docker's predefined networks. compose.yml then attaches the service to the external network
  // "host" (host networking: no bridge, no DOCKER-USER), and install.sh cannot create the network.
  it.each(['host', 'none'])('refuses %s as a tier name (a Docker predefined network)', async (name) => {
    const r = await compile(new SourceFile('bug.policy', `tier ${name} 10.1.1.0/24;\nservice s { image "nginx"; tiers ${name}; }\n`));
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

// Found by these suites and fixed since (ad228f8 and the iptables model): kept as regression tests.
describe('fixed: kept as regression tests', () => {
  // src/backends/iptables/model.ts buildIptables pushed one chain per tier pair with `push(...)`: 400
  // tiers and `allow any -> any tcp/80;` (11 KB, 159,600 pair chains) threw RangeError in compile.
  it('compiles 400 tiers with an any -> any rule (iptables pair chains)', () => {
    const policy = lowered(`policy p;\n${tiers(400)}allow any -> any tcp/80;\n`);
    expect(() => iptables.generate(policy)).not.toThrow();
  }, 60_000);

  // src/ir/lower-rules.ts resolveEndpoints rebuilt the set of tier names for every rule: O(rules x
  // tiers). 5,000 tiers + 5,000 rules took 11 s of CPU, 10,000 + 10,000 68 s; now about a second.
  it('lowers 5,000 tiers and 5,000 rules in linear time (lowering resolves names)', () => {
    const n = 5_000;
    const text = `${tiers(n)}${Array.from({ length: n }, (_, i) => `allow t${i} -> t${(i + 1) % n} tcp/80;\n`).join('')}`;
    const source = new SourceFile('bug.policy', text);
    const { ast } = parse(source);
    expect(cpuSeconds(() => lowerPolicy(ast, source))).toBeLessThan(2);
  }, 60_000);
});
