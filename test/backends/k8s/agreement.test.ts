// k8s backend vs the evaluator: for every flow class (intra-tier included, two pods per tier) the
// independent NetworkPolicy evaluator (src/validate/k8s) on the generated manifests gives the
// evaluator's verdict, and validateK8s (what compile runs) agrees. Where
// it cannot (icmp/other NetworkPolicy cannot allow), a backend-unsupported error names the rule.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { Reason } from '../../../src/eval/evaluate.js';
import type { Policy } from '../../../src/ir/types.js';
import type { Span } from '../../../src/source/source-file.js';
import { EXAMPLES } from '../../graph/fixtures.js';
import { disagreements, describe as describeDisagreement } from './agree.js';
import { arbK8sPolicy } from './arbitrary.js';
import { compileK8s, NAMESPACE, schemaErrors } from './harness.js';
import { validateK8s } from '../../../src/validate/k8s/index.js';
import { parseYamlSubset } from '../../../src/validate/k8s/yaml-subset.js';
import { parse } from 'yaml';

const spanKey = (s: Span | undefined): string => (s ? `${s.file}:${s.start}-${s.end}` : 'none');

function reasonSpan(policy: Policy, r: Reason): Span | undefined {
  return r.kind === 'rule' ? r.rule.origin.span : r.kind === 'default' ? policy.defaultOrigin?.span : undefined;
}

/** Errors about protocols (the only errors a valid, well-named policy can get from this backend). */
const protocolErrors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error' && d.code === 'backend-unsupported' && /icmp|other/.test(d.message));

/** Asserts the agreement contract for one policy; returns whether it was fully expressible. */
function checkPolicy(policy: Policy): boolean {
  const compiled = compileK8s(policy);
  for (const m of compiled.manifests) expect(schemaErrors(m)).toEqual([]);
  const errors = protocolErrors(compiled.diagnostics);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual(errors);
  const reported = new Set(errors.map((d) => spanKey(d.span)));
  const explained = new Set<string>();
  for (const d of disagreements(policy, compiled)) {
    // The only allowed difference: an allowed icmp/other class, reported at its deciding rule.
    const ok = (d.cls.proto === 'icmp' || d.cls.proto === 'other') && d.cls.verdict.action === 'allow' && reported.has(spanKey(reasonSpan(policy, d.cls.verdict.reason)));
    expect(ok, describeDisagreement(d)).toBe(true);
    explained.add(spanKey(reasonSpan(policy, d.cls.verdict.reason)));
  }
  // And no error without a flow it is about.
  for (const d of errors) expect(explained.has(spanKey(d.span)), d.message).toBe(true);
  // The validator compile runs reads the same text (its YAML reader as a full one reads it) and
  // finds exactly the same differences.
  for (const text of compiled.text.values()) expect(parseYamlSubset(text).value).toEqual(parse(text));
  const v = validateK8s(policy, compiled.text, { namespace: NAMESPACE });
  if (errors.length === 0) expect(v).toMatchObject({ ok: true });
  else {
    expect(v.ok).toBe(false);
    for (const p of v.ok ? [] : v.problems) {
      const ok = p.kind === 'flow' && (p.flow.proto === 'icmp' || p.flow.proto === 'other') && p.expected.allow && !p.actual.allow;
      expect(ok, JSON.stringify(p)).toBe(true);
    }
  }
  return errors.length === 0;
}

describe('NetworkPolicy verdicts = evaluator verdicts', () => {
  // An example may use icmp; then its differences must be exactly the reported ones.
  test.each(EXAMPLES)('policies/$file: every class agrees or is reported', ({ load }) => {
    checkPolicy(load());
  });

  test('policies/three-tier.policy: every class agrees, no error', () => {
    const policy = EXAMPLES.find((e) => e.file === 'three-tier.policy')!.load();
    expect(disagreements(policy).map(describeDisagreement)).toEqual([]);
    expect(checkPolicy(policy)).toBe(true);
  });

  test('random policies (2-5 tiers, up to 10 rules, ports 1-40, any, isolated, default allow/deny)', () => {
    let expressible = 0;
    let total = 0;
    fc.assert(
      fc.property(arbK8sPolicy, (policy) => {
        total++;
        if (checkPolicy(policy)) expressible++;
      }),
      { numRuns: 300 },
    );
    // Both branches must be exercised for the property to mean something.
    expect(expressible).toBeGreaterThan(total / 4);
    expect(expressible).toBeLessThan(total);
  });
});
