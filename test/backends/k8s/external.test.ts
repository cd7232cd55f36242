// k8s backend and rules naming nets or `world`: not translated, one warning per rule at its span;
// the tier part of the policy is translated exactly as without them, and the k8s validator agrees.
import { describe, expect, test } from 'vitest';
import { validateK8s } from '../../../src/validate/k8s/index.js';
import { EDGE, edgePolicy } from '../iptables/edge-policy.js';
import { buildPolicy } from '../iptables/build-ir.js';
import { compileK8s, NAMESPACE } from './harness.js';

describe('rules with ends outside the tiers', () => {
  const p = edgePolicy();
  const c = compileK8s(p);

  test('one k8s-external-ends warning per such rule, at the rule, saying what happens instead', () => {
    const external = p.rules.filter((r) => r.externalSources.length > 0 || r.externalDestinations.length > 0);
    const ds = c.diagnostics.filter((d) => d.code === 'k8s-external-ends');
    expect(ds.map((d) => [d.severity, d.span])).toEqual(external.map((r) => ['warning', r.origin.span]));
    expect(ds[0]!.message).toContain('(world)');
    expect(ds[0]!.message).toContain('the traffic this rule allows stays denied');
    const vpn = ds[external.findIndex((r) => r.externalSources.includes('vpn'))]!;
    expect(vpn.message).toContain('the traffic this rule denies is denied anyway');
  });

  test('the manifests are those of the policy without them, and validate', () => {
    const tierOnly = buildPolicy({ ...EDGE, nets: [], rules: EDGE.rules.filter((r) => r.from === 'any' || r.from.every((x) => x === 'web' || x === 'app')).filter((r) => r.to === 'any' || r.to.every((x) => x === 'web' || x === 'app')) });
    expect(c.text).toEqual(compileK8s(tierOnly).text);
    const r = validateK8s(p, c.text, { namespace: NAMESPACE });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});
