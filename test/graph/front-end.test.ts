// The hand-built fixtures are the IR the real front end produces (parser + lowering + checks):
// if lowering changes, this fails here instead of silently leaving the backend tests behind.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Policy } from '../../src/ir/types.js';
import { loadPolicy } from '../support/policy.js';
import { MIXED_TEXT, mixed, threeTier } from './fixtures.js';

/** The IR without spans/columns/files (subnet and gateway spans too); rule and tier lines stay (the report cites rule lines). */
function comparable(p: Policy): unknown {
  return JSON.parse(JSON.stringify(p, (k, v: unknown) => (k === 'origin' ? { line: (v as { line: number }).line } : k === 'defaultOrigin' || k === 'subnetSpan' || k === 'gatewaySpan' ? undefined : v)));
}

describe('fixtures match loadPolicy', () => {
  test('policies/three-tier.policy', () => {
    const text = readFileSync(new URL('../../policies/three-tier.policy', import.meta.url), 'utf8');
    const loaded = comparable(loadPolicy(text, 'policies/three-tier.policy')) as { services: { origin: unknown }[] };
    const hand = comparable(threeTier) as { services: { origin: unknown }[] };
    // Service origins are not used by the backends' output; the fixture does not track their lines.
    for (const s of [...loaded.services, ...hand.services]) delete s.origin;
    expect(loaded).toEqual(hand);
  });

  test('mixed', () => {
    expect(comparable(loadPolicy(MIXED_TEXT, 'mixed.policy'))).toEqual(comparable(mixed));
  });
});
