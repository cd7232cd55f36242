// ir: lowers `service NAME { ... }` blocks: each setting's values are checked for kind, count and
// content (these strings end up in compose.yml). Input: ServiceDecl[]. Output: Service[] + diagnostics.
import type { ServiceDecl, ServiceSetting, SettingValue } from '../syntax/ast.js';
import type { PortBinding, Service, Tier } from './types.js';
import type { LowerContext } from './lower-context.js';
import { parseIpv4 } from './ipv4.js';
import { PORT_MAX, PORT_MIN } from './ports.js';
import { suggest } from './suggest.js';
import { CAPABILITIES, isValidEnvName, isValidImage, isValidUser, nameProblem, pathProblem } from './validate-names.js';

/** Every service setting, in the order the docs list them (the LSP completes from this list). */
export const SETTINGS = ['image', 'tiers', 'address', 'publish', 'user', 'cap_add', 'tmpfs', 'env', 'command', 'writable'] as const;
type SettingName = (typeof SETTINGS)[number];
/** Settings that may appear more than once (their values accumulate). */
const REPEATABLE: ReadonlySet<string> = new Set(['address', 'publish', 'cap_add', 'tmpfs', 'env']);

interface Draft {
  image?: string;
  tiers: string[];
  addresses: { tier: string; address: string; span: ServiceSetting['span'] }[];
  publish: PortBinding[];
  user?: string;
  capAdd: string[];
  readOnly: boolean;
  tmpfs: string[];
  env: { name: string; value: string }[];
  command: string[];
  // Membership sets beside the ordered lists: a service may repeat tiers/tmpfs/env thousands of
  // times, and a scan of the list per setting made lowering quadratic.
  tierSet: Set<string>;
  tmpfsSet: Set<string>;
  envSet: Set<string>;
}

function isText(v: SettingValue): v is Extract<SettingValue, { kind: 'word' | 'string' }> {
  return v.kind === 'word' || v.kind === 'string';
}

function port(ctx: LowerContext, text: string, span: SettingValue['span']): number | undefined {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= PORT_MIN && n <= PORT_MAX)) {
    ctx.report('port-out-of-range', { port: text }, span);
    return undefined;
  }
  return n;
}

function applySetting(ctx: LowerContext, draft: Draft, s: ServiceSetting, name: SettingName, tiers: ReadonlyMap<string, Tier>, declared: ReadonlySet<string>): void {
  const values = s.values;
  const expect = (ok: boolean, expected: string): boolean => {
    if (!ok) ctx.report('invalid-setting', { setting: name, expected }, s.span);
    return ok;
  };
  const texts = values.filter(isText);
  switch (name) {
    case 'image': {
      if (!expect(values.length === 1 && isText(values[0]!), 'one image reference, e.g. image "nginx:1.27";')) return;
      const v = values[0] as Extract<SettingValue, { kind: 'word' | 'string' }>;
      if (!isValidImage(v.text)) ctx.report('invalid-image', { image: v.text }, v.span);
      else draft.image = v.text;
      return;
    }
    case 'tiers':
      if (!expect(values.length > 0 && texts.length === values.length, 'one or more tier names')) return;
      for (const v of texts) {
        if (tiers.has(v.text)) {
          if (!draft.tierSet.has(v.text)) {
            draft.tierSet.add(v.text);
            draft.tiers.push(v.text);
          }
        } else if (!declared.has(v.text)) {
          ctx.report('unknown-tier', { name: v.text, suggestion: suggest(v.text, tiers.keys()) ?? '' }, v.span);
        }
      }
      return;
    case 'address': {
      if (!expect(values.length === 2 && texts.length === 2, 'a tier and an IPv4 address, e.g. address backend 172.20.2.10;')) return;
      const [tier, addr] = texts as [typeof texts[0], typeof texts[0]];
      if (parseIpv4(addr.text) === undefined) {
        ctx.report('invalid-address', { text: addr.text }, addr.span);
        return;
      }
      if (!tiers.has(tier.text)) {
        if (!declared.has(tier.text)) ctx.report('unknown-tier', { name: tier.text, suggestion: suggest(tier.text, tiers.keys()) ?? '' }, tier.span);
        return;
      }
      draft.addresses.push({ tier: tier.text, address: addr.text, span: s.span });
      return;
    }
    case 'publish':
      if (!expect(values.length > 0 && values.every((v) => v.kind === 'binding'), 'HOST-ADDRESS:PORT -> tcp/PORT, e.g. publish 127.0.0.1:8080 -> tcp/80;')) return;
      for (const v of values) {
        if (v.kind !== 'binding') continue;
        if (parseIpv4(v.hostAddress.text) === undefined) {
          ctx.report('invalid-address', { text: v.hostAddress.text }, v.hostAddress.span);
          continue;
        }
        const hp = port(ctx, v.hostPort.text, v.hostPort.span);
        const cp = port(ctx, v.containerPort.text, v.containerPort.span);
        if (hp !== undefined && cp !== undefined) draft.publish.push({ hostAddress: v.hostAddress.text, hostPort: hp, proto: v.proto, containerPort: cp });
      }
      return;
    case 'user': {
      if (!expect(values.length === 1 && isText(values[0]!), 'one user, e.g. user "1000:1000";')) return;
      const v = values[0] as Extract<SettingValue, { kind: 'word' | 'string' }>;
      if (!isValidUser(v.text)) ctx.report('invalid-user', { user: v.text }, v.span);
      else draft.user = v.text;
      return;
    }
    case 'cap_add':
      if (!expect(values.length > 0 && texts.length === values.length, 'capability names, e.g. cap_add NET_BIND_SERVICE;')) return;
      for (const v of texts) {
        const cap = v.text.replace(/^CAP_/, '');
        if (!CAPABILITIES.has(cap)) ctx.report('invalid-capability', { cap: v.text }, v.span);
        else if (!draft.capAdd.includes(cap)) draft.capAdd.push(cap);
      }
      return;
    case 'tmpfs':
      if (!expect(values.length > 0 && values.every((v) => v.kind === 'string'), 'quoted absolute paths, e.g. tmpfs "/tmp";')) return;
      for (const v of texts) {
        const problem = pathProblem(v.text, true);
        if (problem) ctx.report('invalid-path', { path: v.text, reason: problem }, v.span);
        else if (!draft.tmpfsSet.has(v.text)) {
          draft.tmpfsSet.add(v.text);
          draft.tmpfs.push(v.text);
        }
      }
      return;
    case 'env': {
      if (!expect(values.length === 2 && values[0]!.kind === 'word' && values[1]!.kind === 'string', 'a name and a quoted value, e.g. env TZ "UTC";')) return;
      const [k, v] = texts as [typeof texts[0], typeof texts[0]];
      if (!isValidEnvName(k.text)) ctx.report('invalid-env', { name: k.text }, k.span);
      else if (draft.envSet.has(k.text)) ctx.report('duplicate-setting', { setting: `env ${k.text}` }, k.span);
      else {
        draft.envSet.add(k.text);
        draft.env.push({ name: k.text, value: v.text });
      }
      return;
    }
    case 'command':
      if (!expect(values.length > 0 && values.every((v) => v.kind === 'string'), 'quoted arguments, e.g. command "node", "server.js";')) return;
      draft.command = texts.map((v) => v.text);
      return;
    case 'writable':
      if (!expect(values.length === 0, 'no values: writable;')) return;
      draft.readOnly = false;
      return;
  }
}

function lowerService(ctx: LowerContext, d: ServiceDecl, tiers: ReadonlyMap<string, Tier>, declared: ReadonlySet<string>): Service | undefined {
  const draft: Draft = {
    tiers: [], addresses: [], publish: [], capAdd: [], readOnly: true, tmpfs: [], env: [], command: [],
    tierSet: new Set(), tmpfsSet: new Set(), envSet: new Set(),
  };
  const seen = new Map<string, ServiceSetting>();
  for (const s of d.settings) {
    const name = s.name.text;
    if (!(SETTINGS as readonly string[]).includes(name)) {
      ctx.report('unknown-setting', { name, suggestion: suggest(name, SETTINGS) ?? '' }, s.name.span, {
        hints: [`known settings: ${SETTINGS.join(', ')}`],
      });
      continue;
    }
    const first = seen.get(name);
    if (first && !REPEATABLE.has(name)) {
      ctx.report('duplicate-setting', { setting: name }, s.name.span, { related: [{ span: first.name.span, message: 'first set here' }] });
      continue;
    }
    seen.set(name, s);
    applySetting(ctx, draft, s, name as SettingName, tiers, declared);
  }
  if (!seen.has('image')) ctx.report('invalid-setting', { setting: 'image', expected: 'to be set: every service needs an image' }, d.name.span);
  if (!seen.has('tiers')) ctx.report('service-no-tier', { name: d.name.text }, d.name.span, { hints: ['add: tiers <tier>;'] });
  for (const a of draft.addresses) {
    if (!draft.tierSet.has(a.tier)) ctx.report('address-tier-not-joined', { service: d.name.text, tier: a.tier }, a.span, { hints: [`add '${a.tier}' to the service's tiers`] });
  }
  if (draft.image === undefined || draft.tiers.length === 0) return undefined;
  return {
    name: d.name.text,
    image: draft.image,
    tiers: draft.tiers,
    addresses: draft.addresses.map(({ tier, address }) => ({ tier, address })),
    publish: draft.publish,
    user: draft.user,
    capAdd: draft.capAdd,
    readOnly: draft.readOnly,
    tmpfs: draft.tmpfs,
    env: draft.env,
    command: draft.command,
    origin: ctx.origin(d.span),
  };
}

export function lowerServices(ctx: LowerContext, decls: readonly ServiceDecl[], tiers: readonly Tier[], declared: ReadonlySet<string>): Service[] {
  const byTier = new Map(tiers.map((t) => [t.name, t]));
  const out: Service[] = [];
  const names = new Map<string, ServiceDecl>();
  for (const d of decls) {
    const problem = nameProblem(d.name.text);
    if (problem) ctx.report('invalid-name', { kind: 'service', name: d.name.text, reason: problem }, d.name.span);
    const first = names.get(d.name.text);
    if (first) {
      ctx.report('duplicate-service', { name: d.name.text }, d.name.span, { related: [{ span: first.name.span, message: 'first declared here' }] });
      continue;
    }
    names.set(d.name.text, d);
    const s = lowerService(ctx, d, byTier, declared);
    if (s) out.push(s);
  }
  return out;
}
