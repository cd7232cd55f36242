// graph: renders a GraphModel as a Mermaid flowchart (GitHub renders it inline in Markdown).
// Input: GraphModel. Output: Mermaid source, '\n'-terminated lines, deterministic.
import type { GraphModel } from './model.js';

/**
 * Text for inside a quoted Mermaid label. Mermaid has no backslash escapes; it has entity codes
 * (`#35;`). Everything outside a small safe set is written as a decimal entity, so no user string
 * can close the quote, start a link, inject HTML (labels are HTML on GitHub) or a directive.
 */
export function mermaidText(s: string): string {
  let out = '';
  for (const ch of s) {
    out += /^[A-Za-z0-9 ./,:_()+-]$/.test(ch) ? ch : `#${ch.codePointAt(0)!};`;
  }
  return out;
}

/**
 * Node ids: `tier_` (`zone_` for the names in `external`) + the name with anything but
 * [A-Za-z0-9_] replaced by '_'. The prefix keeps ids clear of Mermaid keywords (`end`, `graph`)
 * and of link heads (`o`, `x`); clashes get a suffix.
 */
export function mermaidIds(names: readonly string[], external: ReadonlySet<string> = new Set()): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const [i, name] of names.entries()) {
    let id = `${external.has(name) ? 'zone' : 'tier'}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (used.has(id)) id = `${id}_${i}`;
    used.add(id);
    ids.set(name, id);
  }
  return ids;
}

/**
 * `flowchart LR`: one node per tier (a box), one per external zone (a stadium), `-->` for allowed
 * flows, `-.->` (red) for logged denies.
 */
export function toMermaid(model: GraphModel): string {
  const ids = mermaidIds(model.nodes.map((n) => n.name), new Set(model.nodes.filter((n) => n.kind === 'external').map((n) => n.name)));
  const id = (name: string): string => {
    const v = ids.get(name);
    if (v === undefined) throw new Error(`graph edge names unknown tier '${name}'`); // a bug in buildGraph
    return v;
  };
  const lines = ['flowchart LR'];
  for (const n of model.nodes) {
    const [open, close] = n.kind === 'external' ? ['(["', '"])'] : ['["', '"]'];
    lines.push(`  ${id(n.name)}${open}${n.label.map(mermaidText).join('<br/>')}${close}`);
  }
  const denied: number[] = [];
  for (const [i, e] of model.edges.entries()) {
    const arrow = e.kind === 'allow' ? '-->' : '-.->';
    if (e.kind === 'deny-logged') denied.push(i);
    lines.push(`  ${id(e.src)} ${arrow}|"${mermaidText(e.label)}"| ${id(e.dst)}`);
  }
  const isolated = model.nodes.filter((n) => n.isolated);
  if (isolated.length > 0) {
    lines.push('  classDef isolated stroke-dasharray: 5 5');
    lines.push(`  class ${isolated.map((n) => id(n.name)).join(',')} isolated`);
  }
  // linkStyle addresses edges by their 0-based position in the source.
  if (denied.length > 0) lines.push(`  linkStyle ${denied.join(',')} stroke:#c62828,color:#c62828`);
  return lines.join('\n') + '\n';
}
