// lsp: hovers on the ends outside the tiers. Input: the AST, the Policy and a net name, or the
// words `world`/`host`. Output: markdown: a net's ranges and the zones it makes, what `world`
// covers in this policy, why `host` is refused. Zones come from eval/zones.ts, as for the verdicts.
import type { PolicyFile } from '../syntax/ast.js';
import { WORLD, type Policy } from '../ir/types.js';
import { formatIpv4 } from '../ir/ipv4.js';
import { zonesOf, type ExternalZone } from '../eval/zones.js';
import { netDeclaration } from './locate.js';

export function netHover(ast: PolicyFile, policy: Policy, name: string): string {
  const net = policy.nets.find((n) => n.name === name);
  const decl = netDeclaration(ast, name);
  const written = decl && `net ${decl.name.text} ${decl.cidrs.map((c) => c.text).join(', ')}`;
  if (!net) {
    const head = written ? ['```tierwall', written, '```', ''] : [];
    return [...head, written ? '_This net has errors (see the diagnostics)._' : `\`${name}\` is not a declared net.`].join('\n');
  }
  // The zones holding part of this net: where nets overlap, the shared part is a zone of its own,
  // and where a tier overlaps it (net-overlaps-tier), those addresses are the tier's.
  const zones = zonesOf(policy).external.filter((z) => z.nets.includes(name));
  return [
    '```tierwall',
    `net ${net.name} ${net.cidrs.map((c) => c.text).join(', ')}`,
    '```',
    '',
    `Addresses outside the tiers, named for rules: \`${name}\` in a rule matches traffic between them and the tiers.`,
    '',
    '| | |',
    '|---|---|',
    `| ranges | ${net.cidrs.map((c) => `\`${c.text}\``).join(', ')} |`,
    `| zones | ${zones.length > 0 ? zones.map(zoneText).join(', ') : 'none: every address of it is in a tier'} |`,
  ].join('\n');
}

export function worldHover(policy: Policy): string {
  const zones = zonesOf(policy).external;
  const lines = [
    '`world`: every address outside the tiers, the nets\' addresses included.',
    '',
    'A rule naming `world` decides traffic between the tiers and the outside: ingress to published ports (the port is the host port the peer addressed) and egress. `any` means every tier, never `world`; the default applies to traffic from and to `world` too.',
  ];
  if (zones.length > 0) lines.push('', `In this policy it covers the zones ${zones.map(zoneText).join(', ')}.`);
  return lines.join('\n');
}

export function hostHover(): string {
  return [
    '`host`: the Docker host itself.',
    '',
    'Refused (**host-not-managed**): traffic between containers and the host goes through the INPUT and OUTPUT chains; tierwall manages forwarded traffic in DOCKER-USER only, so it could not enforce the rule.',
  ].join('\n');
}

/** `office` (192.0.2.0-192.0.2.255): a zone's name and its ranges, the first few. */
function zoneText(z: ExternalZone): string {
  const shown = z.name === WORLD ? [] : z.ranges.slice(0, 3).map((r) => `${formatIpv4(r.lo)}-${formatIpv4(r.hi)}`);
  const more = z.name !== WORLD && z.ranges.length > 3 ? `, … ${z.ranges.length - 3} more` : '';
  return `\`${z.name}\`${shown.length > 0 ? ` (${shown.join(', ')}${more})` : ''}`;
}
