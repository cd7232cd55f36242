// graph: the reachability graph of a policy, as data. Input: Policy + the evaluator's decided
// classes (decideAllClasses). Output: GraphModel (tiers as nodes, merged services per edge), pure.
import { decideAllClasses, type DecidedClass } from '../eval/flow-classes.js';
import type { Policy } from '../ir/types.js';
import { isEmptySet, serviceSetOf, summarizeSet, type ServiceSet } from './service-set.js';

/** A tier. `label` is the lines every renderer shows: name, subnet, and "isolated" when it is. */
export interface GraphNode {
  readonly name: string;
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
  /** Ordered by source tier, then destination tier (policy order), allow before deny-logged. */
  readonly edges: readonly GraphEdge[];
}

export interface GraphOptions {
  /** Add dashed edges for flows the policy denies and logs. Default false. */
  readonly deniedLogged?: boolean;
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
  const nodes = policy.tiers.map((t) => ({
    name: t.name,
    label: t.isolated ? [t.name, t.subnet.text, 'isolated'] : [t.name, t.subnet.text],
    isolated: t.isolated,
  }));
  const byPair = classesByPair(classes);
  const edges: GraphEdge[] = [];
  for (const a of policy.tiers) {
    for (const b of policy.tiers) {
      if (a.name === b.name) continue;
      const pair = byPair.get(`${a.name}\n${b.name}`) ?? [];
      const allowed = serviceSetOf(pair, (c) => c.verdict.action === 'allow');
      if (!isEmptySet(allowed)) edges.push({ src: a.name, dst: b.name, kind: 'allow', services: allowed, label: summarizeSet(allowed) });
      if (!options.deniedLogged) continue;
      const logged = serviceSetOf(pair, (c) => c.verdict.action === 'deny' && c.verdict.log);
      if (!isEmptySet(logged)) edges.push({ src: a.name, dst: b.name, kind: 'deny-logged', services: logged, label: `denied, logged: ${summarizeSet(logged)}` });
    }
  }
  return { name: policy.name, nodes, edges };
}
