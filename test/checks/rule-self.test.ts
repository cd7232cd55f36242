// rule-self: isolated-allow, intra-tier-rule, rule-matches-nothing; one code per rule and tier.
import { describe, expect, it } from 'vitest';
import { ruleSelf } from '../../src/checks/rule-self.js';
import { policy, rule, spanOf, tcp, tier } from './build-ir.js';

const tiers = [tier('web', '10.0.1.0/24'), tier('app', '10.0.2.0/24'), tier('db', '10.0.3.0/24', { isolated: true })];

function run(...rules: Parameters<typeof rule>[]) {
  const p = policy({ tiers, rules: rules.map((r) => rule(...r)) });
  return { p, ds: ruleSelf.run(p) };
}

describe('rule-self', () => {
  it('allow db -> db on an isolated tier: isolated-allow, related to the tier', () => {
    const { p, ds } = run(['allow', ['db'], ['db'], [tcp(5432)]]);
    expect(ds.map((d) => [d.code, d.severity, d.span])).toEqual([['isolated-allow', 'error', spanOf(p.rules[0]!)]]);
    expect(ds[0]!.related.map((r) => r.span)).toEqual([spanOf(p.tiers[2]!)]);
  });

  it('a rule with only same-tier pairs otherwise: rule-matches-nothing', () => {
    const { p, ds } = run(['deny', ['db'], ['db']], ['allow', ['web'], ['web']], ['deny', ['app'], ['app'], [tcp(1)]]);
    expect(ds.map((d) => [d.code, d.span])).toEqual([
      ['rule-matches-nothing', spanOf(p.rules[0]!)],
      ['rule-matches-nothing', spanOf(p.rules[1]!)],
      ['rule-matches-nothing', spanOf(p.rules[2]!)],
    ]);
  });

  it('a rule that also has real pairs: isolated-allow or intra-tier-rule per shared tier', () => {
    const { p, ds } = run(['allow', ['web', 'db'], ['db', 'web', 'app']]);
    expect(ds.map((d) => [d.code, d.span, d.related[0]!.span])).toEqual([
      ['intra-tier-rule', spanOf(p.rules[0]!), spanOf(p.tiers[0]!)],
      ['isolated-allow', spanOf(p.rules[0]!), spanOf(p.tiers[2]!)],
    ]);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.message).toBe("rule has no effect on traffic inside tier 'web'");
  });

  it('a deny naming an isolated tier on both sides agrees with isolation: nothing', () => {
    expect(run(['deny', ['db', 'app'], ['db', 'web']]).ds).toEqual([]);
  });

  it('`any` includes every tier on purpose: nothing', () => {
    expect(run(['allow', ['any'], ['any']], ['allow', ['db'], ['any']], ['deny', ['any'], ['web', 'app']]).ds).toEqual([]);
  });

  it('one-tier policy: any -> any matches nothing', () => {
    const p = policy({ tiers: [tier('solo', '10.0.0.0/24')], rules: [rule('allow', ['any'], ['any'])] });
    expect(ruleSelf.run(p).map((d) => d.code)).toEqual(['rule-matches-nothing']);
  });
});
