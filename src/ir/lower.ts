// ir: AST -> IR. Resolves names, validates values and builds the readonly Policy.
// Input: PolicyFile + SourceFile. Output: Policy (always, possibly partial) + diagnostics.
import type { DefaultDecl, NetDecl, PolicyDecl, PolicyFile, RuleDecl, ServiceDecl, TierDecl } from '../syntax/ast.js';
import type { SourceFile } from '../source/source-file.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from './types.js';
import { LowerContext } from './lower-context.js';
import { lowerTiers } from './lower-tiers.js';
import { lowerNets } from './lower-nets.js';
import { lowerRules } from './lower-rules.js';
import { lowerServices } from './lower-services.js';
import { nameProblem } from './validate-names.js';

/** A policy name from a file name when the policy has no `policy NAME;` (prod.policy -> prod). */
export function nameFromFile(file: string): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const cleaned = base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63);
  return cleaned.length > 0 ? cleaned : 'policy';
}

export function lowerPolicy(ast: PolicyFile, source: SourceFile): { policy: Policy; diagnostics: Diagnostic[] } {
  const ctx = new LowerContext(source);
  const tierDecls: TierDecl[] = [];
  const netDecls: NetDecl[] = [];
  const ruleDecls: RuleDecl[] = [];
  const serviceDecls: ServiceDecl[] = [];
  let policyDecl: PolicyDecl | undefined;
  let defaultDecl: DefaultDecl | undefined;
  for (const st of ast.statements) {
    switch (st.kind) {
      case 'tier': tierDecls.push(st); break;
      case 'net': netDecls.push(st); break;
      case 'rule': ruleDecls.push(st); break;
      case 'service': serviceDecls.push(st); break;
      case 'policy':
        if (policyDecl) ctx.report('duplicate-policy', {}, st.span, { related: [{ span: policyDecl.span, message: 'first declared here' }] });
        else policyDecl = st;
        break;
      case 'default':
        if (defaultDecl) ctx.report('duplicate-default', {}, st.span, { related: [{ span: defaultDecl.span, message: 'first declared here' }] });
        else defaultDecl = st;
        break;
    }
  }
  let name = nameFromFile(source.name);
  if (policyDecl) {
    const problem = nameProblem(policyDecl.name.text);
    if (problem) ctx.report('invalid-name', { kind: 'policy', name: policyDecl.name.text, reason: problem }, policyDecl.name.span);
    else name = policyDecl.name.text;
  }
  const { tiers, declared } = lowerTiers(ctx, tierDecls);
  const tierNames = new Map<string, TierDecl['name']['span']>();
  for (const d of tierDecls) if (!tierNames.has(d.name.text)) tierNames.set(d.name.text, d.name.span);
  const netsLowered = lowerNets(ctx, netDecls, tierNames);
  const rules = lowerRules(ctx, ruleDecls, tiers, declared, netsLowered);
  const services = lowerServices(ctx, serviceDecls, tiers, declared);
  const policy: Policy = {
    name,
    defaultAction: defaultDecl?.action ?? 'deny',
    defaultOrigin: defaultDecl ? ctx.origin(defaultDecl.span) : undefined,
    tiers,
    nets: netsLowered.nets,
    rules,
    services,
  };
  return { policy, diagnostics: ctx.diagnostics };
}
