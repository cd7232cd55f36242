// The grouped validation (one destination per group, src/validate/source-groups.ts) against the
// per-pair walk it replaces: mutations aimed at the grouping are caught exactly as the per-pair check
// catches them, and on random policies and random broken rulesets both give the same result.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateIptables, type ValidationResult } from '../../src/validate/index.js';
import { parseRestoreFile } from '../../src/validate/parse-file.js';
import { newContext, parseRule } from '../../src/validate/parse-rule.js';
import { SourceGroups } from '../../src/validate/source-groups.js';
import { forEachSource } from '../../src/eval/grouped-classes.js';
import type { Policy } from '../../src/ir/types.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { policySpecArb } from './arbitrary.js';
import { grpPolicy } from './grouping-policy.js';
import { backendOutput, deleteLine, editLine } from './support.js';

const policy = grpPolicy();
const { text, entry } = backendOutput(policy);

/** Both paths; they must agree, whatever the input. */
function both(p: Policy, rules: string, entryRule: string): ValidationResult {
  const grouped = validateIptables(p, rules, entryRule);
  expect(grouped).toEqual(validateIptables(p, rules, entryRule, { perPair: true }));
  return grouped;
}

/** Inserts `line` just before the default line of web's source chain. */
const beforeWebDefault = (line: string): string => editLine(text, /^-A TW-GRP_S0 .*grp:default/, (l) => `${line}\n${l}`);

/** The destination groups of source `name`: [representative, size]. */
function groupsOf(rules: string, name: string): string[][] {
  const { ruleset } = parseRestoreFile(rules);
  const e = parseRule(entry, 0, entry.length, 'DOCKER-USER', 1, 0, newContext((n) => ruleset.chains.get(n)));
  if ('error' in e) throw new Error(e.error);
  const i = policy.tiers.findIndex((t) => t.name === name);
  let named: number[] = [];
  forEachSource(policy, (s, n) => {
    if (s === i) named = [...n.keys()];
  });
  const groups = new SourceGroups(policy, e).of(i, named);
  return groups.map((g) => [policy.tiers[g.rep]!.name, String(g.size)]);
}

describe('grouped validation', () => {
  it('the unmutated output validates, with the per-pair number of classes', () => {
    expect(both(policy, text, entry)).toMatchObject({ ok: true });
    // web: itself, app (named), and the four unnamed tiers as one group.
    expect(groupsOf(text, 'web')).toEqual([['web', '1'], ['app', '1'], ['q1', '4']]);
  });

  it('a rule split off a destination the policy never names is its own group', () => {
    const m = beforeWebDefault('-A TW-GRP_S0 -s 10.80.1.0/24 -d 10.80.10.0/24 -j ACCEPT');
    expect(groupsOf(m, 'web')).toEqual([['web', '1'], ['app', '1'], ['q1', '3'], ['q3', '1']]);
    const r = both(policy, m, entry);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ flow: { src: 'web', dst: 'q3', proto: 'tcp', state: 'NEW' }, actual: { verdict: 'ACCEPT' } });
  });

  it('a supernet covering two unnamed tiers splits them from the others', () => {
    const m = beforeWebDefault('-A TW-GRP_S0 -d 10.80.8.0/23 -j ACCEPT');
    expect(groupsOf(m, 'web')).toEqual([['web', '1'], ['app', '1'], ['q1', '2'], ['q3', '2']]);
    const r = both(policy, m, entry);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.kind === 'flow' && p.flow.dst)).toEqual(expect.arrayContaining(['q1', 'q2']));
  });

  it('a negated supernet: the tiers outside it are told apart from those inside', () => {
    const m = beforeWebDefault('-A TW-GRP_S0 ! -d 10.80.10.0/23 -j ACCEPT');
    expect(groupsOf(m, 'web')).toEqual([['web', '1'], ['app', '1'], ['q1', '2'], ['q3', '2']]);
    const r = both(policy, m, entry);
    expect(r.ok).toBe(false);
  });

  it('an -o match on one tier\'s bridge', () => {
    const m = beforeWebDefault('-A TW-GRP_S0 -o tw-q4 -j ACCEPT');
    expect(groupsOf(m, 'web')).toEqual([['web', '1'], ['app', '1'], ['q1', '3'], ['q4', '1']]);
    const r = both(policy, m, entry);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ flow: { src: 'web', dst: 'q4' }, actual: { verdict: 'ACCEPT' } });
  });

  it('a -d inside one tier (part of its subnet) is caught as a split', () => {
    const m = beforeWebDefault('-A TW-GRP_S0 -d 10.80.9.0/25 -j ACCEPT');
    const r = both(policy, m, entry);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ flow: { src: 'web', dst: 'q2' }, actual: { verdict: 'SPLIT' } });
  });

  it('the main chain forgetting one unnamed destination', () => {
    const m = deleteLine(text, /grp:to:q3/);
    // app names nobody: every other tier but q3 is still one group with web.
    expect(groupsOf(m, 'app')).toEqual([['web', '4'], ['app', '1'], ['q3', '1']]);
    const r = both(policy, m, entry);
    expect(r.ok).toBe(false);
    // Packets to q3 now meet the source's egress line (to the outside: the default) instead of their pair.
    if (!r.ok) expect(r.problems[0]).toMatchObject({ flow: { src: 'web', dst: 'q3', proto: 'udp', lo: 53 }, expected: { verdict: 'ACCEPT' }, actual: { verdict: 'DROP' } });
  });

  it('one line of the main chain jumping elsewhere breaks its run', () => {
    const m = editLine(text, /grp:to:q2/, (l) => l.replace('-j TW-GRP_D', '-j ACCEPT'));
    // Two runs remain (web, app, q1 and q3, q4) with q2's line between them.
    expect(groupsOf(m, 'app')).toEqual([['web', '2'], ['app', '1'], ['q2', '1'], ['q3', '2']]);
    expect(both(policy, m, entry).ok).toBe(false);
  });
});

// --- random: policies from arbitrary.ts and one random edit of their rules.v4.

const edit = fc.record({
  kind: fc.constantFrom('delete', 'swap', 'flip', 'insert-d', 'insert-o', 'insert-super', 'insert-part'),
  at: fc.nat(),
  tier: fc.nat(),
  verdict: fc.constantFrom('ACCEPT', 'DROP', 'RETURN'),
});

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function mutate(p: Policy, rules: string, e: Edit): string {
  const ls = rules.split('\n');
  const body = ls.map((l, k) => [l, k] as const).filter(([l]) => l.startsWith('-A '));
  const [line, k] = body[e.at % body.length]!;
  const t = p.tiers[e.tier % p.tiers.length]!;
  const chain = line.split(' ')[1]!;
  const insert = (r: string): void => void ls.splice(k, 0, `-A ${chain} ${r} -j ${e.verdict}`);
  switch (e.kind) {
    case 'delete': ls.splice(k, 1); break;
    case 'swap': if (k + 1 < ls.length && ls[k + 1]!.startsWith('-A ')) [ls[k], ls[k + 1]] = [ls[k + 1]!, ls[k]!]; break;
    case 'flip': ls[k] = line.replace(/-j (ACCEPT|DROP)$/, (_, v: string) => `-j ${v === 'ACCEPT' ? 'DROP' : 'ACCEPT'}`); break;
    case 'insert-d': insert(`-d ${t.subnet.text}`); break;
    case 'insert-o': insert(`-o ${t.bridge}`); break;
    // arbitrary.ts puts tier i on 10.60.i.0: a /23 covers two neighbours, a /30 is part of one tier.
    case 'insert-super': insert(`-d ${t.subnet.text.replace(/\/\d+$/, '/23')}`.replace(/\.(\d+)\.0\/23/, (_, x: string) => `.${Number(x) & ~1}.0/23`)); break;
    case 'insert-part': insert(`-d ${t.subnet.text.replace(/\/\d+$/, '/30')}`); break;
  }
  return ls.join('\n');
}

describe('grouped validation equals the per-pair walk', () => {
  it('on random policies and on randomly broken rulesets', () => {
    let caught = 0;
    fc.assert(
      fc.property(policySpecArb, fc.array(edit, { maxLength: 2 }), (spec, edits) => {
        const p = buildPolicy(spec);
        const out = backendOutput(p);
        let rules = out.text;
        for (const e of edits) rules = mutate(p, rules, e);
        if (!both(p, rules, out.entry).ok) caught++;
      }),
      { numRuns: 400 },
    );
    // The edits must break rulesets often enough for the comparison to mean something.
    expect(caught).toBeGreaterThan(100);
  });
});
