// test fixtures for the graph, report and compose tests: IR built by hand (stable while the front
// end evolves; front-end.test.ts checks it against loadPolicy), builders for IR lowering would reject.
import type { Action, Origin, Policy, Rule, Service, ServiceMatch, Tier } from '../../src/ir/types.js';
import { parseCidr } from '../../src/ir/ipv4.js';
import type { Flow } from '../../src/eval/evaluate.js';
import { readdirSync, readFileSync } from 'node:fs';
import { loadPolicy } from '../support/policy.js';

export function origin(line = 1): Origin {
  return { file: 'test.policy', line, col: 1, span: { file: 'test.policy', start: 0, end: 0 } };
}

export function tier(name: string, subnet: string, opts: { gateway?: string; bridge?: string; isolated?: boolean; line?: number } = {}): Tier {
  const c = parseCidr(subnet);
  if (!c.ok) throw new Error(`bad fixture subnet ${subnet}`);
  const gw = (c.base + 1) >>> 0;
  return {
    name,
    subnet: { text: c.canonical, base: c.base, prefix: c.prefix },
    gateway: opts.gateway ?? [gw >>> 24, (gw >>> 16) & 255, (gw >>> 8) & 255, gw & 255].join('.'),
    bridge: opts.bridge ?? `tw-${name}`.slice(0, 15),
    isolated: opts.isolated ?? false,
    origin: origin(opts.line),
  };
}

/** 'tcp/80', 'udp/9000-9010', 'icmp'. */
function serviceMatch(text: string): ServiceMatch {
  if (text === 'icmp') return { proto: 'icmp' };
  const m = /^(tcp|udp)\/(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new Error(`bad fixture service ${text}`);
  return { proto: m[1] as 'tcp' | 'udp', lo: Number(m[2]), hi: Number(m[3] ?? m[2]) };
}

export interface RuleSpec {
  readonly action: Action;
  /** Tier names, or '*' for `any`. */
  readonly from: readonly string[] | '*';
  readonly to: readonly string[] | '*';
  /** Empty for all traffic. */
  readonly services?: readonly string[];
  readonly log?: boolean;
  readonly line?: number;
  /** Nets and `world` on either side. */
  readonly externalFrom?: readonly string[];
  readonly externalTo?: readonly string[];
}

export function policy(name: string, defaultAction: Action, tiers: readonly Tier[], rules: readonly RuleSpec[], services: readonly Service[] = []): Policy {
  const all = tiers.map((t) => t.name);
  const irRules: Rule[] = rules.map((r, index) => ({
    index,
    action: r.action,
    log: r.log ?? false,
    sources: r.from === '*' ? all : [...r.from],
    destinations: r.to === '*' ? all : [...r.to],
    sourceAny: r.from === '*',
    destinationAny: r.to === '*',
    externalSources: [...(r.externalFrom ?? [])],
    externalDestinations: [...(r.externalTo ?? [])],
    allTraffic: (r.services ?? []).length === 0,
    services: (r.services ?? []).map(serviceMatch),
    origin: origin(r.line ?? index + 1),
  }));
  return { name, defaultAction, defaultOrigin: origin(), tiers, nets: [], rules: irRules, services };
}

export function service(name: string, s: Partial<Omit<Service, 'name' | 'origin'>> & { tiers: readonly string[] }): Service {
  return {
    name,
    image: s.image ?? 'busybox:1.36',
    tiers: s.tiers,
    addresses: s.addresses ?? [],
    publish: s.publish ?? [],
    user: s.user,
    capAdd: s.capAdd ?? [],
    readOnly: s.readOnly ?? true,
    tmpfs: s.tmpfs ?? [],
    env: s.env ?? [],
    command: s.command ?? [],
    origin: origin(),
  };
}

/** policies/three-tier.policy, lowered by hand (front-end.test.ts checks it against loadPolicy). */
export const threeTier: Policy = policy(
  'three-tier',
  'deny',
  [
    tier('frontend', '172.20.1.0/24', { gateway: '172.20.1.1', bridge: 'web-bridge', line: 4 }),
    tier('backend', '172.20.2.0/24', { bridge: 'app-bridge', line: 5 }),
    tier('database', '172.20.3.0/24', { bridge: 'db-bridge', isolated: true, line: 6 }),
  ],
  [
    { action: 'allow', from: ['frontend'], to: ['backend'], services: ['tcp/8080'], line: 8 },
    { action: 'allow', from: ['backend'], to: ['database'], services: ['tcp/5432'], line: 9 },
    { action: 'deny', from: ['frontend'], to: ['database'], log: true, line: 10 },
    { action: 'allow', from: [], externalFrom: ['world'], to: ['frontend'], services: ['tcp/80'], line: 11 },
  ],
  [
    service('web', {
      image: 'nginx:1.27-alpine',
      tiers: ['frontend'],
      addresses: [{ tier: 'frontend', address: '172.20.1.10' }],
      publish: [{ hostAddress: '0.0.0.0', hostPort: 80, proto: 'tcp', containerPort: 80 }],
      capAdd: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'],
      tmpfs: ['/var/cache/nginx', '/var/run', '/tmp'],
    }),
    service('app', {
      image: 'node:20-alpine',
      tiers: ['backend'],
      addresses: [{ tier: 'backend', address: '172.20.2.10' }],
      user: '1000:1000',
      command: ['node', '/app/server.js'],
      tmpfs: ['/tmp'],
    }),
    service('db', {
      image: 'postgres:16-alpine',
      tiers: ['database'],
      addresses: [{ tier: 'database', address: '172.20.3.10' }],
      user: '70:70',
      env: [{ name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/db-password' }],
      tmpfs: ['/var/run/postgresql', '/tmp'],
      readOnly: false,
    }),
  ],
);

/**
 * `any`, default allow and overlapping port ranges: first match decides the overlap.
 *   rule 1 deny  any -> db tcp/5000-6000 log   (db unreachable on 5000-6000 from every tier, logged)
 *   rule 2 allow web -> app tcp/8000-8100, udp/53
 *   rule 3 deny  web -> app tcp/8080-9000 log  (8080-8100 already allowed by rule 2; 8101-9000 denied)
 *   rule 4 deny  any -> mgmt                   (all traffic into mgmt, not logged)
 *   rule 5 deny  web -> db                     (the rest of web -> db, not logged)
 */
export const MIXED_TEXT = `policy mixed;
tier web  10.10.1.0/24;
tier app  10.10.2.0/24 isolated;
tier db   10.10.3.0/24;
tier mgmt 10.10.4.0/24;

deny  any -> db  tcp/5000-6000 log;
allow web -> app tcp/8000-8100, udp/53;
deny  web -> app tcp/8080-9000 log;
deny  any -> mgmt;
deny  web -> db;

default allow;
`;

/** MIXED_TEXT lowered by hand (front-end.test.ts checks it against loadPolicy). */
export const mixed: Policy = policy(
  'mixed',
  'allow',
  [tier('web', '10.10.1.0/24', { line: 2 }), tier('app', '10.10.2.0/24', { isolated: true, line: 3 }), tier('db', '10.10.3.0/24', { line: 4 }), tier('mgmt', '10.10.4.0/24', { line: 5 })],
  [
    { action: 'deny', from: '*', to: ['db'], services: ['tcp/5000-6000'], log: true, line: 7 },
    { action: 'allow', from: ['web'], to: ['app'], services: ['tcp/8000-8100', 'udp/53'], line: 8 },
    { action: 'deny', from: ['web'], to: ['app'], services: ['tcp/8080-9000'], log: true, line: 9 },
    { action: 'deny', from: '*', to: ['mgmt'], line: 10 },
    { action: 'deny', from: ['web'], to: ['db'], line: 11 },
  ],
);

/** Nets that overlap (office+vpn), a rule per net, world both ways. */
export const EDGE_TEXT = `policy edge;
tier web 10.10.1.0/24;
tier app 10.10.2.0/24;
net office 192.0.2.0/24, 198.51.100.0/24;
net vpn 192.0.2.0/25;
allow world -> web tcp/80, tcp/443;
allow office -> app tcp/22;
deny vpn -> app log;
allow app -> world udp/53;
default deny;
`;
/** Ports where a verdict can change: every rule boundary and its neighbours, plus the extremes. */
export function samplePorts(p: Policy): number[] {
  const ports = new Set<number>([1, 2, 1023, 1024, 65534, 65535]);
  for (const r of p.rules) {
    for (const s of r.services) {
      if (s.proto === 'icmp') continue;
      for (const x of [s.lo - 1, s.lo, s.lo + 1, s.hi - 1, s.hi, s.hi + 1]) if (x >= 1 && x <= 65535) ports.add(x);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Every sample flow from src to dst: tcp/udp at samplePorts, icmp, other. */
export function sampleFlows(p: Policy, src: string, dst: string): Flow[] {
  const out: Flow[] = [];
  for (const proto of ['tcp', 'udp'] as const) for (const port of samplePorts(p)) out.push({ src, dst, proto, port });
  out.push({ src, dst, proto: 'icmp' }, { src, dst, proto: 'other' });
  return out;
}

/** Every example in policies/, loaded lazily so one broken example fails only its own test. */
export const EXAMPLES: readonly { readonly file: string; readonly load: () => Policy }[] = readdirSync(new URL('../../policies/', import.meta.url))
  .filter((f) => f.endsWith('.policy'))
  .sort()
  .map((f) => ({ file: f, load: () => loadPolicy(readFileSync(new URL(`../../policies/${f}`, import.meta.url), 'utf8'), `policies/${f}`) }));
