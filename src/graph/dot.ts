// graph: renders a GraphModel as Graphviz DOT (`dot -Tsvg`). Input: GraphModel. Output: DOT source
// with every id and label quoted, '\n'-terminated lines, deterministic.
import type { GraphModel } from './model.js';

/**
 * A DOT double-quoted string. `\"` is the only escape DOT's lexer knows, but label rendering then
 * reads `\n`, `\l`, `\N`, ...: a literal backslash must be `\\`, a line break `\n`. Other control
 * characters have no DOT form and are shown as U+FFFD (this is a picture, not data).
 */
export function dotString(s: string): string {
  const body = s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n').replace(/[\x00-\x1f\x7f]/g, '\uFFFD');
  return `"${body}"`;
}

/** A multi-line label: lines escaped one by one, joined with DOT's centred line break. */
function dotLabel(lines: readonly string[]): string {
  return dotString(lines.join('\n'));
}

/**
 * `digraph`, left to right: boxes for tiers (dashed when isolated), ellipses for external zones,
 * solid allow and dashed red deny edges.
 */
export function toDot(model: GraphModel): string {
  const lines = [`digraph ${dotString(model.name)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const n of model.nodes) {
    const style = n.kind === 'external' ? ', shape=ellipse, style=solid' : n.isolated ? ', style="rounded,dashed"' : '';
    lines.push(`  ${dotString(n.name)} [label=${dotLabel(n.label)}${style}];`);
  }
  for (const e of model.edges) {
    const style = e.kind === 'allow' ? '' : ', style=dashed, color="#c62828", fontcolor="#c62828"';
    lines.push(`  ${dotString(e.src)} -> ${dotString(e.dst)} [label=${dotString(e.label)}${style}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
