// test support (k8s): runs the k8s backend, parses and schema-checks its manifests, and builds a
// small cluster for the NetworkPolicy evaluator of src/validate/k8s: two pods per tier plus pods that belong to no tier.
// Pods get the documented label by hand (not the backend's constant), so the contract is tested.
import { parse } from 'yaml';
import { validate as validateNetworkPolicy } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy';
import { backend } from '../../../src/backends/k8s/backend.js';
import type { BackendResult } from '../../../src/backends/types.js';
import type { FlowProto } from '../../../src/eval/evaluate.js';
import type { Policy } from '../../../src/ir/types.js';
import { Cluster, readNetworkPolicy, type Connection, type Namespace, type Pod, type Protocol } from '../../../src/validate/k8s/index.js';

export const TIER = 'tierwall.dev/tier';
export const NAMESPACE = 'shop';

export interface Compiled extends BackendResult {
  /** Parsed k8s/tiers/*.yaml, in artifact order. */
  readonly manifests: readonly unknown[];
  readonly kustomization: { readonly resources: readonly string[] } & Record<string, unknown>;
  readonly text: ReadonlyMap<string, string>;
}

export function compileK8s(policy: Policy, options: { namespace?: string; dnsEgress?: boolean } = { namespace: NAMESPACE }): Compiled {
  const r = backend.generate(policy, options);
  const text = new Map(r.artifacts.map((a) => [a.path, a.content]));
  const manifests = r.artifacts.filter((a) => a.path.startsWith('k8s/tiers/')).map((a) => parse(a.content, { uniqueKeys: true }) as unknown);
  const kustomization = parse(text.get('k8s/kustomization.yaml') ?? '', { uniqueKeys: true }) as Compiled['kustomization'];
  return { ...r, manifests, kustomization, text };
}

/**
 * ajv errors of one manifest against networking.k8s.io/v1 NetworkPolicy, as kubernetes-models
 * 5.1.0 ships it: Kubernetes' OpenAPI schema compiled by ajv (standalone), [] when valid.
 */
export function schemaErrors(doc: unknown): string[] {
  if (validateNetworkPolicy(doc)) return [];
  const errors = (validateNetworkPolicy as unknown as { errors?: { instancePath: string; message?: string }[] }).errors ?? [];
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

export interface World {
  readonly cluster: Cluster;
  /** Pod i (0 or 1) of a tier. */
  pod(tier: string, i?: number): Pod;
  readonly kubeDns: Pod;
  /** In the policy's namespace without a tier label, and in another namespace with one. */
  readonly untiered: Pod;
  readonly stranger: Pod;
}

const ns = (name: string): Namespace => ({ name, labels: { 'kubernetes.io/metadata.name': name } });

export function buildWorld(policy: Policy, manifests: readonly unknown[], namespace = NAMESPACE): World {
  const pods = new Map<string, Pod>();
  for (const t of policy.tiers) for (const i of [0, 1]) pods.set(`${t.name}-${i}`, { name: `${t.name}-${i}`, namespace, labels: { [TIER]: t.name } });
  const first = policy.tiers[0]?.name ?? 'none';
  const cluster = new Cluster([ns(namespace), ns('kube-system'), ns('elsewhere')], manifests.map((m) => readNetworkPolicy(m, namespace)));
  return {
    cluster,
    pod: (tier, i = 0) => {
      const p = pods.get(`${tier}-${i}`);
      if (!p) throw new Error(`no pod ${tier}-${i}`);
      return p;
    },
    kubeDns: { name: 'coredns-0', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    untiered: { name: 'plain-0', namespace, labels: { app: 'plain' } },
    stranger: { name: `${first}-0`, namespace: 'elsewhere', labels: { [TIER]: first } },
  };
}

/** The connections that stand for one tierwall flow (sctp stands for `other` too: it has ports). */
export function connectionsFor(from: Pod, to: Pod, proto: FlowProto, port?: number): Connection[] {
  if (proto === 'icmp') return [{ from, to, protocol: 'ICMP' }];
  if (proto === 'other') return [{ from, to, protocol: 'OTHER' }, { from, to, protocol: 'SCTP', port: 1 }];
  return [{ from, to, protocol: proto.toUpperCase() as Protocol, port }];
}

/** The oracle's verdict for a tier-level flow: source pod 0 to pod 0 of the destination, or to pod 1 inside a tier. */
export function npVerdict(world: World, src: string, dst: string, proto: FlowProto, port?: number): 'allow' | 'deny' {
  const conns = connectionsFor(world.pod(src, 0), world.pod(dst, src === dst ? 1 : 0), proto, port);
  const verdicts = new Set(conns.map((c) => world.cluster.allowed(c)));
  if (verdicts.size !== 1) throw new Error(`${src} -> ${dst} ${proto}: OTHER and SCTP disagree`);
  return verdicts.has(true) ? 'allow' : 'deny';
}
