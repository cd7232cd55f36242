// Targeted tests of the iptables ruleset structure (no goldens, no simulation: the kernel test
// judges semantics). Input: hand-built IR. Checks: dispatch layout, LOG placement, scoping, comments.
import { describe, expect, it } from 'vitest';
import { INLINE_MAX_LINES, buildIptables, quoted } from '../../../src/backends/iptables/model.js';
import type { IptablesModel } from '../../../src/backends/iptables/model-types.js';
import { MAX_LOG_PREFIX, dispatchChainName, mainChainName, sourceChainName } from '../../../src/backends/shared/names.js';
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

  it('starts the main chain with the conntrack accept, passes packets to a tier on, then returns', () => {
    expect(m.mainChain).toBe(mainChainName(spec.name));
    expect(m.chains[0]!.name).toBe(m.mainChain);
    const main = m.chains[0]!.rules.map(parseRule);
    expect(main[0]).toMatchObject({ conntrack: true, target: 'ACCEPT' });
    expect(m.chains[0]!.rules[0]).toMatch(/^-m conntrack --ctstate RELATED,ESTABLISHED /);
    expect(main.slice(1, -1).map((r) => [r.src, r.dst, r.target])).toEqual(policy.tiers.map((t) => [undefined, t.subnet.text, dispatchChainName(spec.name)]));
    expect(main.at(-1)).toMatchObject({ match: '', target: 'RETURN' });
    expect(main).toHaveLength(T + 2);
  });

  it('dispatches by source into one chain per source tier, then returns', () => {
    const d = m.chains[1]!;
    expect(d.name).toBe(dispatchChainName(spec.name));
    const rules = d.rules.map(parseRule);
    expect(rules.slice(0, -1).map((r) => [r.src, r.dst, r.target])).toEqual(policy.tiers.map((t, i) => [t.subnet.text, undefined, sourceChainName(spec.name, i)]));
    expect(rules.at(-1)).toMatchObject({ match: '', target: 'RETURN' });
  });

  it('starts each source chain with the intra-tier verdict, scopes every line by source, ends in the default', () => {
    for (const [i, src] of policy.tiers.entries()) {
      const chain = m.chains.find((c) => c.name === sourceChainName(spec.name, i))!;
      const rules = chain.rules.map(parseRule);
      // Intra-tier: isolation alone decides, before any rule (even an `any` one) can.
      expect(rules[0]).toMatchObject({ src: src.subnet.text, dst: src.subnet.text, target: src.isolated ? 'DROP' : 'ACCEPT' });
      for (const r of rules) expect(r.src).toBe(src.subnet.text);
      // A pair chain is entered once per run of rules with specific destinations: never twice in a row.
      const jumps = rules.filter((r) => r.target.startsWith('TW-'));
      // Pair chains by destination; the shared chain of `any`-source rules without one.
      for (const j of jumps) expect(j.target.includes('_A') ? j.dst : j.dst !== undefined).toBe(j.target.includes('_A') ? undefined : true);
      const last = rules.at(-1)!;
      if (last.comment !== `${spec.name}:default`) {
        // Only an all-traffic rule to `any` may end a source chain without the default.
        expect(last).toMatchObject({ dst: undefined, proto: undefined, target: expect.stringMatching(/^(ACCEPT|DROP)$/) });
      } else {
        expect(last).toMatchObject({ dst: undefined, target: policy.defaultAction === 'allow' ? 'ACCEPT' : 'DROP' });
      }
    }
  });

  it('references every chain but the dispatch chain exactly once and declares every target chain', () => {
    const names = new Set(m.chains.map((c) => c.name));
    const jumps = allRules(m).map((r) => parseRule(r.text).target).filter((t) => t.startsWith('TW-'));
    // Shared chains of `any`-source rules are entered from every source chain that needs them.
    const fromSources = new Set(m.chains.slice(2, 2 + T).flatMap((c) => c.rules.map((t) => parseRule(t).target)).filter((t) => t.includes('_A')));
    const once = jumps.filter((j) => j !== dispatchChainName(spec.name) && !fromSources.has(j));
    expect(new Set(once).size).toBe(once.length);
    expect(jumps.filter((j) => j === dispatchChainName(spec.name))).toHaveLength(T);
    expect(new Set([m.mainChain, ...jumps])).toEqual(names);
  });

  it('scopes every verdict: each DROP and ACCEPT (but the conntrack one) has -s, pair chains -s and -d', () => {
    const pair = new Set(m.chains.slice(2 + T).map((c) => c.name));
    for (const { chain, text } of allRules(m)) {
      const r = parseRule(text);
      if (r.target !== 'DROP' && r.target !== 'ACCEPT') continue;
      if (r.conntrack) continue;
      if (!chain.includes('_A')) expect(r.src, text).toBeDefined();
      if (pair.has(chain)) expect(r.dst, text).toBeDefined();
      if (pair.has(chain) && !chain.includes('_A')) expect(r.src, text).toBeDefined();
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

describe('specific layouts', () => {
  it('three-tier: default deny as one source-scoped DROP per source, logged deny, no catch-all', () => {
    const m = models[0]![2];
    const all = allRules(m).map((r) => r.text);
    expect(all).toContain('-s 172.20.2.0/24 -m comment --comment "three-tier:default" -j DROP');
    expect(all.filter((t) => t.includes('"three-tier:default"'))).toHaveLength(3);
    // Every pair's group is small (1 or 2 lines): no pair chains, the lines sit in the source chain.
    expect(m.chains.map((c) => c.name)).toEqual(['TW-THREE-TIER', 'TW-THREE-TIER_D', 'TW-THREE-TIER_S0', 'TW-THREE-TIER_S1', 'TW-THREE-TIER_S2']);
    expect(all).toContain('-s 172.20.3.0/24 -d 172.20.3.0/24 -m comment --comment "three-tier:isolated:database" -j DROP');
    expect(m.chains.find((c) => c.name === 'TW-THREE-TIER_S0')!.rules).toEqual([
      '-s 172.20.1.0/24 -d 172.20.1.0/24 -m comment --comment "three-tier:intra:frontend" -j ACCEPT',
      '-s 172.20.1.0/24 -d 172.20.2.0/24 -p tcp -m tcp --dport 8080 -m comment --comment "three-tier:L8" -j ACCEPT',
      '-s 172.20.1.0/24 -d 172.20.3.0/24 -m limit --limit 10/min --limit-burst 20 -m comment --comment "three-tier:L10" -j LOG --log-prefix "tw:three-tier:L10 "',
      '-s 172.20.1.0/24 -d 172.20.3.0/24 -m comment --comment "three-tier:L10" -j DROP',
      '-s 172.20.1.0/24 -m comment --comment "three-tier:default" -j DROP',
    ]);
  });

  it('nasty: merges overlapping ranges of one rule, keeps deny before allow, splits multiport at 15', () => {
    const m = models[1]![2];
    // web -> db is 4 lines: inline in web's source chain, in policy order.
    expect(m.chains.some((c) => c.name === 'TW-NASTY_P0-2')).toBe(false);
    const webToDb = m.chains.find((c) => c.name === 'TW-NASTY_S0')!.rules.map(parseRule).filter((r) => r.dst === '10.81.3.0/24');
    expect(webToDb.map((r) => [r.target, r.proto, r.dports])).toEqual([
      ['LOG', 'tcp', [{ lo: 5432, hi: 5432 }]],
      ['DROP', 'tcp', [{ lo: 5432, hi: 5432 }]],
      ['ACCEPT', 'tcp', [{ lo: 5430, hi: 5451 }]],
      ['ACCEPT', 'udp', [{ lo: 5432, hi: 5432 }]],
    ]);
    // api -> web is 5 lines: a pair chain.
    const p10 = m.chains.find((c) => c.name === 'TW-NASTY_P1-0')!.rules;
    expect(p10).toHaveLength(5);
    expect(p10.filter((t) => t.includes('-j ACCEPT') && t.includes('L15'))).toHaveLength(2);
    // ops -> any is all traffic: the `any -> api` rules before it keep their place (the shared
    // chain of `any`-source rules, entered first), then one inline DROP ends the source chain.
    expect(m.chains.some((c) => c.name === 'TW-NASTY_P3-0' || c.name === 'TW-NASTY_P3-1')).toBe(false);
    const s3 = m.chains.find((c) => c.name === 'TW-NASTY_S3')!.rules;
    expect(s3.slice(1)).toEqual([
      '-s 10.81.4.0/26 -m comment --comment "nasty:from-any" -j TW-NASTY_A0',
      '-s 10.81.4.0/26 -m comment --comment "nasty:L14" -j DROP',
    ]);
    // The shared chain: the `any -> api` rules once, for every source.
    expect(m.chains.find((c) => c.name === 'TW-NASTY_A0')!.rules).toEqual(['-d 10.81.2.0/24 -m comment --comment "nasty:pair:any:api" -j TW-NASTY_A1']);
    expect(m.chains.find((c) => c.name === 'TW-NASTY_A1')!.rules.at(-1)).toContain('"nasty:L13" -j ACCEPT');
    expect(new Set(allRules(m).filter((r) => r.text.includes('"nasty:L13"')).map((r) => r.chain))).toEqual(new Set(['TW-NASTY_A1']));
  });

  it('default allow: the default is a source-scoped ACCEPT, never an unscoped one', () => {
    const m = models[1]![2];
    const defaults = allRules(m).map((r) => parseRule(r.text)).filter((r) => r.comment === 'nasty:default');
    expect(defaults.length).toBe(3); // ops ends in its all-traffic `ops -> any`
    for (const d of defaults) expect(d).toMatchObject({ target: 'ACCEPT', src: expect.any(String) });
  });

  it('groups runs of specific destinations per pair; an `any` destination is a barrier nothing crosses', () => {
    const m = buildIptables(buildPolicy({
      name: 'runs',
      tiers: ['a', 'b', 'c'].map((name, i) => ({ name, subnet: `10.7.${i}.0/24` })),
      // a -> b: 4 + 1 lines before the barrier, 4 + 1 after it (chains); a -> c: 1 and 2 (inline).
      rules: [
        { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/1', 'udp/1'], log: true },
        { action: 'allow', from: ['a'], to: ['c'], services: ['tcp/9'] },
        { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/2'] },
        { action: 'deny', from: ['a'], to: 'any', services: ['tcp/3'] },
        { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/3', 'udp/3'], log: true },
        { action: 'allow', from: ['a'], to: ['c'], services: ['tcp/5'], log: true },
        { action: 'allow', from: ['a'], to: ['b'], services: ['tcp/4'] },
      ],
    }));
    const s0 = m.chains.find((c) => c.name === 'TW-RUNS_S0')!.rules.map(parseRule);
    expect(s0.map((r) => [r.dst, r.dports?.[0]?.lo, r.target])).toEqual([
      ['10.7.0.0/24', undefined, 'ACCEPT'],
      ['10.7.1.0/24', undefined, 'TW-RUNS_P0-1'], // tcp/1, udp/1 and tcp/2: one chain, in policy order
      ['10.7.2.0/24', 9, 'ACCEPT'], // a small group needs no chain
      [undefined, 3, 'DROP'], // the barrier
      ['10.7.1.0/24', undefined, 'TW-RUNS_Q0'], // the pair again after it: a second chain
      ['10.7.2.0/24', 5, 'LOG'], // the pair c again after it: inline, LOG and verdict in order
      ['10.7.2.0/24', 5, 'ACCEPT'],
      [undefined, undefined, 'DROP'],
    ]);
    const ports = (name: string) => m.chains.find((c) => c.name === name)!.rules.map(parseRule).map((r) => [r.proto, r.dports![0]!.lo, r.target]);
    expect(ports('TW-RUNS_P0-1')).toEqual([['tcp', 1, 'LOG'], ['tcp', 1, 'ACCEPT'], ['udp', 1, 'LOG'], ['udp', 1, 'ACCEPT'], ['tcp', 2, 'ACCEPT']]);
    expect(ports('TW-RUNS_Q0')).toEqual([['tcp', 3, 'LOG'], ['tcp', 3, 'ACCEPT'], ['udp', 3, 'LOG'], ['udp', 3, 'ACCEPT'], ['tcp', 4, 'ACCEPT']]);
  });

  it('keeps `any`-source rules once in a shared chain, copying them only next to a source\'s own rules', () => {
    const m = buildIptables(buildPolicy({
      name: 'anysrc',
      tiers: ['a', 'b', 'c', 'd'].map((name, i) => ({ name, subnet: `10.8.${i}.0/24` })),
      rules: [
        { action: 'allow', from: 'any', to: ['b'], services: ['tcp/80'] },
        { action: 'deny', from: ['a'], to: ['b'], services: ['tcp/70-90'] },
        { action: 'allow', from: 'any', to: ['c'], services: ['udp/53'] },
      ],
    }));
    const chain = (n: string) => m.chains.find((c) => c.name === n)!.rules.map(parseRule);
    // a names b itself: the `any -> b` rule is copied ahead of its own rule (first match; a group of
    // 2 lines, inline), then the shared chain for the rest, last in the run.
    expect(chain('TW-ANYSRC_S0').map((r) => [r.dst, r.dports?.[0]?.lo, r.target])).toEqual([
      ['10.8.0.0/24', undefined, 'ACCEPT'],
      ['10.8.1.0/24', 80, 'ACCEPT'],
      ['10.8.1.0/24', 70, 'DROP'],
      [undefined, undefined, 'TW-ANYSRC_A0'],
      [undefined, undefined, 'DROP'],
    ]);
    // Every other source only jumps to the same shared chain.
    for (const k of [1, 2, 3]) expect(chain(`TW-ANYSRC_S${k}`).map((r) => r.target)).toEqual(['ACCEPT', 'TW-ANYSRC_A0', 'DROP']);
    expect(chain('TW-ANYSRC_A0').map((r) => [r.dst, r.proto, r.target])).toEqual([['10.8.1.0/24', 'tcp', 'ACCEPT'], ['10.8.2.0/24', 'udp', 'ACCEPT']]);
  });

  it('grows with rules + tiers, not tiers^2: pairs without rules get no line', () => {
    const T = 300;
    const tiers = Array.from({ length: T }, (_, i) => ({ name: `t${i}`, subnet: `10.${i >> 8}.${i & 255}.0/24` }));
    // 3 services, logged: 6 lines per pair, more than INLINE_MAX_LINES, so each pair has a chain.
    const rules = tiers.map((_, i) => ({ action: 'allow' as const, from: [`t${i}`], to: [`t${(i + 1) % T}`], services: ['tcp/80', 'udp/53', 'icmp'], log: true }));
    const m = buildIptables(buildPolicy({ name: 'ring', tiers, rules }));
    const lines = m.chains.reduce((n, c) => n + c.rules.length, 0);
    // main (T + 2) + dispatch (T + 1) + per source: intra, one jump, default + the pair chain's 6 lines.
    expect(lines).toBe(T + 2 + T + 1 + T * (3 + 6));
    expect(m.chains).toHaveLength(2 + 2 * T);
  });

  it.each([INLINE_MAX_LINES, INLINE_MAX_LINES + 1])('a group of %i lines: inline up to INLINE_MAX_LINES, else a chain (source and shared chains)', (n) => {
    // n one-line rules a -> b (a pair group) and n one-line rules any -> c (a shared sub-chain group).
    const ports = Array.from({ length: n }, (_, k) => `tcp/${100 + 2 * k}`);
    const m = buildIptables(buildPolicy({
      name: 'inline',
      tiers: ['a', 'b', 'c'].map((name, i) => ({ name, subnet: `10.6.${i}.0/24` })),
      rules: [
        ...ports.map((s) => ({ action: 'allow' as const, from: ['a'], to: ['b'], services: [s] })),
        ...ports.map((s) => ({ action: 'allow' as const, from: 'any' as const, to: ['c'], services: [s] })),
      ],
    }));
    const chain = (name: string) => m.chains.find((c) => c.name === name)?.rules.map(parseRule);
    const inline = n <= INLINE_MAX_LINES;
    const want = ports.map((_, k) => [100 + 2 * k, 'ACCEPT']);
    const s0 = chain('TW-INLINE_S0')!.filter((r) => r.dst === '10.6.1.0/24');
    const a0 = chain('TW-INLINE_A0')!;
    if (inline) {
      expect(s0.map((r) => [r.dports![0]!.lo, r.target])).toEqual(want);
      expect(a0.map((r) => [r.dst, r.dports![0]!.lo, r.target])).toEqual(want.map((w) => ['10.6.2.0/24', ...w]));
      expect(m.chains.map((c) => c.name).filter((c) => /_[PQ]|_A[1-9]/.test(c))).toEqual([]);
    } else {
      expect(s0.map((r) => r.target)).toEqual(['TW-INLINE_P0-1']);
      expect(chain('TW-INLINE_P0-1')!.map((r) => [r.dports![0]!.lo, r.target])).toEqual(want);
      expect(a0.map((r) => [r.dst, r.target])).toEqual([['10.6.2.0/24', 'TW-INLINE_A1']]);
      expect(chain('TW-INLINE_A1')!.map((r) => [r.dports![0]!.lo, r.target])).toEqual(want);
    }
  });

  it('refuses unsafe text in quoted arguments (a bug, never escaped)', () => {
    expect(quoted('three-tier:L9')).toBe('"three-tier:L9"');
    expect(() => quoted('a"b')).toThrow();
    expect(() => quoted('$(reboot)')).toThrow();
  });
});
