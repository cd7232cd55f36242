// test support for diff: small random policies as plain models (fast-check), and the model -> IR
// builder. Ports stay in 1-40 so a brute force over ports 1-41 sees every class (41 stands for 41-65535).
import fc from 'fast-check';
import type { Action, Policy, Rule, ServiceMatch, Tier } from '../../src/ir/types.js';

export const MAX_PORT = 40;
export type SvcM = { proto: 'tcp' | 'udp'; lo: number; hi: number } | { proto: 'icmp' };
export interface RuleM {
  action: Action;
  log: boolean;
  src: string[];
  dst: string[];
  /** No services: matches every protocol. */
  all: boolean;
  services: SvcM[];
}
export interface TierM {
  name: string;
  isolated: boolean;
}
export interface PolicyM {
  tiers: TierM[];
  rules: RuleM[];
  defaultAction: Action;
}

export const TIER_POOL = ['t0', 't1', 't2', 't3'] as const;

const portArb = fc.integer({ min: 1, max: MAX_PORT });
export const svcArb: fc.Arbitrary<SvcM> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom('tcp' as const, 'udp' as const), portArb, portArb)
    .map(([proto, a, b]) => ({ proto, lo: Math.min(a, b), hi: Math.max(a, b) })), weight: 6 },
  { arbitrary: fc.constant({ proto: 'icmp' as const }), weight: 1 },
);

export function ruleArb(tiers: readonly string[]): fc.Arbitrary<RuleM> {
  return fc.record({
    action: fc.constantFrom<Action>('allow', 'deny'),
    log: fc.boolean(),
    src: fc.subarray([...tiers], { minLength: 1 }),
    dst: fc.subarray([...tiers], { minLength: 1 }),
    all: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    services: fc.array(svcArb, { minLength: 1, maxLength: 3 }),
  }).map((r) => (r.all ? { ...r, services: [] } : r));
}

/** A policy over the given tier names (all of them), or over a random subset of the pool. */
export function policyArb(opts: { tiers?: readonly string[]; maxRules?: number } = {}): fc.Arbitrary<PolicyM> {
  const names = opts.tiers
    ? fc.constant([...opts.tiers])
    : fc.subarray([...TIER_POOL], { minLength: 1 });
  return names.chain((ts) => fc.record({
    tiers: fc.tuple(...ts.map((name) => fc.boolean().map((isolated) => ({ name, isolated })))),
    rules: fc.array(ruleArb(ts), { maxLength: opts.maxRules ?? 6 }),
    defaultAction: fc.constantFrom<Action>('allow', 'deny'),
  }));
}

function tierOf(t: TierM, file: string, line: number): Tier {
  // The subnet comes from the name, so a tier means the same network on both sides of a diff.
  const n = Number(t.name.slice(1));
  const origin = { file, line, col: 1, span: { file, start: 0, end: 0 } };
  return {
    name: t.name, subnet: { text: `10.0.${n}.0/24`, base: (10 << 24) + (n << 8), prefix: 24 },
    gateway: `10.0.${n}.1`, bridge: `br-${t.name}`, isolated: t.isolated, origin,
  };
}

function ruleOf(r: RuleM, index: number, file: string, allTiers: readonly string[]): Rule {
  const services: ServiceMatch[] = r.services.map((s) => ({ ...s }));
  const line = 100 + index;
  return {
    index, action: r.action, log: r.log, sources: [...r.src], destinations: [...r.dst],
    sourceAny: r.src.length === allTiers.length, destinationAny: r.dst.length === allTiers.length,
    externalSources: [], externalDestinations: [],
    allTraffic: r.all, services: r.all ? [] : services,
    origin: { file, line, col: 1, span: { file, start: 0, end: 0 } },
  };
}

/** The IR the front end would produce for the model (rules at lines 100, 101, ...). */
export function buildPolicy(m: PolicyM, file = 'test.policy'): Policy {
  const names = m.tiers.map((t) => t.name);
  return {
    name: 'test', defaultAction: m.defaultAction, defaultOrigin: undefined,
    tiers: m.tiers.map((t, i) => tierOf(t, file, i + 1)),
    nets: [],
    rules: m.rules.map((r, i) => ruleOf(r, i, file, names)),
    services: [],
  };
}
