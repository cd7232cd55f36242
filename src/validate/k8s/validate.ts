// validate/k8s: translation validation of the Kubernetes output. Reads kustomization.yaml and the
// NetworkPolicy manifests as written (read.ts), evaluates them with NetworkPolicy semantics
// (cluster.ts) for two pods of every tier and pods outside the tiers (world.ts), and proves every
// flow class decided as the evaluator decides it (through src/validate/expected.ts). Shares nothing
// with src/backends/k8s. Input: Policy, the k8s artifacts, the options they were made with.
// Output: K8sValidationResult. Work: per tier and per rule; each ordered tier pair costs O(1) map
// lookups unless a rule of the policy or of the manifests names it.
import type { Policy } from '../../ir/types.js';
import type { FlowProto } from '../../eval/evaluate.js';
import type { Interval } from '../../ir/ports.js';
import { PORT_MAX, PORT_MIN } from '../../ir/ports.js';
import { Oracle } from '../expected.js';
import type { ExpectedDecision } from '../types.js';
import { Cluster, type Side } from './cluster.js';
import type { NetworkPolicy, Pod } from './model.js';
import { allowedBy, both, causeOf, isEverything, isNothing, segments, type Allowed } from './ports.js';
import { readKustomization, readNetworkPolicyText, ReadError } from './read.js';
import type { K8sExpected, K8sFlow, K8sProblem, K8sValidationResult, SideCause } from './types.js';
import { buildWorld, DNS_PORT, type World } from './world.js';
import { K8sCollector } from './collector.js';

export interface K8sValidateOptions {
  /** The namespace the manifests were generated for; 'default' when absent (as the CLI). */
  readonly namespace?: string;
  /** Whether every tier must reach kube-dns on udp/53 and tcp/53. */
  readonly dnsEgress?: boolean;
}

export const K8S_DIR = 'k8s';
export const KUSTOMIZATION = `${K8S_DIR}/kustomization.yaml`;
const TIERS_DIR = `${K8S_DIR}/tiers/`;

const WHOLE: readonly Interval[] = [{ lo: PORT_MIN, hi: PORT_MAX }];
const DNS_CUTS: readonly Interval[] = [{ lo: PORT_MIN, hi: DNS_PORT - 1 }, { lo: DNS_PORT, hi: DNS_PORT }, { lo: DNS_PORT + 1, hi: PORT_MAX }];

/** The manifests `kubectl apply -k k8s` applies, which must be exactly the files in k8s/tiers/. */
function readFiles(files: ReadonlyMap<string, string>, namespace: string, col: K8sCollector): NetworkPolicy[] {
  const kust = files.get(KUSTOMIZATION);
  const onDisk = [...files.keys()].filter((p) => p.startsWith(TIERS_DIR)).sort();
  let listed: string[] = [];
  if (kust === undefined) col.file({ kind: 'file', file: KUSTOMIZATION, line: 0, reason: 'missing' });
  else {
    try {
      listed = readKustomization(KUSTOMIZATION, kust).map((r) => `${K8S_DIR}/${r}`);
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      col.file({ kind: 'file', file: e.file, line: e.line, reason: e.reason });
    }
  }
  for (const p of listed) if (!files.has(p)) col.file({ kind: 'file', file: KUSTOMIZATION, line: 0, reason: `resource ${p} is not among the files written` });
  for (const p of onDisk) if (kust !== undefined && !listed.includes(p)) col.file({ kind: 'file', file: KUSTOMIZATION, line: 0, reason: `${p} is written but not listed in resources: kubectl apply -k would skip it` });
  const out: NetworkPolicy[] = [];
  for (const p of onDisk) {
    try {
      // No default namespace: without one, kubectl applies to the context's namespace, whatever it is.
      const np = readNetworkPolicyText(p, files.get(p)!, '');
      // A policy in another namespace selects none of the tiers' pods: it would leave them open.
      if (np.namespace !== namespace) {
        const reason = np.namespace === '' ? 'metadata.namespace is missing' : `metadata.namespace is '${np.namespace}', not the target namespace '${namespace}'`;
        col.file({ kind: 'file', file: p, line: 0, reason });
      }
      out.push(np);
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      col.file({ kind: 'file', file: e.file, line: e.line, reason: e.reason });
    }
  }
  return out;
}

/** One probe: the two pods, what each end says, and the names it is reported under. */
interface Probe {
  readonly flow: Pick<K8sFlow, 'src' | 'dst'>;
  readonly egress: Side;
  readonly ingress: Side;
}

function probe(cluster: Cluster, from: Pod, to: Pod, src: string, dst: string): Probe {
  return { flow: { src, dst }, egress: cluster.side(from, to, 'egress'), ingress: cluster.side(to, from, 'ingress') };
}

/**
 * Compares one probe class by class: tcp/udp cut at the expected side's boundaries (`cuts`) and at
 * the manifests' (the allowed intervals); icmp and other whole. Returns the number of classes.
 */
function compareProbe(p: Probe, allowed: Allowed, cuts: (proto: 'tcp' | 'udp') => readonly Interval[], expect: (proto: FlowProto, port: number | undefined) => K8sExpected, col: K8sCollector): number {
  let classes = 0;
  const fail = (proto: FlowProto, lo: number | undefined, hi: number | undefined, e: K8sExpected, allow: boolean): void => {
    const flow: K8sFlow = lo === undefined ? { ...p.flow, proto } : { ...p.flow, proto, lo, hi };
    col.flow(flow, e, { allow, egress: causeOf(p.egress, proto, lo), ingress: causeOf(p.ingress, proto, lo) });
  };
  for (const proto of ['tcp', 'udp'] as const) {
    const act = segments(allowed[proto]);
    const cut = cuts(proto);
    let a = 0;
    let c = 0;
    for (let lo = PORT_MIN; lo <= PORT_MAX; ) {
      const seg = act[a]!;
      const hi = Math.min(seg.hi, cut[c]!.hi);
      classes++;
      const e = expect(proto, lo);
      if (e.allow !== seg.allow) fail(proto, lo, hi, e, seg.allow);
      lo = hi + 1;
      if (seg.hi < lo) a++;
      if (cut[c]!.hi < lo) c++;
    }
  }
  for (const proto of ['icmp', 'other'] as const) {
    classes++;
    const e = expect(proto, undefined);
    if (e.allow !== allowed.rest) fail(proto, undefined, undefined, e, allowed.rest);
  }
  return classes;
}

/** ExpectedDecision -> K8sExpected, one object per decision so the collector can join by identity. */
class Expectations {
  private readonly memo = new Map<ExpectedDecision, K8sExpected>();
  of(d: ExpectedDecision): K8sExpected {
    let e = this.memo.get(d);
    if (!e) this.memo.set(d, (e = { allow: d.verdict === 'ACCEPT', reason: d.reason }));
    return e;
  }
}

const OUTSIDE_DENY: K8sExpected = { allow: false, reason: { kind: 'outside' } };
const NOT_GOVERNED: K8sExpected = { allow: true, reason: { kind: 'not-governed' } };

/** Every ordered tier pair (intra-tier: pod 0 to pod 1) against the evaluator. */
function compareTiers(policy: Policy, world: World, cluster: Cluster, col: K8sCollector): number {
  const oracle = new Oracle(policy);
  const ex = new Expectations();
  const tiers = policy.tiers;
  let classes = 0;
  for (let i = 0; i < tiers.length; i++) {
    for (let j = 0; j < tiers.length; j++) {
      const from = world.tiers[i]![0];
      const to = world.tiers[j]![i === j ? 1 : 0];
      const p = probe(cluster, from, to, tiers[i]!.name, tiers[j]!.name);
      const allowed = both(allowedBy(p.egress), allowedBy(p.ingress));
      const rules = oracle.rulesOf(i, j);
      if (rules.length === 0) {
        // Most pairs of a large policy: one verdict (default or isolation) for every class.
        const e = oracle.decide(i, j, rules, 'other', undefined);
        if (e.verdict === 'ACCEPT' ? isEverything(allowed) : isNothing(allowed)) {
          classes += 4;
          continue;
        }
      }
      classes += compareProbe(p, allowed, (proto) => oracle.cuts(rules, proto), (proto, port) => ex.of(oracle.decide(i, j, rules, proto, port)), col);
    }
  }
  return classes;
}

/** Probes between tier pods and pods outside the tiers; linear in the tiers (strangers only where a rule could admit them). */
function compareOutside(policy: Policy, world: World, cluster: Cluster, dnsEgress: boolean, col: K8sCollector): number {
  let classes = 0;
  const uniform = (p: Probe, e: K8sExpected): void => {
    classes += compareProbe(p, both(allowedBy(p.egress), allowedBy(p.ingress)), () => WHOLE, () => e, col);
  };
  const [u0, u1] = world.untiered;
  const describeU = (u: Pod) => `pod ${u.name} (${Object.keys(u.labels).length === 0 ? 'no labels' : 'no tier label'}) in ${world.namespace}`;
  const dnsName = `kube-dns (${world.kubeDns.namespace})`;
  const dns: K8sExpected = { allow: true, reason: { kind: 'dns-egress', enabled: true } };
  const noDns: K8sExpected = { allow: false, reason: { kind: 'dns-egress', enabled: dnsEgress } };
  uniform(probe(cluster, u0, u1, describeU(u0), describeU(u1)), NOT_GOVERNED);
  uniform(probe(cluster, u1, u0, describeU(u1), describeU(u0)), NOT_GOVERNED);
  policy.tiers.forEach((t, i) => {
    const pod = world.tiers[i]![0];
    for (const u of world.untiered) {
      uniform(probe(cluster, pod, u, t.name, describeU(u)), OUTSIDE_DENY);
      uniform(probe(cluster, u, pod, describeU(u), t.name), OUTSIDE_DENY);
    }
    const toDns = probe(cluster, pod, world.kubeDns, t.name, dnsName);
    const dnsPort = (proto: FlowProto, port: number | undefined) => (dnsEgress && (proto === 'tcp' || proto === 'udp') && port === DNS_PORT ? dns : noDns);
    classes += compareProbe(toDns, both(allowedBy(toDns.egress), allowedBy(toDns.ingress)), () => DNS_CUTS, dnsPort, col);
    uniform(probe(cluster, world.kubeDns, pod, dnsName, t.name), OUTSIDE_DENY);
    // A tier-labelled pod in another namespace is not in the tier.
    const strangerName = (k: number) => `pod with tier label ${policy.tiers[k]!.name} in ${world.elsewhere}`;
    const out = cluster.mayAdmitFrom(pod, 'egress', world.elsewhere);
    const inn = cluster.mayAdmitFrom(pod, 'ingress', world.elsewhere);
    for (let k = 0; k < policy.tiers.length && (out || inn); k++) {
      const s = world.stranger(k);
      if (out) uniform(probe(cluster, pod, s, t.name, strangerName(k)), OUTSIDE_DENY);
      if (inn) uniform(probe(cluster, s, pod, strangerName(k), t.name), OUTSIDE_DENY);
    }
  });
  return classes;
}

export function validateK8s(policy: Policy, files: ReadonlyMap<string, string>, options: K8sValidateOptions = {}): K8sValidationResult {
  const namespace = options.namespace ?? 'default';
  const col = new K8sCollector();
  const policies = readFiles(files, namespace, col);
  // Manifests that cannot be read exactly cannot be evaluated: report what is wrong with them only.
  if (col.count > 0) return col.result(0);
  const world = buildWorld(policy, namespace);
  const cluster = new Cluster(world.namespaces, policies);
  const classes = compareTiers(policy, world, cluster, col) + compareOutside(policy, world, cluster, options.dnsEgress === true, col);
  return col.result(classes);
}

export type { K8sProblem, SideCause };
