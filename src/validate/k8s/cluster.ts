// validate/k8s: NetworkPolicy semantics, written from the Kubernetes documentation
// (concepts/services-networking/network-policies and the networking.k8s.io/v1 API reference).
// Input: NetworkPolicies, namespaces, pods. Output: for one pod and direction, whether it is isolated
// and which rules admit a given peer; for a connection, allowed or not. Policies and rules are indexed
// by single-label selectors, so one query costs O(labels of the pod + selectors that are not single labels).
import type { Connection, Direction, Labels, Namespace, NetworkPolicy, Peer, Pod, PolicyRule, PortSpec, Selector } from './model.js';

/** Label selector semantics: every matchLabels pair and every expression must hold; {} selects all. */
export function selects(s: Selector, labels: Labels): boolean {
  for (const k in s.matchLabels) if (labels[k] !== s.matchLabels[k]) return false;
  for (const e of s.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    const ok =
      e.operator === 'In' ? has && e.values.includes(labels[e.key]!)
      : e.operator === 'NotIn' ? !has || !e.values.includes(labels[e.key]!)
      : e.operator === 'Exists' ? has
      : !has;
    if (!ok) return false;
  }
  return true;
}

/** `namespace \0 key \0 value` for a selector of exactly one label in one namespace, else undefined. */
function singleKey(namespace: string, s: Selector): string | undefined {
  if (s.matchExpressions.length > 0) return undefined;
  const keys = Object.keys(s.matchLabels);
  return keys.length === 1 ? `${namespace}\0${keys[0]}\0${s.matchLabels[keys[0]!]}` : undefined;
}

/** The index keys of a pod: one per label. */
function podKeys(p: Pod): string[] {
  return Object.keys(p.labels).map((k) => `${p.namespace}\0${k}\0${p.labels[k]}`);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** One direction of one policy: its rules by the single-label pod peer they name, and the others. */
class RuleIndex {
  readonly byKey = new Map<string, PolicyRule[]>();
  readonly general: { rule: PolicyRule; peers: readonly Peer[] | undefined }[] = [];

  constructor(readonly policy: NetworkPolicy, rules: readonly PolicyRule[]) {
    for (const rule of rules) {
      const rest: Peer[] = [];
      const all = rule.peers === undefined || rule.peers.length === 0;
      for (const peer of rule.peers ?? []) {
        // podSelector alone selects pods of the policy's own namespace.
        const key = !peer.namespaceSelector && peer.podSelector ? singleKey(policy.namespace, peer.podSelector) : undefined;
        if (key === undefined) rest.push(peer);
        else push(this.byKey, key, rule);
      }
      if (all) this.general.push({ rule, peers: undefined });
      else if (rest.length > 0) this.general.push({ rule, peers: rest });
    }
  }
}

/** What one side of a connection says: not isolated (anything goes), or isolated with the rules that admit the peer. */
export type Side =
  | { readonly isolated: false }
  | { readonly isolated: true; readonly by: readonly NetworkPolicy[]; readonly rules: readonly PolicyRule[] };

const OPEN: Side = { isolated: false };

export class Cluster {
  private readonly nsLabels: Map<string, Labels>;
  private readonly selecting = { ingress: new Map<string, NetworkPolicy[]>(), egress: new Map<string, NetworkPolicy[]>() };
  private readonly selectingGeneral = { ingress: [] as NetworkPolicy[], egress: [] as NetworkPolicy[] };
  private readonly rules = { ingress: new Map<NetworkPolicy, RuleIndex>(), egress: new Map<NetworkPolicy, RuleIndex>() };
  private readonly keyCache = new WeakMap<Pod, string[]>();

  constructor(readonly namespaces: readonly Namespace[], readonly policies: readonly NetworkPolicy[]) {
    this.nsLabels = new Map(namespaces.map((n) => [n.name, n.labels]));
    for (const p of policies) {
      for (const dir of ['ingress', 'egress'] as const) {
        if (!p[dir]) continue;
        const key = singleKey(p.namespace, p.podSelector);
        if (key === undefined) this.selectingGeneral[dir].push(p);
        else push(this.selecting[dir], key, p);
        this.rules[dir].set(p, new RuleIndex(p, dir === 'ingress' ? p.ingressRules : p.egressRules));
      }
    }
  }

  private keys(p: Pod): string[] {
    let k = this.keyCache.get(p);
    if (!k) this.keyCache.set(p, (k = podKeys(p)));
    return k;
  }

  private readonly applyingCache = { ingress: new WeakMap<Pod, readonly NetworkPolicy[]>(), egress: new WeakMap<Pod, readonly NetworkPolicy[]>() };

  /** The policies that select `pod` for `dir`, in manifest order (once per pod: a tier's pod meets every other). */
  applying(pod: Pod, dir: Direction): readonly NetworkPolicy[] {
    let out = this.applyingCache[dir].get(pod);
    if (!out) this.applyingCache[dir].set(pod, (out = this.select(pod, dir)));
    return out;
  }

  private select(pod: Pod, dir: Direction): NetworkPolicy[] {
    const out: NetworkPolicy[] = [];
    for (const k of this.keys(pod)) for (const p of this.selecting[dir].get(k) ?? []) if (!out.includes(p)) out.push(p);
    for (const p of this.selectingGeneral[dir]) if (p.namespace === pod.namespace && selects(p.podSelector, pod.labels)) out.push(p);
    if (out.length > 1) out.sort((a, b) => this.policies.indexOf(a) - this.policies.indexOf(b));
    return out;
  }

  /**
   * `subject`'s side of a connection with `other` (ingress: other is the client; egress: the
   * server). A pod is isolated for a direction when some policy of its namespace selects it with
   * that policy type; then only the rules (of any such policy: they are a union) whose peers match
   * `other` can admit the connection. Rules in manifest order, each once.
   */
  side(subject: Pod, other: Pod, dir: Direction): Side {
    const by = this.applying(subject, dir);
    if (by.length === 0) return OPEN;
    const rules: PolicyRule[] = [];
    const keys = this.keys(other);
    for (const p of by) {
      const idx = this.rules[dir].get(p)!;
      const start = rules.length;
      for (const k of keys) for (const r of idx.byKey.get(k) ?? []) if (!rules.includes(r)) rules.push(r);
      for (const g of idx.general) if (!rules.includes(g.rule) && this.peersMatch(g.peers, p, other)) rules.push(g.rule);
      if (rules.length - start > 1) rules.sort((a, b) => (a.site.index - b.site.index));
    }
    return { isolated: true, by, rules };
  }

  /**
   * Can any rule of the policies isolating `subject` admit a pod of namespace `ns`? Only a rule
   * that is not a single-label podSelector can (those stay in their policy's namespace), so this
   * costs O(such rules), and the caller probes every pod of `ns` only when it says yes.
   */
  mayAdmitFrom(subject: Pod, dir: Direction, ns: string): boolean {
    const by = this.applying(subject, dir);
    if (by.length === 0) return true;
    const labels = this.nsLabels.get(ns) ?? {};
    return by.some((p) =>
      p.namespace === ns || this.rules[dir].get(p)!.general.some((g) => g.peers === undefined || g.peers.some((peer) => peer.namespaceSelector !== undefined && selects(peer.namespaceSelector, labels))),
    );
  }

  /** undefined peers: the rule has no from/to (or an empty one), which matches every peer. */
  private peersMatch(peers: readonly Peer[] | undefined, p: NetworkPolicy, other: Pod): boolean {
    if (peers === undefined) return true;
    return peers.some((peer) => {
      // podSelector alone: pods of the policy's namespace; namespaceSelector alone: every pod of
      // the selected namespaces; both: the selected pods within the selected namespaces.
      const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, this.nsLabels.get(other.namespace) ?? {}) : other.namespace === p.namespace;
      return nsOk && (peer.podSelector ? selects(peer.podSelector, other.labels) : true);
    });
  }

  /** Allowed only when the client's egress and the server's ingress both allow it. */
  allowed(c: Connection): boolean {
    // Docs: a pod cannot block access to itself.
    if (c.from.name === c.to.name && c.from.namespace === c.to.namespace) return true;
    return sideAllows(this.side(c.from, c.to, 'egress'), c) && sideAllows(this.side(c.to, c.from, 'ingress'), c);
  }
}

export function sideAllows(s: Side, c: Pick<Connection, 'protocol' | 'port'>): boolean {
  return !s.isolated || s.rules.some((r) => portsMatch(r.ports, c));
}

/**
 * Docs: an empty or missing `ports` matches all ports; otherwise one entry must match: its
 * protocol, and its port (a single port, the range port..endPort, or every port when absent).
 * NetworkPolicy is defined for TCP, UDP and SCTP only; for ICMP and other protocols this takes the
 * common plugin behaviour: isolation covers them, and only a rule without ports allows them.
 */
export function portsMatch(ports: readonly PortSpec[] | undefined, c: Pick<Connection, 'protocol' | 'port'>): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if (p.protocol !== c.protocol) return false;
    if (p.port === undefined) return true;
    if (c.port === undefined) return false;
    return p.endPort === undefined ? c.port === p.port : c.port >= p.port && c.port <= p.endPort;
  });
}
