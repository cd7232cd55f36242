// graph: the reachability graph of a policy (model) and its renderers (Mermaid, DOT).
// Input: Policy (+ decided classes). Output: GraphModel, Mermaid and DOT text.
export { buildGraph, classesByPair, type GraphModel, type GraphNode, type GraphEdge, type EdgeKind, type GraphOptions } from './model.js';
export { toMermaid, mermaidText } from './mermaid.js';
export { toDot, dotString } from './dot.js';
export * from './service-set.js';
