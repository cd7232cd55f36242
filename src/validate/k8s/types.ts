// validate/k8s: the result of validating the Kubernetes output. Input: Policy IR + the manifests'
// text + the options they were generated with. Output: ok with the number of classes proven, or problems.
import type { FlowProto } from '../../eval/evaluate.js';
import type { ExpectedReason } from '../types.js';
import type { NetworkPolicy, RuleSite } from './model.js';

/** Why the validator expects a verdict: the policy (as in rules.v4 validation) or the k8s target's contract. */
export type K8sExpectedReason =
  | ExpectedReason
  /** A tier pod and a pod outside every tier: the tiers are isolated both ways from the rest. */
  | { readonly kind: 'outside' }
  /** Two pods outside every tier: tierwall must not isolate pods it does not govern. */
  | { readonly kind: 'not-governed' }
  /** --dns-egress: a tier pod to kube-dns on udp/53 and tcp/53. */
  | { readonly kind: 'dns-egress'; readonly enabled: boolean };

export interface K8sExpected {
  readonly allow: boolean;
  readonly reason: K8sExpectedReason;
}

/** One end of a connection as the manifests decide it, with what decided. */
export type SideCause =
  /** No NetworkPolicy selects the pod for this direction: it is not isolated. */
  | { readonly kind: 'open' }
  /** Allowed by this rule (the first one of the isolating policies that admits the class). */
  | { readonly kind: 'rule'; readonly site: RuleSite }
  /** Isolated by these policies, and none of their rules admits the class. */
  | { readonly kind: 'no-rule'; readonly by: readonly Pick<NetworkPolicy, 'name' | 'file'>[] };

export interface K8sActual {
  readonly allow: boolean;
  readonly egress: SideCause;
  readonly ingress: SideCause;
}

/** A class of connections: pods (a tier's, or a probe pod outside the tiers), protocol, ports. */
export interface K8sFlow {
  /** Tier name, or a description of the probe pod ("a pod without tier label in shop"). */
  readonly src: string;
  readonly dst: string;
  readonly proto: FlowProto;
  readonly lo?: number;
  readonly hi?: number;
}

export interface K8sFlowProblem {
  readonly kind: 'flow';
  readonly flow: K8sFlow;
  readonly expected: K8sExpected;
  readonly actual: K8sActual;
}

/** A file that cannot be read exactly, is missing, is not applied, or is in the wrong namespace. */
export interface K8sFileProblem {
  readonly kind: 'file';
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export type K8sProblem = K8sFlowProblem | K8sFileProblem;

export type K8sValidationResult =
  | { readonly ok: true; readonly classes: number }
  | { readonly ok: false; readonly problems: readonly K8sProblem[]; readonly omitted: number };
