// validate/k8s: problems as words and as `validation-failed` diagnostics (the code of rules.v4
// validation). The span points at what the policy says (rule, default or tier); the manifests' side,
// NetworkPolicy name, rule index and file:line, goes into the message and hints.
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Origin } from '../../ir/types.js';
import type { K8sExpected, K8sFlow, K8sFlowProblem, K8sProblem, K8sValidationResult, SideCause } from './types.js';
import { K8S_DIR } from './validate.js';

const where = (o: Origin | undefined): string => (o ? `${o.file}:${o.line}` : 'implicit');

export function describeK8sFlow(f: K8sFlow): string {
  const ports = f.lo === undefined ? '' : f.lo === 1 && f.hi === 65535 ? '/any' : f.lo === f.hi ? `/${f.lo}` : `/${f.lo}-${f.hi}`;
  return `${f.proto}${ports} from ${f.src} to ${f.dst}`;
}

export function describeK8sExpected(e: K8sExpected): string {
  const verb = e.allow ? 'allows' : 'denies';
  const r = e.reason;
  switch (r.kind) {
    case 'rule':
      return `the policy ${verb} it (rule at ${where(r.origin)})`;
    case 'default':
      return `the policy ${verb} it (${r.origin ? `default at ${where(r.origin)}` : 'implicit default'})`;
    case 'intra-tier':
      return `the policy ${verb} it (${r.isolated ? 'isolated' : 'non-isolated'} tier at ${where(r.origin)})`;
    case 'outside':
      return 'the k8s target denies it: tier pods are isolated from pods outside the tiers';
    case 'not-governed':
      return 'the k8s target must allow it: pods outside the tiers are not tierwall\'s to isolate';
    case 'dns-egress':
      if (e.allow) return '--dns-egress allows it';
      return r.enabled ? 'the k8s target denies it: --dns-egress allows kube-dns udp/53 and tcp/53 only' : 'the k8s target denies it: --dns-egress is off';
    case 'foreign':
    case 'established':
      return `the policy ${verb} it`;
  }
}

/** "spec.ingress[0] of NetworkPolicy tierwall-db (k8s/tiers/db.yaml:18)". */
export function describeCause(c: SideCause, side: 'egress' | 'ingress'): string {
  switch (c.kind) {
    case 'open':
      return `${side}: allowed, no NetworkPolicy selects the pod for ${side === 'egress' ? 'Egress' : 'Ingress'}`;
    case 'rule':
      return `${side}: allowed by spec.${c.site.dir}[${c.site.index}] of NetworkPolicy ${c.site.policy} (${c.site.file}${c.site.line > 0 ? `:${c.site.line}` : ''})`;
    case 'no-rule':
      return `${side}: denied, isolated by ${c.by.map((p) => `NetworkPolicy ${p.name} (${p.file})`).join(', ')} and no ${side} rule admits it`;
  }
}

export function describeK8sProblem(p: K8sProblem): string {
  if (p.kind === 'file') return `${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.reason}`;
  const decided = p.actual.allow ? 'allow' : 'deny';
  return `${describeK8sFlow(p.flow)}: the NetworkPolicies ${decided} it, but ${describeK8sExpected(p.expected)}`;
}

/** The file to name: the rule that wrongly allowed, or the policy that wrongly denied. */
function artifactOf(p: K8sFlowProblem): string {
  for (const c of [p.actual.ingress, p.actual.egress]) {
    if (p.actual.allow && c.kind === 'rule') return c.site.file;
    if (!p.actual.allow && c.kind === 'no-rule') return c.by[0]?.file ?? K8S_DIR;
  }
  return K8S_DIR;
}

const BUG_HINT = "this is a bug in tierwall's k8s backend; please report it with the policy";

export function k8sProblemDiagnostic(p: K8sProblem): Diagnostic {
  if (p.kind === 'file') return diag('validation-failed', { artifact: `${p.file}${p.line > 0 ? `:${p.line}` : ''}`, detail: p.reason }, undefined, { hints: [BUG_HINT] });
  const r = p.expected.reason;
  const span = r.kind === 'rule' || r.kind === 'default' || r.kind === 'intra-tier' ? r.origin?.span : undefined;
  const hints = [describeCause(p.actual.egress, 'egress'), describeCause(p.actual.ingress, 'ingress'), BUG_HINT];
  return diag('validation-failed', { artifact: artifactOf(p), detail: describeK8sProblem(p) }, span, { hints });
}

/** No diagnostics when ok; one per problem, and a note of the omitted ones. */
export function k8sValidationDiagnostics(result: K8sValidationResult): Diagnostic[] {
  if (result.ok) return [];
  const out = result.problems.map(k8sProblemDiagnostic);
  if (result.omitted > 0) out.push(diag('validation-failed', { artifact: K8S_DIR, detail: `${result.omitted} more problem(s) not listed` }, undefined));
  return out;
}
