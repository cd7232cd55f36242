// Tests for backends/shared/names.ts: lengths, stability, uniqueness of chains, tags and prefixes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_CHAIN_NAME,
  MAX_LOG_PREFIX,
  dispatchChainName,
  egressChainName,
  extraPairChainName,
  isOwnedChain,
  MAX_EXTRA_PAIR_CHAINS,
  logPrefix,
  mainChainName,
  pairChainName,
  ruleTags,
  sharedChainName,
  sourceChainName,
  unitBaseName,
} from '../../../src/backends/shared/names.js';
import { buildPolicy } from './build-ir.js';

const validName = fc.stringMatching(/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/);
const LONG = `a${'-very-long-policy-name'.repeat(3)}-x`.slice(0, 63);

describe('chain names', () => {
  it('uses TW-<NAME> when it fits', () => {
    expect(mainChainName('three-tier')).toBe('TW-THREE-TIER');
    expect(sourceChainName('three-tier', 0)).toBe('TW-THREE-TIER_S0');
    expect(pairChainName('three-tier', 1, 2)).toBe('TW-THREE-TIER_P1-2');
  });

  it('shortens long names with a stable hash and stays within 28 characters', () => {
    const main = mainChainName(LONG);
    expect(main).toMatch(/^TW-A-VERY_[0-9A-HJ-NQRT-Z]{9}$/);
    expect(mainChainName(LONG)).toBe(main);
    expect(pairChainName(LONG, 999, 999).length).toBeLessThanOrEqual(MAX_CHAIN_NAME);
    expect(() => pairChainName(LONG, 1000, 0)).toThrow();
    expect(() => extraPairChainName(LONG, MAX_EXTRA_PAIR_CHAINS)).toThrow();
  });

  it('keeps every chain of every valid name within 28 characters and iptables-safe', () => {
    fc.assert(
      fc.property(validName, (name) => {
        for (const c of [mainChainName(name), sourceChainName(name, 999), pairChainName(name, 999, 999), dispatchChainName(name), extraPairChainName(name, MAX_EXTRA_PAIR_CHAINS - 1), sharedChainName(name, MAX_EXTRA_PAIR_CHAINS - 1), egressChainName(name, 999)]) {
          expect(c.length).toBeLessThanOrEqual(MAX_CHAIN_NAME);
          expect(c).toMatch(/^TW-[A-Z0-9_-]+$/);
        }
      }),
    );
  });

  it('gives different policies different main chains, and no policy owns another one\'s chains', () => {
    fc.assert(
      fc.property(validName, validName, (a, b) => {
        fc.pre(a !== b);
        expect(mainChainName(a)).not.toBe(mainChainName(b));
        expect(isOwnedChain(a, mainChainName(b))).toBe(false);
        expect(isOwnedChain(a, sourceChainName(b, 3))).toBe(false);
        expect(isOwnedChain(a, egressChainName(b, 3))).toBe(false);
        expect(isOwnedChain(b, egressChainName(b, 999))).toBe(true);
      }),
    );
    // A shortened name cannot be another policy's full name: full names never contain '_'.
    expect(mainChainName('three-tier-s0')).toBe('TW-THREE-TIER-S0');
    expect(sourceChainName('three-tier', 0)).not.toBe(mainChainName('three-tier-s0'));
  });

  it('never lets a policy claim another one\'s shortened main chain as a stale sub-chain', () => {
    // Hash digits exclude S and P: `TW-ABCDEF_S1234567` would otherwise match policy abcdef's `_S<n>`.
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{16,40}[a-z0-9]$/), (long) => {
        const main = mainChainName(long);
        expect(main).toMatch(/^TW-[A-Z0-9-]{6}_[0-9A-HJ-NQRT-Z]{9}$/);
        expect(isOwnedChain(long.slice(0, 6).replace(/-+$/, ''), main)).toBe(false);
      }),
    );
  });

  it('recognises its own chains', () => {
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER')).toBe(true);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_P12-3')).toBe(true);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_D')).toBe(true);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_Q17')).toBe(true);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_Q')).toBe(false);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_A0')).toBe(true);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_E12')).toBe(true);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_E')).toBe(false);
    // E is a hash digit: a shortened main chain `_E` + 8 digits is another policy's, never ours.
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_E12345678')).toBe(false);
    expect(isOwnedChain('three-tier', 'TW-THREE-TIER_X')).toBe(false);
    expect(isOwnedChain('three-tier', 'DOCKER-USER')).toBe(false);
  });
});

describe('rule tags and log prefixes', () => {
  const tiers = [{ name: 'a', subnet: '10.0.1.0/24' }, { name: 'b', subnet: '10.0.2.0/24' }];
  const rule = (line: number, col = 1) => ({ action: 'deny' as const, from: ['a'], to: ['b'], line, col });

  it('tags by line, by line and column when rules share a line, by index when even that is ambiguous', () => {
    const p = buildPolicy({ name: 'p', tiers, rules: [rule(3), rule(5, 1), rule(5, 20), rule(1234567)] });
    expect([...ruleTags(p).values()]).toEqual(['L3', 'L5c1', 'L5c20', 'L1234567']);
    const twoFiles = buildPolicy({ name: 'p', tiers, rules: [rule(7), rule(7)] });
    expect([...ruleTags(twoFiles).values()]).toEqual(['R1', 'R2']);
    const huge = buildPolicy({ name: 'p', tiers, rules: [rule(12345678901, 1), rule(12345678901, 9)] });
    expect([...ruleTags(huge).values()]).toEqual(['R1', 'R2']);
  });

  it('keeps prefixes <= 29 characters, ending in a space, unique per rule', () => {
    fc.assert(
      fc.property(validName, fc.array(fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 99_999 })), { maxLength: 20 }), (name, at) => {
        const p = buildPolicy({ name, tiers, rules: at.map(([l, c]) => rule(l, c)) });
        const prefixes = [...ruleTags(p).values()].map((t) => logPrefix(name, t));
        for (const x of prefixes) {
          expect(x.length).toBeLessThanOrEqual(MAX_LOG_PREFIX);
          expect(x).toMatch(/^tw:[a-z0-9-]+:[A-Za-z0-9]+ $/);
        }
        expect(new Set(prefixes).size).toBe(prefixes.length);
      }),
    );
    expect(logPrefix('three-tier', 'L10')).toBe('tw:three-tier:L10 ');
    expect(logPrefix(LONG, 'L5c20')).toMatch(/^tw:a-very--[0-9a-f]{4}:L5c20 $/);
  });

  it('names units and files tierwall-<name>', () => {
    expect(unitBaseName('three-tier')).toBe('tierwall-three-tier');
  });
});
