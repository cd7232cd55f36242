// rule-anomalies: shadowed, redundant, correlated, generalization, each asserted with its primary
// span (the rule) and related spans (the rules involved), plus the log flag and the default.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { MAX_RELATED, ruleAnomalies } from '../../src/checks/rule-anomalies.js';
import type { Action } from '../../src/ir/types.js';
import { policy, rule, spanOf, tcp, tier, type RuleSpec } from './build-ir.js';

const tiers = [tier('a', '10.0.1.0/24'), tier('b', '10.0.2.0/24'), tier('c', '10.0.3.0/24')];

function run(rules: RuleSpec[], defaultAction?: Action) {
  const p = policy({ tiers, rules, defaultAction });
  const ds = ruleAnomalies.run(p);
  /** [code, rule index, related rule indexes (-1: the default)] per diagnostic. */
  const summary = ds.map((d) => [d.code, idx(d.span), d.related.map((r) => idx(r.span))]);
  return { p, ds, summary };
}
const idx = (span: Diagnostic['span']) => (span!.start === 300000 ? -1 : (span!.start - 100000) / 10);

describe('rule-shadowed', () => {
  it('one earlier rule with the opposite action', () => {
    const { p, ds, summary } = run([rule('allow', ['a'], ['b'], [tcp(80)]), rule('deny', ['a'], ['b'], [tcp(80)], { log: true })]);
    expect(summary).toEqual([['rule-shadowed', 1, [0]]]);
    expect(ds[0]!.severity).toBe('error');
    expect(ds[0]!.span).toEqual(spanOf(p.rules[1]!));
    expect(ds[0]!.message).toBe('rule is shadowed: every flow it matches is already allowed by earlier rules');
  });

  it('the union of two earlier rules (neither covers it alone)', () => {
    const { summary } = run([
      rule('allow', ['a'], ['b'], [tcp(1, 100)]),
      rule('allow', ['a'], ['b'], [tcp(101, 200)]),
      rule('deny', ['a'], ['b'], [tcp(50, 150)]),
    ]);
    expect(summary).toEqual([['rule-shadowed', 2, [0, 1]]]);
  });

  it('earlier rules covering different tier pairs together, with `any`', () => {
    const { summary } = run([
      rule('allow', ['any'], ['b'], [tcp(80)]),
      rule('allow', ['a'], ['c'], [tcp(80)]),
      rule('deny', ['a'], ['b', 'c'], [tcp(80)]),
    ]);
    expect(summary).toEqual([['rule-shadowed', 2, [0, 1]]]);
  });
});

describe('rule-redundant', () => {
  it('covered by earlier rules with the same action', () => {
    const { ds, summary } = run([
      rule('allow', ['a'], ['b'], [tcp(1, 100)]),
      rule('allow', ['a'], ['b'], [tcp(101, 200)]),
      rule('allow', ['a'], ['b'], [tcp(50, 150)]),
    ]);
    expect(summary).toEqual([['rule-redundant', 2, [0, 1]]]);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.message).toBe('rule is redundant: every flow it matches is already allowed by earlier rules');
  });

  it('covered by earlier rules of both actions: redundant, not shadowed', () => {
    const { ds, summary } = run(
      [rule('allow', ['a'], ['b'], [tcp(1, 100)]), rule('deny', ['a'], ['b'], [tcp(101, 200)]), rule('allow', ['a'], ['b'], [tcp(50, 150)])],
      'allow',
    );
    expect(summary).toContainEqual(['rule-redundant', 2, [0, 1]]);
    expect(ds.find((d) => idx(d.span) === 2)!.message).toContain('already decided by earlier rules');
  });

  it('a deny in front of `default deny` with nothing after it: redundant with the default', () => {
    const { ds, summary } = run([rule('deny', ['a'], ['b'], [tcp(22)])], 'deny');
    expect(summary).toEqual([['rule-redundant', 0, [-1]]]);
    expect(ds[0]!.message).toBe('rule is redundant: without it, the default (deny) would give every flow it decides the same verdict');
  });

  it('... but not when a later allow would take its flows', () => {
    expect(run([rule('deny', ['a'], ['b'], [tcp(22)]), rule('allow', ['any'], ['b'], [tcp(1, 100)])], 'deny').summary).toEqual([
      ['rule-generalization', 1, [0]],
    ]);
  });

  it('a logging deny is not redundant with the (never logging) default', () => {
    expect(run([rule('deny', ['a'], ['b'], [tcp(22)], { log: true })], 'deny').summary).toEqual([]);
  });

  it('log flags must match for fall-through redundancy', () => {
    const same = run([rule('deny', ['a'], ['b'], [tcp(22)], { log: true }), rule('deny', ['a'], ['b'], [tcp(1, 100)], { log: true })], 'deny');
    expect(same.summary).toEqual([['rule-redundant', 0, [1]]]);
    const differ = run([rule('deny', ['a'], ['b'], [tcp(22)]), rule('deny', ['a'], ['b'], [tcp(1, 100)], { log: true })], 'deny');
    expect(differ.summary).toEqual([]);
  });

  it('an earlier rule with the same action but another log flag: redundant (never shadowed), with a hint', () => {
    const { ds, summary } = run([rule('allow', ['a'], ['b'], [tcp(22)]), rule('allow', ['a'], ['b'], [tcp(22)], { log: true })], 'deny');
    expect(summary).toEqual([['rule-redundant', 1, [0]]]);
    expect(ds[0]!.hints).toContain("its 'log' never takes effect: the earlier rules decide these flows");
  });

  it('without a default statement there is no default span to relate', () => {
    expect(run([rule('deny', ['a'], ['b'], [tcp(22)])]).summary).toEqual([['rule-redundant', 0, []]]);
  });
});

describe('rule-generalization and rule-correlated', () => {
  it('a later rule containing an earlier opposite one: generalization', () => {
    const { ds, summary } = run([rule('deny', ['a'], ['b'], [tcp(80)]), rule('allow', ['a'], ['b'], [tcp(1, 100)])], 'deny');
    expect(summary).toEqual([['rule-generalization', 1, [0]]]);
    expect(ds[0]!.severity).toBe('warning');
  });

  it('a partial overlap with an earlier opposite rule: correlated', () => {
    const { summary } = run([rule('deny', ['a'], ['b'], [tcp(50, 150)]), rule('allow', ['a'], ['b'], [tcp(1, 100)])], 'deny');
    expect(summary).toEqual([['rule-correlated', 1, [0]]]);
  });

  it('containment counts tier sets too', () => {
    // The earlier deny also covers a -> c, which the allow does not: correlated.
    expect(run([rule('deny', ['a'], ['b', 'c'], [tcp(80)]), rule('allow', ['a'], ['b'], [tcp(1, 100)])], 'deny').summary).toEqual([
      ['rule-correlated', 1, [0]],
    ]);
    // a -> a is no flow, so `a -> a, b` lies inside `a -> b`: generalization.
    expect(run([rule('deny', ['a'], ['a', 'b'], [tcp(80)]), rule('allow', ['a'], ['b'], [tcp(1, 100)])], 'deny').summary).toEqual([
      ['rule-generalization', 1, [0]],
    ]);
  });

  it('one diagnostic per (rule, code), related rules sorted and deduplicated', () => {
    const { summary } = run(
      [
        rule('deny', ['a'], ['b'], [tcp(20)]),
        rule('deny', ['a', 'c'], ['b'], [tcp(10)]),
        rule('deny', ['a'], ['b'], [tcp(95, 120)]),
        rule('allow', ['any'], ['b'], [tcp(1, 100)]),
      ],
      'deny',
    );
    expect(summary).toEqual([
      ['rule-generalization', 3, [0, 1]],
      ['rule-correlated', 3, [2]],
    ]);
  });

  it('only earlier rules that actually decide some of its flows count', () => {
    // Rule 1 overlaps rule 2 (85-88) with the opposite action, but rule 0 decides that overlap
    // first: their order does not matter, so rule 2 gets nothing; rule 1 is correlated with rule 0.
    const { summary } = run(
      [
        rule('allow', ['a'], ['b'], [tcp(80, 90)]),
        rule('deny', ['a'], ['b'], [tcp(85, 95)], { log: true }),
        rule('allow', ['a'], ['b'], [tcp(70, 88)]),
      ],
      'deny',
    );
    expect(summary).toEqual([['rule-correlated', 1, [0]]]);
  });

  it('caps the related spans and says how many more there are', () => {
    const rules = Array.from({ length: MAX_RELATED + 5 }, (_, i) => rule('deny', ['a'], ['b'], [tcp(i + 1)]));
    rules.push(rule('allow', ['a'], ['b'], [tcp(1, 1000)]));
    const { ds } = run(rules, 'deny');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.related).toHaveLength(MAX_RELATED);
    expect(ds[0]!.related[0]!.span).toEqual(spanOf(policy({ tiers, rules }).rules[0]!));
    expect(ds[0]!.hints.some((h) => h.startsWith('5 more rules'))).toBe(true);
  });
});

describe('rules without flows', () => {
  it('are left to rule-self', () => {
    expect(run([rule('allow', ['a'], ['a']), rule('allow', ['a'], ['a'])]).summary).toEqual([]);
  });
});
