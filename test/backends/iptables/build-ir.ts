// test support: builds Policy IR by hand, the way ir/lower.ts would (any -> every tier, default
// gateway .1, default bridge tw-<tier>). Input: a compact spec. Output: a readonly Policy.
import type { Action, Policy, Rule, ServiceMatch, Tier } from '../../../src/ir/types.js';
import { parseCidr, formatIpv4 } from '../../../src/ir/ipv4.js';

export interface TierSpec {
  readonly name: string;
  readonly subnet: string;
  readonly gateway?: string;
  readonly bridge?: string;
  readonly isolated?: boolean;
  readonly line?: number;
}

export interface RuleSpec {
  readonly action: Action;
  readonly from: readonly string[] | 'any';
  readonly to: readonly string[] | 'any';
  /** 'tcp/80', 'udp/53-60', 'icmp'; omitted or empty: all traffic. */
  readonly services?: readonly string[];
  readonly log?: boolean;
  readonly line?: number;
  readonly col?: number;
}

export interface PolicySpec {
  readonly name: string;
  readonly defaultAction?: Action;
  readonly tiers: readonly TierSpec[];
  readonly rules: readonly RuleSpec[];
  readonly file?: string;
}

function origin(file: string, line: number, col = 1) {
  return { file, line, col, span: { file, start: 0, end: 0 } };
}

export function service(text: string): ServiceMatch {
  if (text === 'icmp') return { proto: 'icmp' };
  const m = /^(tcp|udp)\/(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new Error(`bad service '${text}'`);
  const lo = Number(m[2]);
  return { proto: m[1] as 'tcp' | 'udp', lo, hi: m[3] === undefined ? lo : Number(m[3]) };
}

export function buildPolicy(spec: PolicySpec): Policy {
  const file = spec.file ?? `${spec.name}.policy`;
  const tiers: Tier[] = spec.tiers.map((t, i) => {
    const c = parseCidr(t.subnet);
    if (!c.ok) throw new Error(`bad subnet ${t.subnet}`);
    return {
      name: t.name,
      subnet: { text: c.canonical, base: c.base, prefix: c.prefix },
      gateway: t.gateway ?? formatIpv4(c.base + 1),
      bridge: t.bridge ?? `tw-${t.name}`.slice(0, 15).replace(/-+$/, ''),
      isolated: t.isolated ?? false,
      origin: origin(file, t.line ?? 100 + i),
    };
  });
  const all = tiers.map((t) => t.name);
  const rules: Rule[] = spec.rules.map((r, index) => {
    const services = (r.services ?? []).map(service);
    return {
      index,
      action: r.action,
      log: r.log ?? false,
      sources: r.from === 'any' ? all : [...new Set(r.from)],
      destinations: r.to === 'any' ? all : [...new Set(r.to)],
      sourceAny: r.from === 'any',
      destinationAny: r.to === 'any',
      externalSources: [],
      externalDestinations: [],
      allTraffic: services.length === 0,
      services,
      origin: origin(file, r.line ?? 200 + index, r.col ?? 1),
    };
  });
  return { name: spec.name, defaultAction: spec.defaultAction ?? 'deny', defaultOrigin: undefined, tiers, nets: [], rules, services: [] };
}
