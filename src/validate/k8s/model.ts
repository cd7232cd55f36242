// validate/k8s: the NetworkPolicy objects as the reader understands them (networking.k8s.io/v1,
// the subset with label selectors and TCP/UDP ports). Written from the Kubernetes API reference,
// not from the k8s backend: nothing here is shared with src/backends/k8s.

export interface Labels {
  readonly [key: string]: string;
}

export interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A label selector; {} (no labels, no expressions) selects everything. */
export interface Selector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly Requirement[];
}

/** One entry of from/to. At least one selector is present (the API requires a field). */
export interface Peer {
  readonly podSelector: Selector | undefined;
  readonly namespaceSelector: Selector | undefined;
}

export type PortProtocol = 'TCP' | 'UDP';

/** port undefined: every port of the protocol; endPort undefined: the single port. */
export interface PortSpec {
  readonly protocol: PortProtocol;
  readonly port: number | undefined;
  readonly endPort: number | undefined;
}

/** Where a rule was read: for citing it in a problem. */
export interface RuleSite {
  /** The artifact path (k8s/tiers/<tier>.yaml), '' when read from an object. */
  readonly file: string;
  /** 1-based line of the rule's `-` in the file; 0 when unknown. */
  readonly line: number;
  /** NetworkPolicy metadata.name. */
  readonly policy: string;
  readonly dir: Direction;
  /** 0-based index in spec.ingress / spec.egress. */
  readonly index: number;
}

export type Direction = 'ingress' | 'egress';

/** undefined peers/ports = the field is missing; [] = present and empty (both mean "all"). */
export interface PolicyRule {
  readonly peers: readonly Peer[] | undefined;
  readonly ports: readonly PortSpec[] | undefined;
  readonly site: RuleSite;
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly file: string;
  readonly podSelector: Selector;
  /** Which directions the policy isolates its pods for (spec.policyTypes, or the documented default). */
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly ingressRules: readonly PolicyRule[];
  readonly egressRules: readonly PolicyRule[];
}

export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
}

/**
 * A connection's protocol. NetworkPolicy defines TCP, UDP and SCTP; ICMP and OTHER stand for the
 * protocols it does not define (see `portsMatch`).
 */
export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP' | 'OTHER';

export interface Connection {
  readonly from: Pod;
  readonly to: Pod;
  readonly protocol: Protocol;
  readonly port?: number;
}
