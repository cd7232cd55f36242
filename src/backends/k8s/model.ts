// backends/k8s: every decision about the NetworkPolicy manifests, pure. Input: Policy + K8sOptions.
// Output: K8sModel (every string already a YAML scalar) + diagnostics; templates/k8s/ place it.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Reason } from '../../eval/evaluate.js';
import type { Policy, Tier } from '../../ir/types.js';
import { PORT_MAX, PORT_MIN, type Interval } from '../../ir/ports.js';
import { summarizeSet } from '../../graph/service-set.js';
import { yamlKey, yamlString } from '../compose/yaml-quote.js';
import { allowedPairs, type PairFlows } from './flows.js';
import { k8sDiagnostics } from './unsupported.js';

/** Options of the k8s backend (the CLI passes them; the backend reads no environment). */
export interface K8sOptions {
  /** Namespace of the tiers' pods and of the NetworkPolicies; DEFAULT_NAMESPACE when absent. */
  readonly namespace?: string;
  /** Let every tier resolve names: egress to kube-dns in kube-system on udp/53 and tcp/53. */
  readonly dnsEgress?: boolean;
}

export const DEFAULT_NAMESPACE = 'default';
/** The label that puts a pod in a tier. */
export const TIER_LABEL = 'tierwall.dev/tier';
export const POLICY_LABEL = 'tierwall.dev/policy';
export const MANAGED_BY: readonly [string, string] = ['app.kubernetes.io/managed-by', 'tierwall'];
/** kube-dns as kubeadm, kind, GKE, EKS and AKS deploy it (CoreDNS keeps the k8s-app label). */
export const KUBE_DNS = { namespace: 'kube-system', labels: [['k8s-app', 'kube-dns']] as const, port: 53 };
/** Set by Kubernetes on every namespace since 1.22: selects a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface K8sLabel {
  readonly key: string;
  readonly value: string;
}

export interface K8sPeer {
  /** null: the policy's own namespace (a podSelector alone never leaves it). */
  readonly namespaceLabels: readonly K8sLabel[] | null;
  readonly podLabels: readonly K8sLabel[];
}

/** port and endPort null: every port of the protocol. */
export interface K8sPort {
  readonly protocol: string;
  readonly port: number | null;
  readonly endPort: number | null;
}

/** One ingress or egress rule. No ports: all traffic (every protocol and port). */
export interface K8sRule {
  readonly comment: string;
  readonly peerKey: 'from' | 'to';
  readonly peers: readonly K8sPeer[];
  readonly ports: readonly K8sPort[];
}

/** The NetworkPolicy of one tier; strings are YAML scalars, `tier`/`policy` are comment text. */
export interface K8sManifest {
  readonly path: string;
  readonly policy: string;
  readonly tier: string;
  readonly isolation: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: readonly K8sLabel[];
  readonly podLabels: readonly K8sLabel[];
  readonly ingress: readonly K8sRule[];
  readonly egress: readonly K8sRule[];
}

export interface K8sModel {
  readonly policy: string;
  readonly manifests: readonly K8sManifest[];
  /** Paths relative to k8s/, quoted, for kustomization.yaml. */
  readonly resources: readonly string[];
}

export const OUT_DIR = 'k8s';
/** Per-tier files live below tiers/ so no tier name can collide with kustomization.yaml. */
export const tierFile = (tier: string): string => `tiers/${tier}.yaml`;

const labels = (pairs: readonly (readonly [string, string])[]): K8sLabel[] => pairs.map(([k, v]) => ({ key: yamlKey(k), value: yamlString(v) }));
const tierPeer = (tier: string): K8sPeer => ({ namespaceLabels: null, podLabels: labels([[TIER_LABEL, tier]]) });
/** Comments hold validated names only; this keeps a hand-built IR from breaking a line. */
const commentText = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

function protoPorts(protocol: 'TCP' | 'UDP', ivs: readonly Interval[]): K8sPort[] {
  return ivs.map((iv) =>
    iv.lo === PORT_MIN && iv.hi === PORT_MAX
      ? { protocol: yamlString(protocol), port: null, endPort: null }
      : { protocol: yamlString(protocol), port: iv.lo, endPort: iv.hi > iv.lo ? iv.hi : null },
  );
}

function because(reasons: readonly Reason[]): string {
  return reasons.map((r) => (r.kind === 'rule' ? `line ${r.rule.origin.line}` : r.kind === 'default' ? 'default allow' : 'same tier')).join(', ');
}

/**
 * The rule for one allowed pair, seen from `side`: all traffic as a rule without ports, else the
 * tcp/udp ports (icmp/other there are diagnostics). undefined when no port is left to allow.
 */
function pairRule(p: PairFlows, side: 'ingress' | 'egress'): K8sRule | undefined {
  const ports = p.all ? [] : [...protoPorts('TCP', p.allowed.tcp), ...protoPorts('UDP', p.allowed.udp)];
  if (!p.all && ports.length === 0) return undefined;
  const peer = side === 'ingress' ? p.src : p.dst;
  const what = p.all ? 'all traffic' : summarizeSet({ tcp: p.allowed.tcp, udp: p.allowed.udp, icmp: false, other: false });
  const comment = commentText(`${side === 'ingress' ? 'from' : 'to'} ${peer}: ${what} (${because(p.reasons)})`);
  return { comment, peerKey: side === 'ingress' ? 'from' : 'to', peers: [tierPeer(peer)], ports };
}

function dnsRule(): K8sRule {
  return {
    comment: `DNS to kube-dns in ${KUBE_DNS.namespace} (option dnsEgress)`,
    peerKey: 'to',
    peers: [{ namespaceLabels: labels([[NAMESPACE_NAME_LABEL, KUBE_DNS.namespace]]), podLabels: labels(KUBE_DNS.labels) }],
    ports: [...protoPorts('UDP', [{ lo: 53, hi: 53 }]), ...protoPorts('TCP', [{ lo: 53, hi: 53 }])],
  };
}

/** The pairs of each tier as destination and as source, each list in `pairs` order. */
interface PairIndex {
  readonly into: Map<string, PairFlows[]>;
  readonly from: Map<string, PairFlows[]>;
}

function indexPairs(pairs: readonly PairFlows[]): PairIndex {
  const into = new Map<string, PairFlows[]>();
  const from = new Map<string, PairFlows[]>();
  const add = (m: Map<string, PairFlows[]>, key: string, p: PairFlows): void => {
    let list = m.get(key);
    if (!list) m.set(key, (list = []));
    list.push(p);
  };
  for (const p of pairs) {
    add(into, p.dst, p);
    add(from, p.src, p);
  }
  return { into, from };
}

function manifest(policy: Policy, tier: Tier, index: PairIndex, namespace: string, dnsEgress: boolean): K8sManifest {
  // Indexed, not filtered per tier: tiers x pairs is 10^9 at 1,000 tiers allowing each other.
  const ingress = (index.into.get(tier.name) ?? []).flatMap((p) => pairRule(p, 'ingress') ?? []);
  const egress = (index.from.get(tier.name) ?? []).flatMap((p) => pairRule(p, 'egress') ?? []);
  if (dnsEgress) egress.push(dnsRule());
  return {
    path: `${OUT_DIR}/${tierFile(tier.name)}`,
    policy: commentText(policy.name),
    tier: commentText(tier.name),
    isolation: tier.isolated ? 'isolated: its pods may not talk to each other' : 'not isolated: its pods may talk to each other',
    name: yamlString(`tierwall-${tier.name}`),
    namespace: yamlString(namespace),
    labels: labels([MANAGED_BY, [POLICY_LABEL, policy.name]]),
    podLabels: labels([[TIER_LABEL, tier.name]]),
    ingress,
    egress,
  };
}

/**
 * One NetworkPolicy per tier selecting its pods for Ingress and Egress (so everything not listed
 * is denied both ways), with one rule per peer tier holding exactly what the evaluator allows.
 */
export function k8sModel(policy: Policy, options: K8sOptions = {}): { model: K8sModel; diagnostics: Diagnostic[] } {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const pairs = allowedPairs(policy);
  const index = indexPairs(pairs);
  const manifests = policy.tiers.map((t) => manifest(policy, t, index, namespace, options.dnsEgress === true));
  const model: K8sModel = { policy: commentText(policy.name), manifests, resources: policy.tiers.map((t) => yamlString(tierFile(t.name))) };
  return { model, diagnostics: k8sDiagnostics(policy, pairs, namespace) };
}
