// ir: lowers `allow`/`deny` rules: resolves endpoint names (any -> every tier), checks ports.
// Input: RuleDecl[] + the tiers. Output: Rule[] in source order + diagnostics.
import type { Endpoint, RuleDecl, ServiceSpec } from '../syntax/ast.js';
import type { Rule, ServiceMatch, Tier } from './types.js';
import type { LowerContext } from './lower-context.js';
import { PORT_MAX, PORT_MIN } from './ports.js';
import { suggest } from './suggest.js';

/** Built once per policy: a lookup per endpoint must not cost O(tiers). */
interface TierNames {
  readonly known: ReadonlySet<string>;
  readonly all: readonly string[];
}

function resolveEndpoints(
  ctx: LowerContext,
  endpoints: readonly Endpoint[],
  { known, all }: TierNames,
  declared: ReadonlySet<string>,
): { names: readonly string[]; any: boolean; ok: boolean } {
  const names: string[] = [];
  let any = false;
  let ok = true;
  for (const ep of endpoints) {
    if (ep.kind === 'any') {
      any = true;
      continue;
    }
    const name = ep.name.text;
    if (known.has(name)) {
      if (!names.includes(name)) names.push(name);
    } else {
      ok = false;
      if (!declared.has(name)) {
        const suggestion = suggest(name, known) ?? '';
        ctx.report('unknown-tier', { name, suggestion }, ep.name.span, {
          hints: suggestion ? [] : [`declare it: tier ${name} <subnet>;`],
        });
      }
    }
  }
  // Every `any` shares the one frozen list of all tiers: a copy per rule cost 1,000 names per side
  // of each `any` rule (a quarter of the lowering time at 1,000 tiers x 100,000 rules).
  return { names: any ? all : names, any, ok };
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
  declared: ReadonlySet<string>,
): Rule[] {
  const rules: Rule[] = [];
  const all = Object.freeze(tiers.map((t) => t.name));
  const names: TierNames = { known: new Set(all), all };
  for (const d of decls) {
    const src = resolveEndpoints(ctx, d.sources, names, declared);
    const dst = resolveEndpoints(ctx, d.destinations, names, declared);
    const services: ServiceMatch[] = [];
    let servicesOk = true;
    for (const s of d.services) {
      const m = lowerService(ctx, s);
      if (m) services.push(m);
      else servicesOk = false;
    }
    // A rule with a broken part is left out: keeping half of it would change its meaning.
    if (!src.ok || !dst.ok || !servicesOk) continue;
    rules.push({
      index: rules.length,
      action: d.action,
      log: d.log !== undefined,
      sources: src.names,
      destinations: dst.names,
      sourceAny: src.any,
      destinationAny: dst.any,
      allTraffic: d.services.length === 0,
      services,
      origin: ctx.origin(d.span),
    });
  }
  return rules;
}
