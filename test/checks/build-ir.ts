// test support: builds IR policies by hand, without the parser, for the checks' tests.
// Every declaration gets a fake origin with its own span, so a test can assert where a diagnostic points.
import type { Action, Policy, PortBinding, Rule, Service, ServiceMatch, Tier } from '../../src/ir/types.js';
import type { Span } from '../../src/source/source-file.js';
import { formatIpv4, parseCidr } from '../../src/ir/ipv4.js';

export const FILE = 'test.policy';

export interface TierSpec {
  readonly name: string;
  readonly cidr: string;
  readonly gateway?: string;
  readonly isolated?: boolean;
}

export interface RuleSpec {
  readonly action: Action;
  readonly sources: readonly string[]; // tier names or 'any'; net names and 'world' (policy's nets)
  readonly destinations: readonly string[];
  /** 'all' (or omitted) = no services: the rule matches all traffic. */
  readonly services: readonly ServiceMatch[] | 'all';
  readonly log: boolean;
}

export interface ServiceSpec {
  readonly name: string;
  readonly tiers: readonly string[];
  readonly addresses?: readonly { tier: string; address: string }[];
  readonly publish?: readonly PortBinding[];
}

export function tier(name: string, cidr: string, opts: { gateway?: string; isolated?: boolean } = {}): TierSpec {
  return { name, cidr, ...opts };
}

export function rule(
  action: Action,
  sources: readonly string[],
  destinations: readonly string[],
  services: readonly ServiceMatch[] | 'all' = 'all',
  opts: { log?: boolean } = {},
): RuleSpec {
  return { action, sources, destinations, services, log: opts.log ?? false };
}

export const tcp = (lo: number, hi = lo): ServiceMatch => ({ proto: 'tcp', lo, hi });
export const udp = (lo: number, hi = lo): ServiceMatch => ({ proto: 'udp', lo, hi });
export const icmp: ServiceMatch = { proto: 'icmp' };

export function service(name: string, tiers: readonly string[], opts: Omit<ServiceSpec, 'name' | 'tiers'> = {}): ServiceSpec {
  return { name, tiers, ...opts };
}

export function bind(hostAddress: string, hostPort: number, proto: 'tcp' | 'udp' = 'tcp', containerPort = hostPort): PortBinding {
  return { hostAddress, hostPort, proto, containerPort };
}

// Distinct, non-overlapping spans per kind of declaration: tier i at 1000+10i, rule i at
// 100000+10i, service i at 200000+10i, the default at 300000.
const origin = (start: number, line: number) => ({ file: FILE, line, col: 1, span: { file: FILE, start, end: start + 5 } });

export function policy(spec: {
  tiers: readonly TierSpec[];
  nets?: readonly { name: string; cidrs: readonly string[] }[];
  rules?: readonly RuleSpec[];
  services?: readonly ServiceSpec[];
  defaultAction?: Action;
}): Policy {
  const names = spec.tiers.map((t) => t.name);
  const tiers: Tier[] = spec.tiers.map((t, i) => {
    const c = parseCidr(t.cidr);
    if (!c.ok) throw new Error(`bad cidr ${t.cidr}`);
    return {
      name: t.name,
      subnet: { text: c.canonical, base: c.base, prefix: c.prefix },
      gateway: t.gateway ?? formatIpv4((c.base + 1) >>> 0),
      bridge: `tw-${t.name}`.slice(0, 15),
      isolated: t.isolated ?? false,
      origin: origin(1000 + 10 * i, 1 + i),
    };
  });
  const netNames = new Set((spec.nets ?? []).map((n) => n.name));
  const external = (x: string) => x === 'world' || netNames.has(x);
  const resolve = (list: readonly string[]) => (list.includes('any') ? names : [...new Set(list.filter((x) => !external(x)))]);
  const externals = (list: readonly string[]) => [...new Set(list.filter(external))];
  const rules: Rule[] = (spec.rules ?? []).map((r, i) => ({
    index: i,
    action: r.action,
    log: r.log,
    sources: resolve(r.sources),
    destinations: resolve(r.destinations),
    sourceAny: r.sources.includes('any'),
    destinationAny: r.destinations.includes('any'),
    externalSources: externals(r.sources),
    externalDestinations: externals(r.destinations),
    allTraffic: r.services === 'all',
    services: r.services === 'all' ? [] : r.services,
    origin: origin(100000 + 10 * i, 1000 + i),
  }));
  const services: Service[] = (spec.services ?? []).map((s, i) => ({
    name: s.name,
    image: 'busybox:1',
    tiers: s.tiers,
    addresses: s.addresses ?? [],
    publish: s.publish ?? [],
    user: undefined,
    capAdd: [],
    readOnly: true,
    tmpfs: [],
    env: [],
    command: [],
    origin: origin(200000 + 10 * i, 2000 + i),
  }));
  return {
    name: 'test',
    defaultAction: spec.defaultAction ?? 'deny',
    defaultOrigin: spec.defaultAction ? origin(300000, 3000) : undefined,
    tiers,
    nets: (spec.nets ?? []).map((n, i) => {
      const cidrs = n.cidrs.map((text) => {
        const c = parseCidr(text);
        if (!c.ok) throw new Error(`bad cidr ${text}`);
        return { text: c.canonical, base: c.base, prefix: c.prefix };
      });
      return { name: n.name, cidrs, origin: origin(400000 + 10 * i, 4000 + i), cidrSpans: cidrs.map(() => origin(400000 + 10 * i, 4000 + i).span) };
    }),
    rules,
    services,
  };
}

/** The span a diagnostic about this declaration points at. */
export const spanOf = (decl: { readonly origin: { readonly span: Span } }): Span => decl.origin.span;
