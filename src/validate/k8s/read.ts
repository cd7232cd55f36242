// validate/k8s: a strict reader of NetworkPolicy manifests and the kustomization, from the YAML text
// as written (yaml-subset.ts). A field it does not know, a value of the wrong type, or anything outside the subset it
// evaluates is a ReadError with the line: the reader never silently ignores part of a manifest.
// Input: YAML text (or an already parsed object). Output: NetworkPolicy / the resources list.
import { parseYamlSubset, YamlError } from './yaml-subset.js';
import type { Direction, NetworkPolicy, Peer, PolicyRule, PortSpec, Requirement, Selector } from './model.js';

export class ReadError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file || 'manifest'}${line > 0 ? `:${line}` : ''}: ${reason}`);
  }
}

type Path = readonly (string | number)[];
type Obj = Record<string, unknown>;

/** Reads the fields of one object with their path, turning a path into a line only for errors and citations. */
class Reader {
  constructor(readonly file: string, private readonly lineOf: (p: Path) => number) {}

  line(p: Path): number {
    return this.lineOf(p);
  }

  fail(p: Path, reason: string): never {
    throw new ReadError(this.file, this.lineOf(p), `${show(p)}: ${reason}`);
  }

  obj(v: unknown, p: Path, allowed: readonly string[]): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(p, 'expected a mapping');
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail([...p, k], `field '${k}' is not understood by the validator`);
    return v as Obj;
  }

  /** A list, or undefined when the field is missing (null counts as missing, as in the API). */
  list(v: unknown, p: Path): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(p, 'expected a list');
    return v;
  }

  str(v: unknown, p: Path): string {
    if (typeof v !== 'string') this.fail(p, 'expected a string');
    return v;
  }

  port(v: unknown, p: Path): number {
    if (typeof v === 'string') this.fail(p, 'named ports are outside what the validator evaluates');
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) this.fail(p, 'expected a port number 1-65535');
    return v;
  }
}

function show(p: Path): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s || 'document';
}

function labels(r: Reader, v: unknown, p: Path): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) r.fail(p, 'expected a mapping');
  for (const [k, x] of Object.entries(v)) out[k] = r.str(x, [...p, k]);
  return out;
}

const OPERATORS: readonly Requirement['operator'][] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function selector(r: Reader, v: unknown, p: Path): Selector {
  const o = r.obj(v ?? {}, p, ['matchLabels', 'matchExpressions']);
  const matchExpressions = (r.list(o.matchExpressions, [...p, 'matchExpressions']) ?? []).map((e, i): Requirement => {
    const q = [...p, 'matchExpressions', i];
    const x = r.obj(e, q, ['key', 'operator', 'values']);
    const operator = x.operator as Requirement['operator'];
    if (!OPERATORS.includes(operator)) r.fail([...q, 'operator'], `operator ${String(x.operator)} is not In, NotIn, Exists or DoesNotExist`);
    const values = (r.list(x.values, [...q, 'values']) ?? []).map((s, k) => r.str(s, [...q, 'values', k]));
    // API: In/NotIn need values, Exists/DoesNotExist must have none.
    if ((operator === 'In' || operator === 'NotIn') !== values.length > 0) r.fail(q, `operator ${operator} with ${values.length} value(s)`);
    return { key: r.str(x.key, [...q, 'key']), operator, values };
  });
  return { matchLabels: labels(r, o.matchLabels, [...p, 'matchLabels']), matchExpressions };
}

function portSpec(r: Reader, v: unknown, p: Path): PortSpec {
  const o = r.obj(v, p, ['protocol', 'port', 'endPort']);
  // API: protocol defaults to TCP. SCTP ports would split tierwall's `other` class, which the
  // policy decides as one, so they are refused like ICMP rather than half understood.
  const protocol = o.protocol === undefined ? 'TCP' : r.str(o.protocol, [...p, 'protocol']);
  if (protocol !== 'TCP' && protocol !== 'UDP') r.fail([...p, 'protocol'], `protocol ${protocol} is not TCP or UDP`);
  const port = o.port === undefined ? undefined : r.port(o.port, [...p, 'port']);
  const endPort = o.endPort === undefined ? undefined : r.port(o.endPort, [...p, 'endPort']);
  if (endPort !== undefined && port === undefined) r.fail(p, 'endPort without port');
  if (endPort !== undefined && endPort < port!) r.fail([...p, 'endPort'], `endPort ${endPort} is below port ${port}`);
  return { protocol, port, endPort };
}

function rule(r: Reader, v: unknown, p: Path, dir: Direction, policy: string, index: number): PolicyRule {
  const peerKey = dir === 'ingress' ? 'from' : 'to';
  const o = r.obj(v, p, [peerKey, 'ports']);
  const peers = r.list(o[peerKey], [...p, peerKey])?.map((x, i): Peer => {
    const q = [...p, peerKey, i];
    const e = r.obj(x, q, ['podSelector', 'namespaceSelector', 'ipBlock']);
    if (e.ipBlock !== undefined) r.fail([...q, 'ipBlock'], 'ipBlock is outside what the validator evaluates (tiers are pods, not addresses)');
    if (e.podSelector === undefined && e.namespaceSelector === undefined) r.fail(q, 'a peer needs podSelector or namespaceSelector');
    const sel = (k: 'podSelector' | 'namespaceSelector') => (e[k] === undefined ? undefined : selector(r, e[k], [...q, k]));
    return { podSelector: sel('podSelector'), namespaceSelector: sel('namespaceSelector') };
  });
  const ports = r.list(o.ports, [...p, 'ports'])?.map((x, i) => portSpec(r, x, [...p, 'ports', i]));
  return { peers, ports, site: { file: r.file, line: r.line(p), policy, dir, index } };
}

/** One NetworkPolicy from a parsed object. A missing metadata.namespace means `defaultNamespace`. */
function readObject(r: Reader, doc: unknown, defaultNamespace: string): NetworkPolicy {
  const o = r.obj(doc, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  if (o.apiVersion !== 'networking.k8s.io/v1' || o.kind !== 'NetworkPolicy') r.fail([], 'not a networking.k8s.io/v1 NetworkPolicy');
  const meta = r.obj(o.metadata, ['metadata'], ['name', 'namespace', 'labels', 'annotations']);
  labels(r, meta.labels, ['metadata', 'labels']);
  labels(r, meta.annotations, ['metadata', 'annotations']);
  const name = r.str(meta.name, ['metadata', 'name']);
  const spec = r.obj(o.spec, ['spec'], ['podSelector', 'policyTypes', 'ingress', 'egress']);
  const rules = (dir: Direction) => (r.list(spec[dir], ['spec', dir]) ?? []).map((x, i) => rule(r, x, ['spec', dir, i], dir, name, i));
  const ingressRules = rules('ingress');
  const egressRules = rules('egress');
  const listed = r.list(spec.policyTypes, ['spec', 'policyTypes'])?.map((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') r.fail(['spec', 'policyTypes', i], `policy type ${String(t)} is not Ingress or Egress`);
    return t;
  });
  // API: without policyTypes, Ingress is always set and Egress only when there are egress rules.
  const types = listed ?? ['Ingress', ...(egressRules.length > 0 ? ['Egress'] : [])];
  if (spec.podSelector === undefined) r.fail(['spec'], 'podSelector is required');
  return {
    name,
    namespace: meta.namespace === undefined ? defaultNamespace : r.str(meta.namespace, ['metadata', 'namespace']),
    file: r.file,
    podSelector: selector(r, spec.podSelector, ['spec', 'podSelector']),
    ingress: types.includes('Ingress'),
    egress: types.includes('Egress'),
    ingressRules,
    egressRules,
  };
}

/** A parsed object (tests write manifests by hand); lines are unknown (0). */
export function readNetworkPolicy(doc: unknown, defaultNamespace = 'default', file = ''): NetworkPolicy {
  return readObject(new Reader(file, () => 0), doc, defaultNamespace);
}

/** YAML text as a value plus a path -> line function (the line of the key or item the path ends at). */
function load(file: string, text: string): { value: unknown; lineOf: (p: Path) => number } {
  let parsed: ReturnType<typeof parseYamlSubset>;
  try {
    parsed = parseYamlSubset(text);
  } catch (e) {
    if (e instanceof YamlError) throw new ReadError(file, e.line, `not read as YAML: ${e.reason}`);
    throw e;
  }
  const { value, lines } = parsed;
  const lineOf = (p: Path): number => {
    let node: unknown = value;
    for (let k = 0; k < p.length; k++) {
      if (node === null || typeof node !== 'object') return 0;
      if (k === p.length - 1) return lines.get(node)?.get(p[k]!) ?? 0;
      node = (node as Record<string | number, unknown>)[p[k]!];
    }
    return 1;
  };
  return { value, lineOf };
}

/** One manifest file as written. Throws ReadError. */
export function readNetworkPolicyText(file: string, text: string, defaultNamespace = 'default'): NetworkPolicy {
  const { value, lineOf } = load(file, text);
  return readObject(new Reader(file, lineOf), value, defaultNamespace);
}

/** kustomization.yaml: the resources it applies, relative to its directory. Throws ReadError. */
export function readKustomization(file: string, text: string): string[] {
  const { value, lineOf } = load(file, text);
  const r = new Reader(file, lineOf);
  const o = r.obj(value, [], ['apiVersion', 'kind', 'resources']);
  if (o.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || o.kind !== 'Kustomization') r.fail([], 'not a kustomize.config.k8s.io/v1beta1 Kustomization');
  return (r.list(o.resources, ['resources']) ?? []).map((x, i) => r.str(x, ['resources', i]));
}
