// test support: fast-check arbitraries for valid policies, as a model (what the policy says) and as
// text (canonical, or with random whitespace, comments, CRLF and BOM). Reusable by any stage's tests.
import fc from 'fast-check';

export interface TierModel {
  readonly name: string;
  readonly subnet: string; // canonical 10.a.b.0/24
  readonly gateway: string | undefined;
  readonly bridge: string | undefined;
  readonly isolated: boolean;
  /** The tier option `ipv6`: fd00:A:B:1::/64 (hex) for the tier's 10.A.B.0/24. */
  readonly ipv6: string | undefined;
}

export type ServiceMatchModel =
  | { readonly proto: 'tcp' | 'udp'; readonly lo: number; readonly hi: number }
  | { readonly proto: 'icmp' };

/** Endpoints are tier names, 'any', net names or 'world'. No services = all traffic. */
export interface RuleModel {
  readonly action: 'allow' | 'deny';
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly services: readonly ServiceMatchModel[];
  readonly log: boolean;
}

export interface ContainerModel {
  readonly name: string;
  readonly image: string;
  readonly tiers: readonly string[];
  readonly addresses: readonly { readonly tier: string; readonly address: string }[];
  readonly publish: readonly { readonly hostAddress: string; readonly hostPort: number; readonly proto: 'tcp' | 'udp'; readonly containerPort: number }[];
  readonly user: string | undefined;
  readonly capAdd: readonly string[];
  readonly tmpfs: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly command: readonly string[];
  readonly writable: boolean;
}

/**
 * A policy that should compile without errors: distinct valid names, non-overlapping 10.a.b.0/24
 * subnets (outside Docker's default pools), gateways and static addresses inside their subnet,
 * rules naming declared tiers with ports 1-65535 and lo <= hi. Rules cover pairwise disjoint
 * (source, destination) pairs and act against the default unless they log, so no rule shadows,
 * duplicates or is redundant with another. Warnings are still possible (service-bridges-deny).
 */
export interface NetModel {
  readonly name: string;
  readonly cidrs: readonly string[]; // canonical, in 192.0.2.0/24 or 198.51.100.0/24 (never a tier)
}

export interface PolicyModel {
  readonly name: string | undefined;
  readonly tiers: readonly TierModel[];
  readonly nets: readonly NetModel[];
  readonly rules: readonly RuleModel[];
  readonly defaultAction: 'allow' | 'deny' | undefined;
  readonly services: readonly ContainerModel[];
}

export interface PolicyOptions {
  readonly maxTiers?: number;
  readonly maxRules?: number;
  readonly maxServices?: number;
}

const KEYWORDS = new Set(['policy', 'tier', 'net', 'gateway', 'bridge', 'isolated', 'ipv6', 'allow', 'deny', 'log', 'default', 'any', 'world', 'host', 'service', 'tcp', 'udp', 'icmp']);
// Docker's predefined networks are refused; ext<N> are the nets' names.
const name = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,8}[a-z0-9])?$/).filter((n) => !KEYWORDS.has(n) && !['host', 'none', 'bridge'].includes(n) && !/^ext\d$/.test(n));
/** Disjoint external ranges a net may take (one each, so no net rule overlaps another's). */
const EXTERNAL_RANGES = ['192.0.2.0/25', '192.0.2.128/26', '198.51.100.0/24', '203.0.113.16/28'];
const IMAGES = ['nginx:1.27-alpine', 'node:20-alpine', 'postgres:16-alpine', 'redis:7', 'registry.example.com:5000/team/app:1.2.3'];
const CAPS = ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE', 'DAC_OVERRIDE', 'KILL'];
const TMPFS = ['/tmp', '/var/run', '/var/cache/nginx', '/run/app:size=64m,mode=1777'];
const ENV_NAMES = ['TZ', 'LOG_LEVEL', 'POSTGRES_PASSWORD_FILE', '_PRIVATE', 'Mixed_Case1'];
// Quotes, backslashes and non-ASCII exercise escapes; no control characters (invalid-string).
const text = fc.string({ unit: fc.constantFrom(...'ab XY09-_./:="\\é→#;{}'.split('')), maxLength: 12 });

const port = fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 65535 }));
const serviceMatch: fc.Arbitrary<ServiceMatchModel> = fc.oneof(
  fc.record({ proto: fc.constantFrom('tcp' as const, 'udp' as const), a: port, b: port, range: fc.boolean() })
    .map(({ proto, a, b, range }) => ({ proto, lo: range ? Math.min(a, b) : a, hi: range ? Math.max(a, b) : a })),
  fc.constant({ proto: 'icmp' as const }),
);
const matches = fc.uniqueArray(serviceMatch, { maxLength: 3, selector: (m) => JSON.stringify(m) });

export function policyModel(options: PolicyOptions = {}): fc.Arbitrary<PolicyModel> {
  const maxTiers = options.maxTiers ?? 6;
  const idx = fc.nat(maxTiers - 1);
  // Mostly one tier per side: lists multiply pairs, and rules whose pairs overlap are dropped.
  const endpoints = fc.oneof({ weight: 3, arbitrary: idx.map((i) => [i]) }, { weight: 1, arbitrary: fc.uniqueArray(idx, { minLength: 1, maxLength: 3 }) });
  return fc
    .record({
      name: fc.option(name, { nil: undefined }),
      names: fc.uniqueArray(name, { minLength: maxTiers + (options.maxServices ?? 3), maxLength: maxTiers + (options.maxServices ?? 3) }),
      tierCount: fc.integer({ min: 1, max: maxTiers }),
      nets: fc.uniqueArray(fc.tuple(fc.nat(255), fc.nat(255)), { minLength: maxTiers, maxLength: maxTiers, selector: ([a, b]) => a * 256 + b }),
      tierOptions: fc.array(
        fc.record({ gateway: fc.option(fc.integer({ min: 200, max: 254 }), { nil: undefined }), bridge: fc.option(fc.constantFrom('br', 'br_', 'tw-'), { nil: undefined }), isolated: fc.boolean(),
          ipv6: fc.boolean() }),
        { minLength: maxTiers, maxLength: maxTiers },
      ),
      rules: fc.array(
        fc.record({ src: endpoints, dst: endpoints, services: matches, log: fc.boolean(), withDefault: fc.boolean() }),
        { maxLength: options.maxRules ?? 12 },
      ),
      netCount: fc.integer({ min: 0, max: EXTERNAL_RANGES.length }),
      edge: fc.array(
        fc.record({ net: fc.integer({ min: -1, max: EXTERNAL_RANGES.length - 1 }), tier: idx, inbound: fc.boolean(), services: matches, log: fc.boolean(), withDefault: fc.boolean() }),
        { maxLength: 4 },
      ),
      anyRule: fc.option(fc.record({ side: fc.constantFrom('src', 'dst'), tier: idx, services: matches, log: fc.boolean() }), { nil: undefined }),
      defaultAction: fc.option(fc.constantFrom('allow' as const, 'deny' as const), { nil: undefined }),
      services: fc.array(
        fc.record({
          tiers: fc.uniqueArray(idx, { minLength: 1, maxLength: 2 }),
          image: fc.constantFrom(...IMAGES),
          withAddress: fc.boolean(),
          publish: fc.array(fc.record({ proto: fc.constantFrom('tcp' as const, 'udp' as const), containerPort: port }), { maxLength: 2 }),
          user: fc.option(fc.constantFrom('1000:1000', 'app', '70:70'), { nil: undefined }),
          capAdd: fc.subarray(CAPS),
          tmpfs: fc.subarray(TMPFS),
          env: fc.uniqueArray(fc.record({ name: fc.constantFrom(...ENV_NAMES), value: text }), { maxLength: 2, selector: (e) => e.name }),
          command: fc.array(text, { maxLength: 3 }),
          writable: fc.boolean(),
        }),
        { maxLength: options.maxServices ?? 3 },
      ),
    })
    .map((d): PolicyModel => {
      const tiers: TierModel[] = d.names.slice(0, d.tierCount).map((n, i) => {
        const [a, b] = d.nets[i]!;
        const o = d.tierOptions[i]!;
        return {
          name: n,
          subnet: `10.${a}.${b}.0/24`,
          gateway: o.gateway === undefined ? undefined : `10.${a}.${b}.${o.gateway}`,
          bridge: o.bridge === undefined ? undefined : `${o.bridge}${i}`,
          isolated: o.isolated,
          // The trailing :1 keeps the longest zero run at the end whatever A and B are: always canonical.
          ipv6: o.ipv6 ? `fd00:${a.toString(16)}:${b.toString(16)}:1::/64` : undefined,
        };
      });
      const tier = (k: number): TierModel => tiers[k % tiers.length]!;
      const effectiveDefault = d.defaultAction ?? 'deny';
      const against = effectiveDefault === 'deny' ? 'allow' : 'deny';
      const used = new Set<string>();
      const rules: RuleModel[] = [];
      for (const r of d.rules) {
        const src = [...new Set(r.src.map((k) => tier(k).name))];
        const dst = [...new Set(r.dst.map((k) => tier(k).name))];
        const pairs = src.flatMap((s) => dst.map((t) => `${s}>${t}`));
        if (src.some((s) => dst.includes(s)) || pairs.some((p) => used.has(p))) continue;
        pairs.forEach((p) => used.add(p));
        rules.push({ action: r.log && r.withDefault ? effectiveDefault : against, sources: src, destinations: dst, services: r.services, log: r.log });
      }
      const a = d.anyRule;
      if (a !== undefined && tiers.length >= 2 && !tier(a.tier).isolated) {
        const t = tier(a.tier).name;
        const free = a.side === 'dst' ? rules.every((r) => !r.destinations.includes(t)) : rules.every((r) => !r.sources.includes(t));
        if (free) {
          rules.push({ action: against, sources: a.side === 'dst' ? ['any'] : [t], destinations: a.side === 'dst' ? [t] : ['any'], services: a.services, log: a.log });
        }
      }
      // Edge rules: one (zone, tier, direction) each; a `world` rule (net -1) only where no net rule
      // of that tier and direction exists, as world holds every net (it would make one redundant).
      const nets: NetModel[] = EXTERNAL_RANGES.slice(0, d.netCount).map((c, i) => ({ name: `ext${i}`, cidrs: [c] }));
      const edgeUsed = new Set<string>();
      for (const e of d.edge) {
        if (e.net >= nets.length) continue;
        const peer = e.net < 0 ? 'world' : nets[e.net]!.name;
        const t = tier(e.tier).name;
        const dir = e.inbound ? 'in' : 'out';
        const key = `${peer}|${t}|${dir}`;
        if (edgeUsed.has(key) || edgeUsed.has(`world|${t}|${dir}`) || (peer === 'world' && [...edgeUsed].some((k) => k.endsWith(`|${t}|${dir}`)))) continue;
        edgeUsed.add(key);
        const action = e.log && e.withDefault ? effectiveDefault : against;
        rules.push({ action, sources: e.inbound ? [peer] : [t], destinations: e.inbound ? [t] : [peer], services: e.services, log: e.log });
      }
      const serviceNames = d.names.slice(d.tierCount);
      let hostPort = 20000;
      const services = d.services.slice(0, serviceNames.length).map((s, i): ContainerModel => {
        const joined = [...new Set(s.tiers.map((k) => tier(k)))];
        return {
          name: serviceNames[i]!,
          image: s.image,
          tiers: joined.map((t) => t.name),
          // Hosts .10 and up: unique per service, never a gateway (.200-.254) or reserved address.
          addresses: s.withAddress ? joined.map((t) => ({ tier: t.name, address: t.subnet.replace(/0\/24$/, String(10 + i)) })) : [],
          publish: s.publish.map((p) => ({ hostAddress: '127.0.0.1', hostPort: hostPort++, proto: p.proto, containerPort: p.containerPort })),
          user: s.user,
          capAdd: s.capAdd,
          tmpfs: s.tmpfs,
          env: s.env,
          command: s.command,
          writable: s.writable,
        };
      });
      return { name: d.name, tiers, nets, rules, defaultAction: d.defaultAction, services };
    });
}

/** The statements of a model as token lists; a service is its header, settings and '}'. */
type Line = { readonly tokens: readonly string[]; readonly section: number; readonly indent: number };

function lines(m: PolicyModel): Line[] {
  const out: Line[] = [];
  const add = (section: number, tokens: string[], indent = 0): void => void out.push({ tokens, section, indent });
  const list = (xs: readonly string[]): string[] => xs.flatMap((x, i) => (i === 0 ? [x] : [',', x]));
  if (m.name !== undefined) add(0, ['policy', m.name, ';']);
  for (const t of m.tiers) {
    const opts = [...(t.gateway ? ['gateway', t.gateway] : []), ...(t.bridge ? ['bridge', t.bridge] : []), ...(t.isolated ? ['isolated'] : []), ...(t.ipv6 ? ['ipv6', t.ipv6] : [])];
    add(1, ['tier', t.name, t.subnet, ...opts, ';']);
  }
  for (const n of m.nets) add(1, ['net', n.name, ...list(n.cidrs), ';']);
  for (const r of m.rules) {
    const svc = r.services.map((s) => (s.proto === 'icmp' ? ['icmp'] : s.lo === s.hi ? [s.proto, '/', String(s.lo)] : [s.proto, '/', String(s.lo), '-', String(s.hi)]));
    const services = svc.flatMap((s, i) => (i === 0 ? s : [',', ...s]));
    add(2, [r.action, ...list(r.sources), '->', ...list(r.destinations), ...services, ...(r.log ? ['log'] : []), ';']);
  }
  if (m.defaultAction !== undefined) add(3, ['default', m.defaultAction, ';']);
  m.services.forEach((s, i) => {
    const section = 4 + i;
    add(section, ['service', s.name, '{']);
    const set = (tokens: string[]): void => add(section, [...tokens, ';'], 2);
    set(['image', quote(s.image)]);
    set(['tiers', ...list(s.tiers)]);
    for (const a of s.addresses) set(['address', a.tier, a.address]);
    for (const p of s.publish) set(['publish', p.hostAddress, ':', String(p.hostPort), '->', p.proto, '/', String(p.containerPort)]);
    if (s.user !== undefined) set(['user', quote(s.user)]);
    if (s.capAdd.length > 0) set(['cap_add', ...list(s.capAdd)]);
    if (s.tmpfs.length > 0) set(['tmpfs', ...list(s.tmpfs.map(quote))]);
    for (const e of s.env) set(['env', e.name, quote(e.value)]);
    if (s.command.length > 0) set(['command', ...list(s.command.map(quote))]);
    if (s.writable) set(['writable']);
    add(section, ['}']);
  });
  return out;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const GLUE_BEFORE = new Set([',', ';', ':', '/', '-']);
const GLUE_AFTER = new Set([':', '/', '-']);
const PUNCT = new Set([',', ';', ':', '/', '-', '->', '{', '}']);

/** Exactly what `tierwall fmt` produces: sections separated by one blank line. */
export function renderPolicy(m: PolicyModel): string {
  const ls = lines(m);
  return ls
    .map((l, i) => {
      const blank = i > 0 && ls[i - 1]!.section !== l.section ? '\n' : '';
      const body = l.tokens.map((t, k) => (k === 0 || GLUE_BEFORE.has(t) || GLUE_AFTER.has(l.tokens[k - 1]!) ? t : ` ${t}`)).join('');
      return blank + ' '.repeat(l.indent) + body;
    })
    .map((l) => `${l}\n`)
    .join('');
}

/** Choices for a random layout of the same tokens. */
export interface Layout {
  readonly seps: readonly number[];
  readonly crlf: boolean;
  readonly bom: boolean;
  readonly header: boolean;
  readonly finalNewline: boolean;
}

export const layout: fc.Arbitrary<Layout> = fc.record({
  seps: fc.array(fc.nat(99), { minLength: 1, maxLength: 40 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  header: fc.boolean(),
  finalNewline: fc.boolean(),
});

// Whitespace, blank lines and comments between tokens. Comments start after a blank so that they
// never touch a '/' ("tcp//x" would be a comment) and end with a newline.
const SPACES = [' ', ' ', ' ', '  ', '\t', '\n', '\n\n', '\n\n\n', ' \n\t', ' # note\n', ' // note  \n', '\n# own line\n', '\n\n# own\n\n', ' #\n'];

/** The same tokens as renderPolicy, laid out by `l`: the result must parse to the same AST. */
export function renderWithLayout(m: PolicyModel, l: Layout): string {
  const tokens = lines(m).flatMap((x) => x.tokens);
  let k = 0;
  const pick = (): number => l.seps[k++ % l.seps.length]!;
  let out = l.header ? '# generated\n\n' : '';
  tokens.forEach((t, i) => {
    if (i > 0) {
      const prev = tokens[i - 1]!;
      const n = pick();
      // Nothing between tokens only where the lexer can still tell them apart.
      out += n < 15 && (PUNCT.has(prev) || PUNCT.has(t)) ? '' : n >= 50 ? ' ' : SPACES[n % SPACES.length]!;
    }
    out += t;
  });
  if (l.finalNewline) out += '\n';
  if (l.crlf) out = out.replace(/\n/g, '\r\n');
  return (l.bom ? '\uFEFF' : '') + out;
}

/** A valid policy with its model and a randomly laid out text. */
export function arbitraryPolicy(options: PolicyOptions = {}): fc.Arbitrary<{ model: PolicyModel; text: string }> {
  return fc.tuple(policyModel(options), fc.option(layout, { nil: undefined, freq: 3 })).map(([model, l]) => ({
    model,
    text: l === undefined ? renderPolicy(model) : renderWithLayout(model, l),
  }));
}

/** Just the text of arbitraryPolicy. */
export function policyText(options: PolicyOptions = {}): fc.Arbitrary<string> {
  return arbitraryPolicy(options).map((p) => p.text);
}
