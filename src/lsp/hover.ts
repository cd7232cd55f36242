// lsp: textDocument/hover. Input: PolicyDocument + offset. Output: markdown about the tier, net,
// `world`/`host`, rule or service under the cursor, from the IR (resolved values: default gateway and bridge included).
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { PolicyFile, ServiceDecl, TierDecl } from '../syntax/ast.js';
import type { Policy } from '../ir/types.js';
import { toRange, type PolicyDocument } from './documents.js';
import { locate, tierDeclaration } from './locate.js';
import { ruleHover } from './hover-rule.js';
import { hostHover, netHover, worldHover } from './hover-external.js';

export function hover(pd: PolicyDocument, offset: number): Hover | null {
  const { ast, policy } = pd.analysis;
  const target = locate(ast, offset);
  if (!target) return null;
  let value: string;
  let span;
  switch (target.kind) {
    case 'tier-name':
      value = tierHover(ast, policy, target.word.text);
      span = target.word.span;
      break;
    case 'net-name':
      value = netHover(ast, policy, target.word.text);
      span = target.word.span;
      break;
    case 'world':
      value = worldHover(policy);
      span = target.span;
      break;
    case 'host':
      value = hostHover();
      span = target.span;
      break;
    case 'rule':
      value = ruleHover(pd, target.rule);
      span = target.rule.span;
      break;
    case 'service':
      value = serviceHover(policy, target.service);
      span = target.service.name.span;
      break;
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(pd.doc, span) };
}

export function tierHover(ast: PolicyFile, policy: Policy, name: string): string {
  const tier = policy.tiers.find((t) => t.name === name);
  const decl = tierDeclaration(ast, name);
  if (!tier) return decl ? unloweredTier(decl) : `\`${name}\` is not a declared tier.`;
  const services = policy.services
    .filter((s) => s.tiers.includes(name))
    .map((s) => {
      const address = s.addresses.find((a) => a.tier === name)?.address;
      return `\`${s.name}\`${address ? ` (${address})` : ''}`;
    });
  return [
    '```tierwall',
    `tier ${tier.name} ${tier.subnet.text}`,
    '```',
    '',
    '| | |',
    '|---|---|',
    `| subnet | \`${tier.subnet.text}\` |`,
    `| gateway | \`${tier.gateway}\` |`,
    `| bridge | \`${tier.bridge}\` |`,
    `| isolated | ${tier.isolated ? 'yes: its containers cannot reach each other' : 'no: its containers reach each other'} |`,
    `| services | ${services.length > 0 ? services.join(', ') : 'none'} |`,
  ].join('\n');
}

/** A tier whose declaration has errors: what was written, no resolved values. */
function unloweredTier(decl: TierDecl): string {
  const parts = [`tier ${decl.name.text} ${decl.subnet.text}`];
  if (decl.gateway) parts.push(`gateway ${decl.gateway.text}`);
  if (decl.bridge) parts.push(`bridge ${decl.bridge.text}`);
  if (decl.isolated) parts.push('isolated');
  return ['```tierwall', parts.join(' '), '```', '', '_This tier has errors (see the diagnostics)._'].join('\n');
}

function serviceHover(policy: Policy, decl: ServiceDecl): string {
  const service = policy.services.find((s) => s.origin.span.start === decl.span.start);
  const head = ['```tierwall', `service ${decl.name.text}`, '```', ''];
  if (!service) return [...head, '_This service has errors (see the diagnostics)._'].join('\n');
  const tiers = service.tiers.map((t) => {
    const address = service.addresses.find((a) => a.tier === t)?.address;
    return `\`${t}\`${address ? ` (${address})` : ''}`;
  });
  const lines = [
    `- image: \`${service.image}\``,
    `- tiers: ${tiers.length > 0 ? tiers.join(', ') : 'none'}`,
  ];
  if (service.publish.length > 0) {
    lines.push(`- publishes: ${service.publish.map((p) => `\`${p.hostAddress}:${p.hostPort} -> ${p.proto}/${p.containerPort}\``).join(', ')}`);
  }
  lines.push(`- root filesystem: ${service.readOnly ? 'read-only' : 'writable'}`);
  return [...head, ...lines].join('\n');
}
