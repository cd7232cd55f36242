// test/fuzz (a): grammar-aware generation of valid policies (test/support/arbitrary-policy.ts): the
// compiler accepts them (no error; the only warning allowed is service-bridges-deny, which the generator
// cannot rule out), fmt is idempotent and keeps the IR, the IR validates against schemas/ir.schema.json,
// the default target compiles them; and `tierwall ir` (the real process) prints schema-valid IR.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { arbitraryPolicy } from '../support/arbitrary-policy.js';
import { tierwall } from '../support/cli.js';
import { EXAMPLES } from './mutate.js';
import { LONG, TIMEOUT, runs } from './config.js';
import { WARNINGS_OF_VALID, irSchemaErrors, validPolicyHolds } from './properties.js';

describe('valid policies', () => {
  test('are accepted, round-trip through fmt and the IR, and compile (default target)', async () => {
    await fc.assert(fc.asyncProperty(arbitraryPolicy(), async ({ text }) => validPolicyHolds(text)), runs(60, 1, 0.05));
  }, TIMEOUT);

  test('bigger ones too (up to 12 tiers, 40 rules, 6 services)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicy({ maxTiers: 12, maxRules: 40, maxServices: 6 }), async ({ text }) => validPolicyHolds(text)),
      runs(10, 2, 0.01),
    );
  }, TIMEOUT);

  test('the shipped examples hold the same properties (they use 172.20.0.0/16, in a Docker pool, and publish their front end on 0.0.0.0)', async () => {
    for (const text of EXAMPLES) await validPolicyHolds(text, new Set([...WARNINGS_OF_VALID, 'docker-pool-overlap', 'publish-wildcard']));
  });

  test.skipIf(LONG)('tierwall ir (the process) prints schema-valid IR for generated policies', () => {
    const samples = fc.sample(arbitraryPolicy({ maxTiers: 5, maxRules: 8, maxServices: 3 }), { seed: 0x7e57, numRuns: 3 });
    for (const { text } of samples) {
      const r = tierwall(['ir', '-'], { input: text });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(irSchemaErrors(JSON.parse(r.stdout))).toEqual([]);
    }
  }, 120_000);
});
