// test support: builds Policy IR by hand, the way ir/lower.ts would (any -> every tier, default
// gateway .1, default bridge tw-<tier>). Input: a compact spec. Output: a readonly Policy.
import type { Action, Net, Policy, Rule, ServiceMatch, Tier } from '../../../src/ir/types.js';
import { parseCidr, formatIpv4 } from '../../../src/ir/ipv4.js';

export interface TierSpec {
  readonly name: string;
  readonly subnet: string;
  readonly gateway?: string;
  readonly bridge?: string;
  readonly isolated?: boolean;
  readonly line?: number;
}

export interface NetSpec {
  readonly name: string;
  readonly cidrs: readonly string[];
  readonly line?: number;
}

export interface RuleSpec {
  readonly action: Action;
  /** Tier names, net names and 'world' (the last two become the rule's external ends), or 'any'. */
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
  readonly nets?: readonly NetSpec[];
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
  const nets: Net[] = (spec.nets ?? []).map((n, i) => ({
    name: n.name,
    cidrs: n.cidrs.map((text) => {
      const c = parseCidr(text);
      if (!c.ok) throw new Error(`bad net range ${text}`);
      return { text: c.canonical, base: c.base, prefix: c.prefix };
    }),
    origin: origin(file, n.line ?? 150 + i),
    cidrSpans: n.cidrs.map(() => ({ file, start: 0, end: 0 })),
  }));
  const tierNames = new Set(all);
  const side = (ends: readonly string[] | 'any'): { tiers: readonly string[]; external: readonly string[] } =>
    ends === 'any' ? { tiers: all, external: [] } : { tiers: [...new Set(ends.filter((e) => tierNames.has(e)))], external: [...new Set(ends.filter((e) => !tierNames.has(e)))] };
  const rules: Rule[] = spec.rules.map((r, index) => {
    const services = (r.services ?? []).map(service);
    const from = side(r.from);
    const to = side(r.to);
    return {
      index,
      action: r.action,
      log: r.log ?? false,
      sources: from.tiers,
      destinations: to.tiers,
      sourceAny: r.from === 'any',
      destinationAny: r.to === 'any',
      externalSources: from.external,
      externalDestinations: to.external,
      allTraffic: services.length === 0,
      services,
      origin: origin(file, r.line ?? 200 + index, r.col ?? 1),
    };
  });
  return { name: spec.name, defaultAction: spec.defaultAction ?? 'deny', defaultOrigin: undefined, tiers, nets, rules, services: [] };
}
