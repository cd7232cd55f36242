// Targeted tests of the iptables ruleset structure (no goldens, no simulation: the kernel test
// judges semantics). Input: hand-built IR. Checks: dispatch layout, LOG placement, scoping, comments.
import { describe, expect, it } from 'vitest';
import { buildIptables, quoted } from '../../../src/backends/iptables/model.js';
import type { IptablesModel } from '../../../src/backends/iptables/model-types.js';
import { MAX_LOG_PREFIX, mainChainName } from '../../../src/backends/shared/names.js';
import { buildPolicy, type PolicySpec } from './build-ir.js';
import { NASTY, THREE_TIER } from './fixtures.js';
import { parseRule } from './rule-text.js';

/** 12 tiers, rules with any, logs, overlapping ranges, many ports: structure invariants at scale. */
const WIDE: PolicySpec = {
  name: 'wide',
  tiers: Array.from({ length: 12 }, (_, i) => ({ name: `t${i}`, subnet: `10.9.${i}.0/24`, isolated: i % 5 === 0 })),
  rules: [
    { action: 'deny', from: ['t1', 't2'], to: 'any', services: ['tcp/22', 'udp/1-100', 'icmp'], log: true },
    { action: 'allow', from: 'any', to: ['t3'], services: Array.from({ length: 40 }, (_, k) => `tcp/${1000 + 3 * k}`) },
    { action: 'allow', from: ['t4'], to: ['t5', 't6'], log: true },
    { action: 'deny', from: 'any', to: 'any', services: ['tcp/8000-8100', 'tcp/8050-8200'] },
  ],
};

const SPECS = { 'three-tier': THREE_TIER, nasty: NASTY, wide: WIDE };
const models = Object.entries(SPECS).map(([k, s]) => [k, s, buildIptables(buildPolicy(s))] as const);

function allRules(m: IptablesModel): { chain: string; text: string }[] {
  return m.chains.flatMap((c) => c.rules.map((text) => ({ chain: c.name, text })));
}

describe.each(models)('%s', (_name, spec, m) => {
  const policy = buildPolicy(spec);
  const T = policy.tiers.length;

  it('starts the main chain with the conntrack accept, dispatches by source, then returns', () => {
    expect(m.mainChain).toBe(mainChainName(spec.name));
    expect(m.chains[0]!.name).toBe(m.mainChain);
    const main = m.chains[0]!.rules.map(parseRule);
    expect(main[0]).toMatchObject({ conntrack: true, target: 'ACCEPT' });
    expect(m.chains[0]!.rules[0]).toMatch(/^-m conntrack --ctstate RELATED,ESTABLISHED /);
    expect(main.slice(1, -1).map((r) => r.src)).toEqual(policy.tiers.map((t) => t.subnet.text));
    expect(main.at(-1)).toMatchObject({ match: '', target: 'RETURN' });
    expect(main).toHaveLength(T + 2);
  });

  it('decides each destination tier once per source chain and returns for the rest', () => {
    for (const [i, src] of policy.tiers.entries()) {
      const chain = m.chains.find((c) => c.name === main(m).rules[i + 1]!.split('-j ')[1])!;
      const rules = chain.rules.map(parseRule);
      expect(rules.slice(0, -1).map((r) => [r.src, r.dst])).toEqual(policy.tiers.map((d) => [src.subnet.text, d.subnet.text]));
      expect(rules.at(-1)).toMatchObject({ match: '', target: 'RETURN' });
      // Intra-tier: isolation alone decides.
      expect(rules[i]!.target).toBe(src.isolated ? 'DROP' : 'ACCEPT');
    }
  });

  it('references every chain exactly once and declares every target chain', () => {
    const names = new Set(m.chains.map((c) => c.name));
    const jumps = allRules(m).map((r) => parseRule(r.text).target).filter((t) => t.startsWith('TW-'));
    expect(new Set(jumps).size).toBe(jumps.length);
    expect(new Set([m.mainChain, ...jumps])).toEqual(names);
  });

  it('scopes every verdict: each DROP and ACCEPT (but the conntrack one) has -s and -d', () => {
    for (const { text } of allRules(m)) {
      const r = parseRule(text);
      if (r.target !== 'DROP' && r.target !== 'ACCEPT') continue;
      if (r.conntrack) continue;
      expect(r.src, text).toBeDefined();
      expect(r.dst, text).toBeDefined();
    }
  });

  it('puts a rate-limited LOG right before a verdict with the same match and comment', () => {
    for (const c of m.chains) {
      c.rules.forEach((text, k) => {
        const r = parseRule(text);
        if (r.target !== 'LOG') return;
        const next = parseRule(c.rules[k + 1] ?? '');
        expect(['DROP', 'ACCEPT']).toContain(next.target);
        expect(next.match).toBe(r.match);
        expect(next.comment).toBe(r.comment);
        expect(text).toContain('-m limit --limit 10/min --limit-burst 20');
        expect(r.logPrefix!.length).toBeLessThanOrEqual(MAX_LOG_PREFIX);
        expect(r.logPrefix!.endsWith(' ')).toBe(true);
      });
    }
  });

  it('logs exactly the logged rules, one prefix per rule', () => {
    const byComment = new Map<string, Set<string>>();
    for (const { text } of allRules(m)) {
      const r = parseRule(text);
      if (r.target === 'LOG') (byComment.get(r.comment!) ?? byComment.set(r.comment!, new Set()).get(r.comment!)!).add(r.logPrefix!);
    }
    expect([...byComment.values()].every((s) => s.size === 1)).toBe(true);
    const prefixes = [...byComment.values()].map((s) => [...s][0]);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(byComment.size).toBe(policy.rules.filter((r) => r.log).length);
  });

  it('comments every rule with policy-derived text', () => {
    for (const { text } of allRules(m)) expect(parseRule(text).comment, text).toMatch(new RegExp(`^${spec.name}:[a-z0-9:-]+$`, 'i'));
    expect(m.entryRule).toBe(`-m comment --comment "tierwall:${spec.name}" -j ${m.mainChain}`);
  });

  it('keeps multiport within 15 slots', () => {
    for (const { text } of allRules(m)) {
      const r = parseRule(text);
      if (!text.includes('--dports')) continue;
      const slots = r.dports!.reduce((n, iv) => n + (iv.lo === iv.hi ? 1 : 2), 0);
      expect(slots).toBeLessThanOrEqual(15);
      expect(r.dports!.length).toBeGreaterThan(1);
    }
  });

  it('is deterministic', () => {
    const again = buildIptables(JSON.parse(JSON.stringify(policy)));
    expect(again).toEqual(m);
  });
});

function main(m: IptablesModel) {
  return m.chains[0]!;
}

describe('specific layouts', () => {
  it('three-tier: default deny as scoped DROPs, logged deny, no catch-all', () => {
    const m = models[0]![2];
    const all = allRules(m).map((r) => r.text);
    expect(all).toContain('-s 172.20.2.0/24 -d 172.20.1.0/24 -m comment --comment "three-tier:default" -j DROP');
    expect(all).toContain('-s 172.20.3.0/24 -d 172.20.3.0/24 -m comment --comment "three-tier:isolated:database" -j DROP');
    const p02 = m.chains.find((c) => c.name === 'TW-THREE-TIER_P0-2')!;
    expect(p02.rules).toEqual([
      '-s 172.20.1.0/24 -d 172.20.3.0/24 -m limit --limit 10/min --limit-burst 20 -m comment --comment "three-tier:L10" -j LOG --log-prefix "tw:three-tier:L10 "',
      '-s 172.20.1.0/24 -d 172.20.3.0/24 -m comment --comment "three-tier:L10" -j DROP',
    ]);
  });

  it('nasty: merges overlapping ranges of one rule, keeps deny before allow, splits multiport at 15', () => {
    const m = models[1]![2];
    const p02 = m.chains.find((c) => c.name === 'TW-NASTY_P0-2')!.rules.map(parseRule);
    expect(p02.map((r) => [r.target, r.proto, r.dports])).toEqual([
      ['LOG', 'tcp', [{ lo: 5432, hi: 5432 }]],
      ['DROP', 'tcp', [{ lo: 5432, hi: 5432 }]],
      ['ACCEPT', 'tcp', [{ lo: 5430, hi: 5451 }]],
      ['ACCEPT', 'udp', [{ lo: 5432, hi: 5432 }]],
      ['ACCEPT', undefined, undefined],
    ]);
    const p10 = m.chains.find((c) => c.name === 'TW-NASTY_P1-0')!.rules;
    expect(p10.filter((t) => t.includes('-j ACCEPT') && t.includes('L15'))).toHaveLength(2);
    // ops -> any is all traffic: one inline DROP, no pair chain, and nothing after it.
    expect(m.chains.some((c) => c.name === 'TW-NASTY_P3-0')).toBe(false);
    expect(m.chains.find((c) => c.name === 'TW-NASTY_P3-1')!.rules.at(-1)).toContain('"nasty:L14" -j DROP');
  });

  it('default allow: the default is a scoped ACCEPT, never an unscoped one', () => {
    const m = models[1]![2];
    const defaults = allRules(m).map((r) => parseRule(r.text)).filter((r) => r.comment === 'nasty:default');
    expect(defaults.length).toBeGreaterThan(0);
    for (const d of defaults) expect(d).toMatchObject({ target: 'ACCEPT', src: expect.any(String), dst: expect.any(String) });
  });

  it('refuses unsafe text in quoted arguments (a bug, never escaped)', () => {
    expect(quoted('three-tier:L9')).toBe('"three-tier:L9"');
    expect(() => quoted('a"b')).toThrow();
    expect(() => quoted('$(reboot)')).toThrow();
  });
});
