// validate/k8s: the pods the manifests are probed with, built from the policy and the options as
// docs/kubernetes.md states the contract (not from the backend's constants): two pods per tier in the
// target namespace, labelled tierwall.dev/tier=<tier>, and pods outside every tier: unlabelled and
// otherwise-labelled pods of the namespace, kube-dns in kube-system, tier-labelled pods elsewhere.
import type { Policy } from '../../ir/types.js';
import type { Namespace, Pod } from './model.js';

export const TIER_LABEL = 'tierwall.dev/tier';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const DNS_NAMESPACE = 'kube-system';
export const DNS_PORT = 53;

export interface World {
  readonly namespace: string;
  readonly namespaces: readonly Namespace[];
  /** tiers[i] = [pod 0, pod 1] of policy.tiers[i]. */
  readonly tiers: readonly (readonly [Pod, Pod])[];
  /** Two pods of the namespace outside every tier: one without labels, one with another label. */
  readonly untiered: readonly [Pod, Pod];
  readonly kubeDns: Pod;
  /** Pod with tier i's label in another namespace (not in the tier); built on demand. */
  stranger(i: number): Pod;
  readonly elsewhere: string;
}

const ns = (name: string): Namespace => ({ name, labels: { [NAMESPACE_NAME_LABEL]: name } });

export function buildWorld(policy: Policy, namespace: string): World {
  // Another namespace whose name cannot be the target's.
  const elsewhere = namespace === 'elsewhere' ? 'elsewhere-2' : 'elsewhere';
  const names = [...new Set([namespace, DNS_NAMESPACE, elsewhere])];
  const tiers = policy.tiers.map((t) => [0, 1].map((i): Pod => ({ name: `${t.name}-${i}`, namespace, labels: { [TIER_LABEL]: t.name } })) as [Pod, Pod]);
  const strangers = new Map<number, Pod>();
  return {
    namespace,
    namespaces: names.map(ns),
    tiers,
    untiered: [
      { name: 'untiered-0', namespace, labels: {} },
      { name: 'untiered-1', namespace, labels: { app: 'untiered' } },
    ],
    kubeDns: { name: 'coredns-0', namespace: DNS_NAMESPACE, labels: { 'k8s-app': 'kube-dns' } },
    stranger(i) {
      let p = strangers.get(i);
      if (!p) strangers.set(i, (p = { name: `${policy.tiers[i]!.name}-0`, namespace: elsewhere, labels: { [TIER_LABEL]: policy.tiers[i]!.name } }));
      return p;
    },
    elsewhere,
  };
}
