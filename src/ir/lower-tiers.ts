// ir: lowers `tier` declarations: validates names, subnets, gateways and bridges; reports
// duplicates; the ipv6 option is lower-ipv6.ts. Input: TierDecl[]. Output: Tier[] (only well-formed tiers) + diagnostics.
import type { TierDecl } from '../syntax/ast.js';
import type { Tier } from './types.js';
import type { LowerContext } from './lower-context.js';
import { formatIpv4, parseIpv4 } from './ipv4.js';
import { lowerCidr } from './lower-cidr.js';
import { bridgeProblem, hostInterfaceProblem, nameProblem } from './validate-names.js';
import { lowerTierIpv6 } from './lower-ipv6.js';

/** Docker caps bridge names at 15 bytes; the default is tw-<tier> cut to fit. */
export function defaultBridge(tier: string): string {
  return `tw-${tier}`.slice(0, 15).replace(/-+$/, '');
}

/**
 * `declared` holds every tier name written, even of tiers dropped for errors, so rules naming
 * them are not reported a second time as unknown.
 */
export function lowerTiers(ctx: LowerContext, decls: readonly TierDecl[]): { tiers: Tier[]; declared: Set<string> } {
  const tiers: Tier[] = [];
  const declared = new Set(decls.map((d) => d.name.text));
  const byName = new Map<string, TierDecl>();
  const byBridge = new Map<string, { tier: string; decl: TierDecl }>();
  for (const d of decls) {
    const name = d.name.text;
    const problem = nameProblem(name);
    if (problem) ctx.report('invalid-name', { kind: 'tier', name, reason: problem }, d.name.span);
    const first = byName.get(name);
    if (first) {
      ctx.report('duplicate-tier', { name }, d.name.span, {
        related: [{ span: first.name.span, message: 'first declared here' }],
        hints: ['rename one of the tiers'],
      });
      continue;
    }
    byName.set(name, d);

    const cidr = lowerCidr(ctx, d.subnet, 'subnet', '172.20.1.0/24');
    if (!cidr) continue;

    let gateway = formatIpv4((cidr.base + 1) >>> 0);
    if (d.gateway) {
      if (parseIpv4(d.gateway.text) === undefined) {
        ctx.report('invalid-address', { text: d.gateway.text }, d.gateway.span);
      } else {
        gateway = d.gateway.text;
      }
    }

    const bridge = d.bridge?.text ?? defaultBridge(name);
    const bridgeSpan = d.bridge?.span ?? d.name.span;
    const bp = bridgeProblem(bridge);
    if (bp) ctx.report('invalid-bridge-name', { name: bridge, reason: bp }, bridgeSpan);
    const owned = bp ? undefined : hostInterfaceProblem(bridge);
    if (owned) {
      ctx.report('reserved-bridge-name', { name: bridge, reason: owned }, bridgeSpan, {
        hints: [`use a name of this policy's own, e.g. ${defaultBridge(name)} (the default when the tier names no bridge)`],
      });
    }
    const other = byBridge.get(bridge);
    if (other) {
      ctx.report('duplicate-bridge', { bridge, first: other.tier, second: name }, bridgeSpan, {
        related: [{ span: other.decl.bridge?.span ?? other.decl.name.span, message: `bridge of tier '${other.tier}'` }],
        hints: d.bridge ? ['give each tier its own bridge'] : [`set one explicitly: tier ${name} ... bridge NAME;`],
      });
    } else {
      byBridge.set(bridge, { tier: name, decl: d });
    }

    const ipv6 = d.ipv6 ? lowerTierIpv6(ctx, name, d.ipv6) : undefined;

    tiers.push({
      name,
      subnet: cidr,
      gateway,
      bridge,
      isolated: d.isolated !== undefined,
      origin: ctx.origin(d.span),
      subnetSpan: d.subnet.span,
      gatewaySpan: d.gateway?.span,
      ...(ipv6 ? { ipv6, ipv6Span: d.ipv6!.span } : {}),
    });
  }
  return { tiers, declared };
}
