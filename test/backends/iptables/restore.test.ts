// Tests for rules.v4 (restore.ts + backend.ts): only tierwall's chains in *filter, nothing that
// would touch Docker's chains or other tables, deterministic text with a trailing newline.
import { describe, expect, it } from 'vitest';
import { backend } from '../../../src/backends/iptables/backend.js';
import { buildIptables } from '../../../src/backends/iptables/model.js';
import { restoreText } from '../../../src/backends/iptables/restore.js';
import { buildPolicy } from './build-ir.js';
import { FIXTURES, NASTY, THREE_TIER, fixturePolicy, frontEnd } from './fixtures.js';

describe('restoreText', () => {
  for (const spec of [THREE_TIER, NASTY]) {
    it(`${spec.name}: declares and fills only its own chains, in one *filter COMMIT`, () => {
      const model = buildIptables(buildPolicy(spec));
      const text = restoreText(model);
      expect(text.endsWith('COMMIT\n')).toBe(true);
      expect(text).not.toMatch(/\r/);
      const lines = text.split('\n').slice(0, -1).filter((l) => !l.startsWith('#'));
      expect(lines[0]).toBe('*filter');
      expect(lines.at(-1)).toBe('COMMIT');
      const body = lines.slice(1, -1);
      const decls = body.filter((l) => l.startsWith(':'));
      expect(decls).toEqual(model.chains.map((c) => `:${c.name} - [0:0]`));
      const appends = body.filter((l) => !l.startsWith(':'));
      expect(appends).toEqual(model.chains.flatMap((c) => c.rules.map((r) => `-A ${c.name} ${r}`)));
      // Nothing but -A into declared chains: no -I/-D/-F/-X/-P, no DOCKER chain, no other table.
      for (const l of appends) expect(l).toMatch(/^-A TW-[A-Z0-9_-]+ /);
      expect(lines.join('\n')).not.toMatch(/DOCKER|^\*(?!filter)/m);
      expect(restoreText(model)).toBe(text);
    });
  }
});

describe('iptables backend', () => {
  it('emits rules.v4 and no diagnostics', () => {
    const r = backend.generate(buildPolicy(THREE_TIER));
    expect(backend.name).toBe('iptables');
    expect(r.diagnostics).toEqual([]);
    expect(r.artifacts.map((a) => [a.path, a.mode])).toEqual([['rules.v4', 0o644]]);
    expect(r.artifacts[0]!.content).toBe(restoreText(buildIptables(buildPolicy(THREE_TIER))));
  });

  it('reports more tiers than chain names can number as backend-unsupported', () => {
    const tiers = Array.from({ length: 1001 }, (_, i) => ({ name: `t${i}`, subnet: `10.${i >> 8}.${i & 255}.0/24` }));
    const r = backend.generate(buildPolicy({ name: 'big', tiers, rules: [] }));
    expect(r.artifacts).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['backend-unsupported', 'error']]);
    expect(r.diagnostics[0]!.message).toContain("tier 't1000'");
  });
});

describe('hand-built fixtures match the front end', async () => {
  const load = await frontEnd();
  it.skipIf(typeof load === 'string').each(Object.keys(FIXTURES) as (keyof typeof FIXTURES)[])(
    '%s lowers to the same ruleset as its hand-built IR',
    async (name) => {
      const { policy, from } = await fixturePolicy(name);
      expect(from).toBe('text');
      expect(buildIptables(policy)).toEqual(buildIptables(buildPolicy(FIXTURES[name].spec)));
    },
  );
  if (typeof load === 'string') it.skip(`front end not loadable yet: ${load}`, () => {});
});
