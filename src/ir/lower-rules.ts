// ir: lowers `allow`/`deny` rules: resolves endpoint names (any -> every tier; nets and `world` to
// the external ends), checks ports. Input: RuleDecl[] + tiers + nets. Output: Rule[] in source order.
import type { Endpoint, RuleDecl, ServiceSpec } from '../syntax/ast.js';
import { WORLD, type Net, type Rule, type ServiceMatch, type Tier } from './types.js';
import type { LowerContext } from './lower-context.js';
import { PORT_MAX, PORT_MIN } from './ports.js';
import { suggest } from './suggest.js';

/** Built once per policy: a lookup per endpoint must not cost O(tiers). */
interface Names {
  readonly tiers: ReadonlySet<string>;
  readonly all: readonly string[];
  readonly nets: ReadonlySet<string>;
  /** Every tier and net name written, kept or not: naming a broken one is not "unknown" again. */
  readonly declared: ReadonlySet<string>;
  /** Tiers and nets, for did-you-mean. */
  readonly candidates: ReadonlySet<string>;
}

interface Side {
  readonly names: readonly string[];
  readonly any: boolean;
  readonly external: readonly string[];
  readonly ok: boolean;
}

function resolveEndpoints(ctx: LowerContext, endpoints: readonly Endpoint[], n: Names, side: 'a source' | 'a destination'): Side {
  const names: string[] = [];
  const external: string[] = [];
  let any = false;
  let ok = true;
  for (const ep of endpoints) {
    if (ep.kind === 'any') {
      any = true;
      continue;
    }
    if (ep.kind === 'world') {
      if (!external.includes(WORLD)) external.push(WORLD);
      continue;
    }
    if (ep.kind === 'host') {
      ok = false;
      ctx.report('host-not-managed', { side }, ep.span, {
        hints: ['manage the host\'s own firewall (INPUT) separately; a port a container publishes is reached through DOCKER-USER: name the tier that publishes it'],
      });
      continue;
    }
    const name = ep.name.text;
    if (n.tiers.has(name)) {
      if (!names.includes(name)) names.push(name);
    } else if (n.nets.has(name)) {
      if (!external.includes(name)) external.push(name);
    } else {
      ok = false;
      if (!n.declared.has(name)) {
        const suggestion = suggest(name, n.candidates) ?? '';
        ctx.report('unknown-tier', { name, suggestion, what: n.nets.size > 0 ? 'tier or net' : 'tier' }, ep.name.span, {
          hints: suggestion ? [] : [`declare it: tier ${name} <subnet>; (or net ${name} <range>; for addresses outside the host)`],
        });
      }
    }
  }
  // Every `any` shares the one frozen list of all tiers: a copy per rule cost 1,000 names per side
  // of each `any` rule (a quarter of the lowering time at 1,000 tiers x 100,000 rules).
  return { names: any ? n.all : names, any, external, ok };
}

function lowerService(ctx: LowerContext, s: ServiceSpec): ServiceMatch | undefined {
  if (s.proto === 'icmp') return { proto: 'icmp' };
  let ok = true;
  for (const port of [s.lo, s.hi]) {
    if (!Number.isInteger(port) || port < PORT_MIN || port > PORT_MAX) {
      ctx.report('port-out-of-range', { port }, s.span);
      ok = false;
      break;
    }
  }
  if (ok && s.lo > s.hi) {
    ctx.report('port-range-reversed', { lo: s.lo, hi: s.hi }, s.span, { hints: [`write ${s.proto}/${s.hi}-${s.lo}`] });
    ok = false;
  }
  return ok ? { proto: s.proto, lo: s.lo, hi: s.hi } : undefined;
}

export function lowerRules(
  ctx: LowerContext,
  decls: readonly RuleDecl[],
  tiers: readonly Tier[],
  declaredTiers: ReadonlySet<string>,
  nets: { readonly nets: readonly Net[]; readonly declared: ReadonlySet<string> } = { nets: [], declared: new Set() },
): Rule[] {
  const rules: Rule[] = [];
  const all = Object.freeze(tiers.map((t) => t.name));
  const netNames = new Set(nets.nets.map((x) => x.name));
  const names: Names = {
    tiers: new Set(all),
    all,
    nets: netNames,
    declared: new Set([...declaredTiers, ...nets.declared]),
    candidates: new Set([...all, ...netNames]),
  };
  for (const d of decls) {
    const src = resolveEndpoints(ctx, d.sources, names, 'a source');
    const dst = resolveEndpoints(ctx, d.destinations, names, 'a destination');
    const services: ServiceMatch[] = [];
    let servicesOk = true;
    for (const s of d.services) {
      const m = lowerService(ctx, s);
      if (m) services.push(m);
      else servicesOk = false;
    }
    let endsOk = true;
    if (src.external.length > 0 && dst.external.length > 0) {
      endsOk = false;
      ctx.report('external-both-sides', { src: src.external[0]!, dst: dst.external[0]! }, d.span, {
        hints: ['split the rule: one with the tiers as sources, one with the tiers as destinations'],
      });
    }
    // A rule with a broken part is left out: keeping half of it would change its meaning.
    if (!src.ok || !dst.ok || !servicesOk || !endsOk) continue;
    rules.push({
      index: rules.length,
      action: d.action,
      log: d.log !== undefined,
      sources: src.names,
      destinations: dst.names,
      sourceAny: src.any,
      destinationAny: dst.any,
      externalSources: src.external,
      externalDestinations: dst.external,
      allTraffic: d.services.length === 0,
      services,
      origin: ctx.origin(d.span),
    });
  }
  return rules;
}
