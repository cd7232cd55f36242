// Translation validation on the real backend's output: every example policy and the backend's
// fixtures validate; class counts, negative space and benign rewrites behave as documented.
import { describe, expect, it } from 'vitest';
import { validateIptables, describeProblem, type ValidationResult } from '../../src/validate/index.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { NASTY, THREE_TIER } from '../backends/iptables/fixtures.js';
import { backendOutput, deleteLine, editLine, examplePolicies, swapWithNext } from './support.js';

function explain(r: ValidationResult): string {
  return r.ok ? 'ok' : r.problems.slice(0, 5).map(describeProblem).join('\n');
}

describe('example policies validate against the backend output', async () => {
  for (const { file, policy } of await examplePolicies()) {
    it.skipIf(typeof policy === 'string')(`policies/${file}`, () => {
      const p = policy as Exclude<typeof policy, string>;
      const { text, entry } = backendOutput(p);
      const r = validateIptables(p, text, entry);
      expect(r.ok, explain(r)).toBe(true);
    });
  }
});

describe('backend fixtures', () => {
  it('three-tier: 40 classes (3x3 pairs x 4 protocols, tcp cut at 8080 and 5432)', () => {
    const p = buildPolicy(THREE_TIER);
    const { text, entry } = backendOutput(p);
    // 9 pairs x (tcp, udp, icmp, other) = 36, plus two extra tcp pieces for each of the two port rules.
    expect(validateIptables(p, text, entry)).toEqual({ ok: true, classes: 40 });
  });

  it('nasty (default allow, any, multiport, logged allow and deny) validates', () => {
    const p = buildPolicy(NASTY);
    const { text, entry } = backendOutput(p);
    const r = validateIptables(p, text, entry);
    expect(r.ok, explain(r)).toBe(true);
  });

  it('accepts the entry rule with its DOCKER-USER prefix, and rejects one for another chain', () => {
    const p = buildPolicy(THREE_TIER);
    const { text, entry } = backendOutput(p);
    expect(validateIptables(p, text, `-I DOCKER-USER 1 ${entry}`).ok).toBe(true);
    expect(validateIptables(p, text, `-A DOCKER-USER ${entry}`).ok).toBe(true);
    const r = validateIptables(p, text, `-I FORWARD 1 ${entry}`);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatchObject({ kind: 'ruleset', line: 0, reason: expect.stringContaining('DOCKER-USER') });
  });

  it('an entry rule that jumps nowhere tierwall owns leaves everything to Docker: every flow fails', () => {
    const p = buildPolicy(THREE_TIER);
    const { text } = backendOutput(p);
    const r = validateIptables(p, text, '-i nosuchbr0 -j TW-THREE-TIER');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatchObject({
      kind: 'flow',
      actual: { verdict: 'RETURN', cause: { kind: 'end', chain: 'DOCKER-USER' } },
    });
  });
});

describe('negative space', () => {
  it('a rule that decides foreign traffic is caught, with the foreign address in the flow', () => {
    const p = buildPolicy(THREE_TIER);
    const { text, entry } = backendOutput(p);
    // Dropping the main chain's final RETURN is benign (the chain's end returns too) ...
    const benign = deleteLine(text, /^-A TW-THREE-TIER .*foreign/);
    expect(validateIptables(p, benign, entry).ok).toBe(true);
    // ... but turning it into a DROP makes tierwall decide traffic to the internet.
    const bad = editLine(text, /^-A TW-THREE-TIER .*foreign/, (l) => l.replace('-j RETURN', '-d 0.0.0.0/0 -j DROP'));
    const r = validateIptables(p, bad, entry);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatchObject({
      kind: 'flow',
      flow: { src: 'frontend', dst: '203.0.113.7', state: 'NEW', proto: 'tcp', lo: 1, hi: 65535 },
      expected: { verdict: 'RETURN', reason: { kind: 'foreign' } },
      actual: { verdict: 'DROP', cause: { kind: 'rule', rule: { chain: 'TW-THREE-TIER', num: 5 } } },
    });
  });

  it('a rule for a foreign prefix is probed inside that prefix, not just at 203.0.113.7', () => {
    const p = buildPolicy(THREE_TIER);
    const { text, entry } = backendOutput(p);
    const bad = editLine(text, /^-A TW-THREE-TIER .*foreign/, (l) => l.replace('-m comment', '-s 172.20.2.0/24 -d 192.168.0.0/16 -m comment').replace('-j RETURN', '-j ACCEPT'));
    const r = validateIptables(p, bad, entry);
    expect(!r.ok && r.problems[0]).toMatchObject({ flow: { src: 'backend', dst: '192.168.0.0' }, actual: { verdict: 'ACCEPT' } });
  });

  it('a scope that covers only part of a tier is reported as SPLIT', () => {
    const p = buildPolicy(THREE_TIER);
    const { text, entry } = backendOutput(p);
    const bad = editLine(text, /^-A TW-THREE-TIER_D -s 172\.20\.2\.0\/24/, (l) => l.replace('172.20.2.0/24', '172.20.2.0/25'));
    const r = validateIptables(p, bad, entry);
    expect(!r.ok && r.problems[0]).toMatchObject({ flow: { src: 'backend' }, actual: { verdict: 'SPLIT' } });
  });
});

describe('benign rewrites still validate', () => {
  const p = buildPolicy(NASTY);
  const { text, entry } = backendOutput(p);
  it.each([
    ['reordering disjoint destination checks', (t: string) => swapWithNext(t, /^-A TW-NASTY -d 10\.81\.1\.0/)],
    ['reordering disjoint dispatch rules', (t: string) => swapWithNext(t, /^-A TW-NASTY_D -s 10\.81\.1\.0/)],
    // web's last line to db (inline) and its line to ops.
    ['reordering lines of one source chain for different destinations', (t: string) => swapWithNext(t, /^-A TW-NASTY_S0 -s 10\.81\.1\.0\/24 -d 10\.81\.3\.0\/24 -p udp /)],
    ['reordering a jump to a pair chain and an inline line', (t: string) => swapWithNext(t, /^-A TW-NASTY_S1 -s 10\.81\.2\.0\/24 -d 10\.81\.3\.0\/24 -p udp /)],
    ['a comment line and blank lines', (t: string) => t.replace('*filter\n', '*filter\n# hand edit\n\n')],
    ['counters on a declaration', (t: string) => t.replace(':TW-NASTY - [0:0]', ':TW-NASTY - [12:3400]')],
    ['-p tcp --dport without -m tcp', (t: string) => t.replaceAll('-p tcp -m tcp --dport', '-p tcp --dport')],
    ['a NEW-only match on a verdict (every probe of the policy is NEW)', (t: string) =>
      editLine(t, /^-A TW-NASTY_S0 .*--dport 5430:5451/, (l) => l.replace('--dport 5430:5451', '--dport 5430:5451 -m conntrack --ctstate NEW'))],
  ])('%s', (_, mutate) => {
    const r = validateIptables(p, mutate(text), entry);
    expect(r.ok, explain(r)).toBe(true);
  });
});
