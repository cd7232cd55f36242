// ir: lowers `net` declarations: validates names and ranges, reports duplicates (also against tier
// names: rules name both in one namespace). Input: NetDecl[] + the tier names. Output: Net[].
// Overlaps with the tiers' subnets are a check (checks/net-overlap.ts), not a lowering error.
import type { NetDecl } from '../syntax/ast.js';
import type { Span } from '../source/source-file.js';
import type { Cidr, Net } from './types.js';
import type { LowerContext } from './lower-context.js';
import { cidrsOverlap } from './ipv4.js';
import { lowerCidr } from './lower-cidr.js';
import { nameProblem } from './validate-names.js';

/** `declared` (every net name written, kept or not) spares rules an "unknown" for a broken net. */
export function lowerNets(
  ctx: LowerContext,
  decls: readonly NetDecl[],
  tierNames: ReadonlyMap<string, Span>,
): { nets: Net[]; declared: Set<string> } {
  const nets: Net[] = [];
  const declared = new Set(decls.map((d) => d.name.text));
  const byName = new Map<string, Span>();
  for (const d of decls) {
    const name = d.name.text;
    const problem = nameProblem(name);
    if (problem) ctx.report('invalid-name', { kind: 'net', name, reason: problem }, d.name.span);
    const tier = tierNames.get(name);
    const first = byName.get(name) ?? tier;
    if (first) {
      ctx.report('duplicate-net', { name, first: tier ? 'a tier' : 'a net', second: 'a net' }, d.name.span, {
        related: [{ span: first, message: 'first declared here' }],
        hints: ['rules name tiers and nets alike: give each its own name'],
      });
      continue;
    }
    byName.set(name, d.name.span);
    const cidrs: Cidr[] = [];
    const cidrSpans: Span[] = [];
    let ok = true;
    for (const w of d.cidrs) {
      const cidr = lowerCidr(ctx, w, 'range', '192.0.2.0/24');
      if (!cidr) {
        ok = false;
        continue;
      }
      // A range inside an earlier one of the same net adds nothing (and one that contains an
      // earlier range makes that one redundant): say so, keep both (the meaning is the union).
      const k = cidrs.findIndex((o) => cidrsOverlap(o, cidr));
      if (k >= 0) {
        const other = cidrs[k]!;
        const inner = other.prefix >= cidr.prefix ? { cidr: other.text, span: cidrSpans[k]!, other: cidr.text, otherSpan: w.span } : { cidr: cidr.text, span: w.span, other: other.text, otherSpan: cidrSpans[k]! };
        ctx.report('net-duplicate-cidr', { cidr: inner.cidr, other: inner.other, net: name }, inner.span, {
          related: [{ span: inner.otherSpan, message: `${inner.other} is here` }],
          hints: [`remove ${inner.cidr}`],
        });
      }
      cidrs.push(cidr);
      cidrSpans.push(w.span);
    }
    // A net with a broken range is left out: matching part of it would change the rules' meaning.
    if (!ok) continue;
    nets.push({ name, cidrs, origin: ctx.origin(d.span), cidrSpans });
  }
  return { nets, declared };
}
