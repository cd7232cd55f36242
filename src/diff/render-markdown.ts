// diff: the pull-request comment. Input: DiffResult + labels. Output: GitHub-flavoured markdown, a
// summary line, then one table of flow changes (newly allowed first, marked), then tiers, nets and services.
import type { DiffLabels, DiffResult, FlowChangeKind } from './types.js';
import { decisionText, netDetails, serviceDetails, serviceText, summaryText, tierDetails } from './describe.js';

const WARN = '⚠️';
const KIND_LABEL: Record<FlowChangeKind, string> = {
  'newly-allowed': `${WARN} newly allowed`,
  'newly-denied': 'newly denied',
  'log-changed': 'log changed',
};

/**
 * A code span that survives any value: a fence longer than the longest backtick run inside, and
 * `|` escaped because GitHub splits table cells on it even inside code spans.
 */
export function mdCode(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)];
}

function marked(text: string, widens: boolean): string {
  return widens ? `${WARN} ${text}` : text;
}

export function renderMarkdown(result: DiffResult, labels: DiffLabels): string {
  const s = result.summary;
  const out: string[] = [`### tierwall diff ${mdCode(labels.old)} → ${mdCode(labels.new)}`, ''];
  if (!s.changed) return `${[...out, `**Summary:** ${summaryText(s)}.`].join('\n')}\n`;
  out.push(s.widens ? `**Summary:** ${WARN} **widens access**: ${summaryText(s)}.` : `**Summary:** ${summaryText(s)}.`);
  if (result.flows.length > 0) {
    // diffPolicies already orders the flows: newly allowed, newly denied, log changes.
    const rows = result.flows.map((f) => [
      KIND_LABEL[f.change], `${f.src} → ${f.dst}`, mdCode(serviceText(f)), decisionText(f.old, mdCode), decisionText(f.new, mdCode),
    ]);
    out.push('', ...table(['Change', 'Flow', 'Service', 'Old', 'New'], rows));
  }
  if (result.tiers.length > 0) {
    const rows = result.tiers.map((t) => [marked(t.change, t.widens), mdCode(t.name), tierDetails(t, mdCode)]);
    out.push('', '#### Tiers', '', ...table(['Change', 'Tier', 'Details'], rows));
  }
  if (result.nets.length > 0) {
    const rows = result.nets.map((n) => [marked(n.change, n.widens), mdCode(n.name), netDetails(n, mdCode)]);
    out.push('', '#### Nets', '', ...table(['Change', 'Net', 'Details'], rows));
  }
  if (result.services.length > 0) {
    const rows = result.services.map((v) => [marked(v.change, v.widens), mdCode(v.name), serviceDetails(v, mdCode)]);
    out.push('', '#### Services', '', ...table(['Change', 'Service', 'Details'], rows));
  }
  return `${out.join('\n')}\n`;
}
