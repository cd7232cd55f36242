// test oracle: Kubernetes NetworkPolicy semantics, written from the Kubernetes documentation
// (concepts/services-networking/network-policies and the networking.k8s.io/v1 API reference).
// Input: parsed manifests (plain objects), namespaces, pods. Output: is a connection allowed?
// It imports nothing of the k8s backend: it must be able to disagree with it.

export interface Labels {
  readonly [key: string]: string;
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
/** ICMP and OTHER stand for the protocols NetworkPolicy does not define (see `portsMatch`). */
export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP' | 'OTHER';
export interface Connection {
  readonly from: Pod;
  readonly to: Pod;
  readonly protocol: Protocol;
  readonly port?: number;
}

interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}
interface Selector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly Requirement[];
}
interface Peer {
  readonly podSelector: Selector | undefined;
  readonly namespaceSelector: Selector | undefined;
}
interface PortSpec {
  readonly protocol: Protocol;
  readonly port: number | undefined;
  readonly endPort: number | undefined;
}
/** undefined peers/ports = the field is missing; [] = present and empty (both mean "all"). */
interface PolicyRule {
  readonly peers: readonly Peer[] | undefined;
  readonly ports: readonly PortSpec[] | undefined;
}
export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: Selector;
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly ingressRules: readonly PolicyRule[];
  readonly egressRules: readonly PolicyRule[];
}

type Obj = Record<string, unknown>;

/** A strict reader: a field it does not know is an error, so it can never silently ignore one. */
function obj(v: unknown, where: string, allowed: readonly string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where}: expected a mapping`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new Error(`${where}: field '${k}' is not understood by the oracle`);
  return v as Obj;
}

function list(v: unknown, where: string): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new Error(`${where}: expected a list`);
  return v;
}

function readSelector(v: unknown, where: string): Selector {
  const o = obj(v, where, ['matchLabels', 'matchExpressions']);
  const matchLabels: Record<string, string> = {};
  if (o.matchLabels !== undefined && o.matchLabels !== null) {
    if (typeof o.matchLabels !== 'object' || Array.isArray(o.matchLabels)) throw new Error(`${where}.matchLabels: expected a mapping`);
    for (const [k, v] of Object.entries(o.matchLabels)) {
      if (typeof v !== 'string') throw new Error(`${where}.matchLabels.${k}: label values are strings`);
      matchLabels[k] = v;
    }
  }
  const matchExpressions = (list(o.matchExpressions, `${where}.matchExpressions`) ?? []).map((e, i) => {
    const r = obj(e, `${where}.matchExpressions[${i}]`, ['key', 'operator', 'values']);
    return { key: String(r.key), operator: r.operator as Requirement['operator'], values: (r.values as string[] | undefined) ?? [] };
  });
  return { matchLabels, matchExpressions };
}

function readPort(v: unknown, where: string): PortSpec {
  const o = obj(v, where, ['protocol', 'port', 'endPort']);
  // Docs: protocol defaults to TCP; a port may be a number or a named container port.
  const protocol = (o.protocol ?? 'TCP') as Protocol;
  if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new Error(`${where}: protocol ${String(protocol)} is not TCP, UDP or SCTP`);
  if (typeof o.port === 'string') throw new Error(`${where}: named ports are outside the oracle`);
  if (o.endPort !== undefined && o.port === undefined) throw new Error(`${where}: endPort without port`);
  return { protocol, port: o.port as number | undefined, endPort: o.endPort as number | undefined };
}

function readRule(v: unknown, where: string, peerKey: 'from' | 'to'): PolicyRule {
  const o = obj(v, where, [peerKey, 'ports']);
  const peers = list(o[peerKey], `${where}.${peerKey}`)?.map((p, i) => {
    const q = obj(p, `${where}.${peerKey}[${i}]`, ['podSelector', 'namespaceSelector', 'ipBlock']);
    if (q.ipBlock !== undefined) throw new Error(`${where}: ipBlock is outside the oracle (pods here have no addresses)`);
    const sel = (s: unknown, k: string) => (s === undefined ? undefined : readSelector(s, `${where}.${k}`));
    return { podSelector: sel(q.podSelector, 'podSelector'), namespaceSelector: sel(q.namespaceSelector, 'namespaceSelector') };
  });
  const ports = list(o.ports, `${where}.ports`)?.map((p, i) => readPort(p, `${where}.ports[${i}]`));
  return { peers, ports };
}

/** Reads one parsed NetworkPolicy manifest. A missing metadata.namespace means `defaultNamespace`. */
export function readNetworkPolicy(doc: unknown, defaultNamespace = 'default'): NetworkPolicy {
  const o = obj(doc, 'manifest', ['apiVersion', 'kind', 'metadata', 'spec']);
  if (o.apiVersion !== 'networking.k8s.io/v1' || o.kind !== 'NetworkPolicy') throw new Error('not a networking.k8s.io/v1 NetworkPolicy');
  const meta = obj(o.metadata, 'metadata', ['name', 'namespace', 'labels', 'annotations']);
  const spec = obj(o.spec, 'spec', ['podSelector', 'policyTypes', 'ingress', 'egress']);
  const ingressRules = (list(spec.ingress, 'spec.ingress') ?? []).map((r, i) => readRule(r, `spec.ingress[${i}]`, 'from'));
  const egressRules = (list(spec.egress, 'spec.egress') ?? []).map((r, i) => readRule(r, `spec.egress[${i}]`, 'to'));
  // Docs: without policyTypes, Ingress is always set and Egress is set when there are egress rules.
  const types = (list(spec.policyTypes, 'spec.policyTypes') as string[] | undefined) ?? ['Ingress', ...(egressRules.length > 0 ? ['Egress'] : [])];
  return {
    name: String(meta.name),
    namespace: (meta.namespace as string | undefined) ?? defaultNamespace,
    podSelector: readSelector(spec.podSelector, 'spec.podSelector'),
    ingress: types.includes('Ingress'),
    egress: types.includes('Egress'),
    ingressRules,
    egressRules,
  };
}

/** Label selector semantics: every matchLabels pair and every expression must hold; {} selects all. */
export function selects(s: Selector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false;
  return s.matchExpressions.every((e) => {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]!);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]!);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
    }
  });
}

export class Cluster {
  private readonly nsLabels: Map<string, Labels>;

  constructor(readonly namespaces: readonly Namespace[], readonly policies: readonly NetworkPolicy[]) {
    this.nsLabels = new Map(namespaces.map((n) => [n.name, n.labels]));
  }

  /** Allowed only when the source's egress and the destination's ingress both allow it. */
  allowed(c: Connection): boolean {
    // Docs: a pod cannot block access to itself.
    if (c.from.name === c.to.name && c.from.namespace === c.to.namespace) return true;
    return this.sideAllows(c.from, c.to, c, 'egress') && this.sideAllows(c.to, c.from, c, 'ingress');
  }

  /**
   * A pod is isolated for a direction when some policy of its namespace selects it with that
   * policy type; then the connection needs a rule (of any such policy: they are a union) whose
   * peers match the other pod and whose ports match the connection. Not isolated: allowed.
   */
  private sideAllows(subject: Pod, other: Pod, c: Connection, dir: 'ingress' | 'egress'): boolean {
    const applying = this.policies.filter((p) => p.namespace === subject.namespace && p[dir] && selects(p.podSelector, subject.labels));
    if (applying.length === 0) return true;
    return applying.some((p) =>
      (dir === 'ingress' ? p.ingressRules : p.egressRules).some((r) => this.peersMatch(r.peers, p, other) && portsMatch(r.ports, c)),
    );
  }

  private peersMatch(peers: readonly Peer[] | undefined, p: NetworkPolicy, other: Pod): boolean {
    // Docs: an empty or missing from/to matches all sources/destinations.
    if (peers === undefined || peers.length === 0) return true;
    return peers.some((peer) => {
      // podSelector alone: pods of the policy's namespace; namespaceSelector alone: every pod of
      // the selected namespaces; both: the selected pods within the selected namespaces.
      const nsOk = peer.namespaceSelector
        ? selects(peer.namespaceSelector, this.nsLabels.get(other.namespace) ?? {})
        : other.namespace === p.namespace;
      const podOk = peer.podSelector ? selects(peer.podSelector, other.labels) : true;
      return nsOk && podOk;
    });
  }
}

/**
 * Docs: an empty or missing `ports` matches all ports; otherwise one entry must match: its
 * protocol, and its port (a single port, the range port..endPort, or every port when absent).
 * NetworkPolicy is defined for TCP, UDP and SCTP only; for ICMP and other protocols this oracle
 * takes the common plugin behaviour: isolation covers them, and only a rule without ports allows them.
 */
export function portsMatch(ports: readonly PortSpec[] | undefined, c: Connection): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if (p.protocol !== c.protocol) return false;
    if (p.port === undefined) return true;
    if (c.port === undefined) return false;
    return p.endPort === undefined ? c.port === p.port : c.port >= p.port && c.port <= p.endPort;
  });
}
