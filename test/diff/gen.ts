// test support for diff: small random policies as plain models (fast-check), and the model -> IR
// builder. Ports stay in 1-40 so a brute force over ports 1-41 sees every class (41 stands for 41-65535).
// With `external`, policies also declare nets (from a small pool whose ranges overlap) and rules name
// nets and `world` on one side.
import fc from 'fast-check';
import { WORLD, type Action, type Net, type Policy, type Rule, type ServiceMatch, type Tier } from '../../src/ir/types.js';
import { parseCidr } from '../../src/ir/ipv4.js';

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
export interface NetM {
  name: string;
  ranges: string[];
}
export interface PolicyM {
  tiers: TierM[];
  rules: RuleM[];
  defaultAction: Action;
  /** Absent: no nets. Rule ends that are not tiers are these nets' names or `world`. */
  nets?: NetM[];
}

/** Each net picks some of its ranges; n0's and n1's first ranges overlap (zone `n0+n1`). */
export const NET_POOL: Readonly<Record<string, readonly string[]>> = {
  n0: ['192.0.2.0/24', '198.51.100.0/24'],
  n1: ['192.0.2.0/25', '203.0.113.0/24'],
};
/** One address in every piece the pool's ranges cut (and one in none): every zone any policy can have. */
export const PROBE_ADDRESSES = ['192.0.2.0', '192.0.2.128', '198.51.100.0', '203.0.113.0', '8.8.8.8'] as const;

const netsArb: fc.Arbitrary<NetM[]> = fc.subarray(Object.keys(NET_POOL)).chain((names) => fc.tuple(
  ...names.map((name) => fc.subarray([...NET_POOL[name]!], { minLength: 1 }).map((ranges) => ({ name, ranges }))),
));

export const TIER_POOL = ['t0', 't1', 't2', 't3'] as const;

const portArb = fc.integer({ min: 1, max: MAX_PORT });
export const svcArb: fc.Arbitrary<SvcM> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom('tcp' as const, 'udp' as const), portArb, portArb)
    .map(([proto, a, b]) => ({ proto, lo: Math.min(a, b), hi: Math.max(a, b) })), weight: 6 },
  { arbitrary: fc.constant({ proto: 'icmp' as const }), weight: 1 },
);

/** `external`: the names of nets and `world` a rule may name; never on both sides (lowering refuses it). */
export function ruleArb(tiers: readonly string[], external: readonly string[] = []): fc.Arbitrary<RuleM> {
  const ends = [...tiers, ...external];
  return fc.record({
    action: fc.constantFrom<Action>('allow', 'deny'),
    log: fc.boolean(),
    src: fc.subarray(ends, { minLength: 1 }),
    dst: fc.subarray(ends, { minLength: 1 }),
    all: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    services: fc.array(svcArb, { minLength: 1, maxLength: 3 }),
  }).map((r) => {
    const rule = r.all ? { ...r, services: [] } : r;
    if (!rule.src.some((e) => external.includes(e))) return rule;
    const dst = rule.dst.filter((e) => !external.includes(e));
    return { ...rule, dst: dst.length > 0 ? dst : [tiers[0]!] };
  });
}

/** A policy over the given tier names (all of them), or over a random subset of the pool. */
export function policyArb(opts: { tiers?: readonly string[]; maxRules?: number; external?: boolean } = {}): fc.Arbitrary<PolicyM> {
  const names = opts.tiers
    ? fc.constant([...opts.tiers])
    : fc.subarray([...TIER_POOL], { minLength: 1 });
  return names.chain((ts) => (opts.external ? netsArb : fc.constant(undefined)).chain((nets) => fc.record({
    tiers: fc.tuple(...ts.map((name) => fc.boolean().map((isolated) => ({ name, isolated })))),
    rules: fc.array(ruleArb(ts, nets ? [WORLD, ...nets.map((n) => n.name)] : []), { maxLength: opts.maxRules ?? 6 }),
    defaultAction: fc.constantFrom<Action>('allow', 'deny'),
  }).map((m) => (nets ? { ...m, nets } : m))));
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
  const tiers = (ends: string[]) => ends.filter((e) => allTiers.includes(e));
  const external = (ends: string[]) => ends.filter((e) => !allTiers.includes(e));
  return {
    index, action: r.action, log: r.log, sources: tiers(r.src), destinations: tiers(r.dst),
    sourceAny: tiers(r.src).length === allTiers.length, destinationAny: tiers(r.dst).length === allTiers.length,
    externalSources: external(r.src), externalDestinations: external(r.dst),
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
    nets: (m.nets ?? []).map((n, i) => netOf(n, file, 50 + i)),
    rules: m.rules.map((r, i) => ruleOf(r, i, file, names)),
    services: [],
  };
}

function netOf(n: NetM, file: string, line: number): Net {
  const cidrs = n.ranges.map((text) => {
    const c = parseCidr(text);
    if (!c.ok) throw new Error(`bad pool range ${text}`);
    return { text: c.canonical, base: c.base, prefix: c.prefix };
  });
  const span = { file, start: 0, end: 0 };
  return { name: n.name, cidrs, origin: { file, line, col: 1, span }, cidrSpans: cidrs.map(() => span) };
}
