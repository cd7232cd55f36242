// backends/k8s: what NetworkPolicy cannot express, as diagnostics naming the rule and the backend.
// Input: Policy + its allowed pairs. Output: backend-unsupported diagnostics (never a silent drop).
import { diag, type Diagnostic, type DiagnosticExtras } from '../../diagnostics/diagnostic.js';
import type { Reason } from '../../eval/evaluate.js';
import type { Policy } from '../../ir/types.js';
import type { Span } from '../../source/source-file.js';
import { reasonKey, type PairFlows } from './flows.js';

export const BACKEND = 'k8s';

// Kubernetes' own patterns: a namespace is an RFC 1123 label; a label value is at most 63
// characters of [A-Za-z0-9-_.], starting and ending alphanumeric (or empty).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}

export function isLabelValue(s: string): boolean {
  return s.length <= 63 && LABEL_VALUE.test(s);
}

function unsupported(feature: string, span: Span | undefined, extras: DiagnosticExtras = {}): Diagnostic {
  return diag('backend-unsupported', { backend: BACKEND, feature }, span, extras);
}

function spanOf(policy: Policy, r: Reason): Span | undefined {
  if (r.kind === 'rule') return r.rule.origin.span;
  return r.kind === 'default' ? policy.defaultOrigin?.span : undefined;
}

const PROTO_TEXT = {
  icmp: { what: 'icmp', why: 'NetworkPolicy ports are TCP, UDP or SCTP: icmp can be allowed only with all traffic' },
  other: {
    what: "protocols other than tcp, udp and icmp ('other')",
    why: 'NetworkPolicy ports are TCP, UDP or SCTP: other protocols can be allowed only with all traffic',
  },
} as const;

function pairList(pairs: readonly string[]): string {
  const shown = pairs.slice(0, 3).join(', ');
  return pairs.length > 3 ? `${shown} and ${pairs.length - 3} more` : shown;
}

/**
 * icmp or other allowed between two tiers that do not allow all traffic: NetworkPolicy would
 * deny it. An error, since the artifact would decide those classes unlike the evaluator. One
 * diagnostic per (deciding rule or default, protocol), listing the pairs.
 */
function protocolDiagnostics(policy: Policy, pairs: readonly PairFlows[]): Diagnostic[] {
  const groups = new Map<string, { reason: Reason; proto: 'icmp' | 'other'; pairs: string[] }>();
  for (const p of pairs) {
    if (p.all) continue;
    for (const [proto, reasons] of [['icmp', p.icmpReasons], ['other', p.otherReasons]] as const) {
      for (const reason of reasons) {
        const key = `${reasonKey(reason)} ${proto}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { reason, proto, pairs: [] }));
        g.pairs.push(`${p.src} -> ${p.dst}`);
      }
    }
  }
  return [...groups.values()].map((g) => {
    const t = PROTO_TEXT[g.proto];
    const by = g.reason.kind === 'default' ? 'the default' : 'this rule';
    return unsupported(`${t.what} allowed by ${by} for ${pairList(g.pairs)} (${t.why} between two tiers)`, spanOf(policy, g.reason), {
      hints: [`for the k8s target, allow all traffic between these tiers or stop allowing ${g.proto === 'icmp' ? 'icmp' : 'all protocols'} there`],
    });
  });
}

/** `log` changes no verdict, so its loss is a warning: enforcement is exact, the audit trail is not. */
function logDiagnostics(policy: Policy): Diagnostic[] {
  return policy.rules
    .filter((r) => r.log)
    .map((r) =>
      unsupported('log (NetworkPolicy has no logging: the rule is enforced, its log is dropped)', r.origin.span, {
        severity: 'warning',
        hints: ["use the network plugin's flow logs (e.g. Calico flow logs, Cilium Hubble) to audit these flows"],
      }),
    );
}

/**
 * Rules naming a net or `world`: NetworkPolicies are built from the tier classes only, and every tier
 * pod is isolated both ways, so traffic with outside addresses is denied. A warning per rule (the
 * tier part of a rule is translated as usual): an allow there does nothing, a deny changes nothing.
 */
function externalDiagnostics(policy: Policy): Diagnostic[] {
  return policy.rules
    .filter((r) => r.externalSources.length > 0 || r.externalDestinations.length > 0)
    .map((r) =>
      diag('k8s-external-ends', {
        ends: [...r.externalSources, ...r.externalDestinations].join(', '),
        effect: r.action === 'allow' ? 'the traffic this rule allows stays denied' : 'the traffic this rule denies is denied anyway',
      }, r.origin.span, {
        hints: ['allow traffic with outside addresses by your own NetworkPolicies (ipBlock peers) next to tierwall\'s, or an Ingress controller for published services'],
      }),
    );
}

/** Names that reach the manifests as label values; lowering guarantees them, this keeps hand-built IR honest. */
function nameDiagnostics(policy: Policy, namespace: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isDnsLabel(namespace)) {
    out.push(unsupported(`namespace ${JSON.stringify(namespace)} (a namespace is an RFC 1123 label: [a-z0-9-], at most 63, alphanumeric at both ends)`, undefined));
  }
  if (!isLabelValue(policy.name)) out.push(unsupported(`policy name '${policy.name}' as a label value`, undefined));
  for (const t of policy.tiers) {
    if (!isLabelValue(t.name) || !isDnsLabel(t.name)) out.push(unsupported(`tier name '${t.name}' as a label value and object name`, t.origin.span));
  }
  return out;
}

/** Every diagnostic of the k8s backend, in a stable order: names, protocols, logging, outside ends. */
export function k8sDiagnostics(policy: Policy, pairs: readonly PairFlows[], namespace: string): Diagnostic[] {
  return [...nameDiagnostics(policy, namespace), ...protocolDiagnostics(policy, pairs), ...logDiagnostics(policy), ...externalDiagnostics(policy)];
}
