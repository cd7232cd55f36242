// diff: the terminal rendering. Input: DiffResult + labels. Output: aligned plain text, newly allowed
// flows first; deterministic, ASCII, '\n', trailing newline.
import type { DiffLabels, DiffResult, FlowChange, FlowChangeKind } from './types.js';
import { decisionText, netDetails, serviceDetails, serviceText, summaryText, tierDetails } from './describe.js';

const SECTIONS: readonly { kind: FlowChangeKind; title: string }[] = [
  { kind: 'newly-allowed', title: 'newly allowed' },
  { kind: 'newly-denied', title: 'newly denied' },
  { kind: 'log-changed', title: 'log changes' },
];

/** Pads every column but the last to the widest cell, so a section reads as a table. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function flowRows(flows: readonly FlowChange[]): string[][] {
  return flows.map((f) => [`${f.src} -> ${f.dst}`, serviceText(f), decisionText(f.old), '->', decisionText(f.new)]);
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

export function renderText(result: DiffResult, labels: DiffLabels): string {
  const out: string[] = [`tierwall diff ${labels.old} -> ${labels.new}`];
  const s = result.summary;
  out.push(s.widens ? `${summaryText(s)} (widens access)` : summaryText(s));
  for (const { kind, title } of SECTIONS) {
    const flows = result.flows.filter((f) => f.change === kind);
    if (flows.length === 0) continue;
    out.push('', `${title}:`, ...table(flowRows(flows)).map((l) => `  ${l}`));
  }
  if (result.tiers.length > 0) {
    const rows = result.tiers.map((t) => [`${MARK[t.change]} ${t.name}`, `${t.change}${t.widens ? ' (widens)' : ''}`, tierDetails(t)]);
    out.push('', 'tier changes:', ...table(rows).map((l) => `  ${l}`));
  }
  if (result.nets.length > 0) {
    const rows = result.nets.map((n) => [`${MARK[n.change]} ${n.name}`, `${n.change}${n.widens ? ' (widens)' : ''}`, netDetails(n)]);
    out.push('', 'net changes:', ...table(rows).map((l) => `  ${l}`));
  }
  if (result.services.length > 0) {
    const rows = result.services.map((v) => [`${MARK[v.change]} ${v.name}`, `${v.change}${v.widens ? ' (widens)' : ''}`, serviceDetails(v)]);
    out.push('', 'service changes:', ...table(rows).map((l) => `  ${l}`));
  }
  return `${out.join('\n')}\n`;
}
