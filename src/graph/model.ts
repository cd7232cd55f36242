// graph: the reachability graph of a policy, as data. Input: Policy + the evaluator's decided
// classes (decideAllClasses, and decideExternalClasses for the outside). Output: GraphModel (tiers
// and, on request, external zones as nodes, merged services per edge), pure.
import { decideAllClasses, decideExternalClasses, type DecidedClass } from '../eval/flow-classes.js';
import { zonesOf, type ExternalZone } from '../eval/zones.js';
import { WORLD, type Policy } from '../ir/types.js';
import { isEmptySet, serviceSetOf, summarizeSet, type ServiceSet } from './service-set.js';

/**
 * A tier, or an external zone (eval/zones.ts: `world`, a net, an overlap of nets), which renderers
 * draw in another shape. `label` is the lines every renderer shows: for a tier its name, subnet,
 * and "isolated" when it is; for a zone its name and what it holds.
 */
export interface GraphNode {
  readonly name: string;
  readonly kind: 'tier' | 'external';
  readonly label: readonly string[];
  readonly isolated: boolean;
}

/** `allow`: some traffic passes src -> dst. `deny-logged`: traffic dropped and logged (dashed). */
export type EdgeKind = 'allow' | 'deny-logged';

export interface GraphEdge {
  readonly src: string;
  readonly dst: string;
  readonly kind: EdgeKind;
  readonly services: ServiceSet;
  /** summarizeSet(services), e.g. "tcp/8080, udp/53" or "all". */
  readonly label: string;
}

export interface GraphModel {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  /**
   * Ordered by source tier, then destination tier (policy order), allow before deny-logged; then
   * per external zone (zone order), zone -> tier edges, then tier -> zone edges.
   */
  readonly edges: readonly GraphEdge[];
}

export interface GraphOptions {
  /** Add dashed edges for flows the policy denies and logs. Default false. */
  readonly deniedLogged?: boolean;
  /**
   * Add the external zones that have an edge (some flow with a tier allowed, or denied and
   * logged with deniedLogged), after the tiers. Default false.
   */
  readonly external?: boolean;
}

/** How many of a net's ranges a zone's label lists. */
const MAX_RANGES = 3;

function zoneLabel(policy: Policy, z: ExternalZone): string[] {
  if (z.name === WORLD) return [WORLD, z.nets.length === 0 && policy.nets.length > 0 ? 'outside the tiers and the nets' : 'outside the tiers'];
  if (z.nets.length > 1) return [z.name, `in ${z.nets.join(' and ')}`];
  const cidrs = policy.nets.find((n) => n.name === z.name)?.cidrs.map((c) => c.text) ?? [];
  return [z.name, ...cidrs.slice(0, MAX_RANGES), ...(cidrs.length > MAX_RANGES ? [`and ${cidrs.length - MAX_RANGES} more`] : [])];
}

/** Groups classes by ordered tier pair; the key is `${src}\n${dst}` (tier names hold no newline). */
export function classesByPair(classes: readonly DecidedClass[]): Map<string, DecidedClass[]> {
  const out = new Map<string, DecidedClass[]>();
  for (const c of classes) {
    const key = `${c.src}\n${c.dst}`;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(c);
  }
  return out;
}

/**
 * Builds the graph. Traffic inside a tier is not drawn as an edge (it is the node's own
 * property: allowed unless the tier is isolated), so only pairs of different tiers get edges.
 */
export function buildGraph(policy: Policy, classes: readonly DecidedClass[] = decideAllClasses(policy), options: GraphOptions = {}): GraphModel {
  const nodes: GraphNode[] = policy.tiers.map((t) => ({
    name: t.name,
    kind: 'tier',
    label: t.isolated ? [t.name, t.subnet.text, 'isolated'] : [t.name, t.subnet.text],
    isolated: t.isolated,
  }));
  const byPair = classesByPair(classes);
  const edges: GraphEdge[] = [];
  const pairEdges = (src: string, dst: string, pair: readonly DecidedClass[]): GraphEdge[] => {
    const out: GraphEdge[] = [];
    const allowed = serviceSetOf(pair, (c) => c.verdict.action === 'allow');
    if (!isEmptySet(allowed)) out.push({ src, dst, kind: 'allow', services: allowed, label: summarizeSet(allowed) });
    if (!options.deniedLogged) return out;
    const logged = serviceSetOf(pair, (c) => c.verdict.action === 'deny' && c.verdict.log);
    if (!isEmptySet(logged)) out.push({ src, dst, kind: 'deny-logged', services: logged, label: `denied, logged: ${summarizeSet(logged)}` });
    return out;
  };
  for (const a of policy.tiers) {
    for (const b of policy.tiers) {
      if (a.name === b.name) continue;
      edges.push(...pairEdges(a.name, b.name, byPair.get(`${a.name}\n${b.name}`) ?? []));
    }
  }
  if (options.external) {
    const outside = classesByPair(decideExternalClasses(policy));
    for (const z of zonesOf(policy).external) {
      const zoneEdges: GraphEdge[] = [];
      for (const t of policy.tiers) zoneEdges.push(...pairEdges(z.name, t.name, outside.get(`${z.name}\n${t.name}`) ?? []));
      for (const t of policy.tiers) zoneEdges.push(...pairEdges(t.name, z.name, outside.get(`${t.name}\n${z.name}`) ?? []));
      // A zone nothing reaches or leaves is left out: under `default deny` most of the outside is.
      if (zoneEdges.length === 0) continue;
      nodes.push({ name: z.name, kind: 'external', label: zoneLabel(policy, z), isolated: false });
      edges.push(...zoneEdges);
    }
  }
  return { name: policy.name, nodes, edges };
}
