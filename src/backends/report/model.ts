// backends/report: every decision about REPORT.md, pure. Input: Policy (+ the evaluator's decided
// classes). Output: ReportModel, Markdown fragments ready for templates/report/REPORT.md.hbs.
import { decideAllClasses, type DecidedClass } from '../../eval/flow-classes.js';
import type { Policy, Rule, Tier } from '../../ir/types.js';
import { buildGraph, classesByPair } from '../../graph/model.js';
import { toMermaid } from '../../graph/mermaid.js';
import { serviceSetOf, summarizeSet } from '../../graph/service-set.js';
import { mdTable, mdText } from './markdown.js';

/** What a matrix cell shows for "nothing allowed". */
export const NOTHING = '—';

export interface ReportModel {
  readonly title: string;
  readonly defaultAction: string;
  readonly tiersTable: string;
  readonly matrixTable: string;
  /** Empty string when nothing is denied with logging (the template then says so). */
  readonly loggedDeniesTable: string;
  readonly publishedTable: string;
  readonly mermaid: string;
}

/**
 * The matrix cell for traffic from `src` to `dst`, from that pair's decided classes: inside a
 * tier "same tier" or "isolated"; between tiers the allowed services ("tcp/8080", "all", "—").
 */
export function matrixCell(src: Tier, dst: Tier, pair: readonly DecidedClass[]): string {
  const allowed = serviceSetOf(pair, (c) => c.verdict.action === 'allow');
  if (src.name === dst.name) return summarizeSet(allowed) === '' ? 'isolated' : 'same tier';
  return summarizeSet(allowed) || NOTHING;
}

/** The matrix as rows of plain cells (no Markdown): [source, cell per destination]. */
export function reachabilityMatrix(policy: Policy, classes: readonly DecidedClass[]): string[][] {
  const byPair = classesByPair(classes);
  return policy.tiers.map((a) => [a.name, ...policy.tiers.map((b) => matrixCell(a, b, byPair.get(`${a.name}\n${b.name}`) ?? []))]);
}

/** One row per (source, destination, deciding rule) whose verdict is deny with log. */
export interface LoggedDeny {
  readonly src: string;
  readonly dst: string;
  readonly rule: Rule;
  readonly services: string;
}

/** In the order of `classes` (decideAllClasses: policy tier order), then by rule position. */
export function loggedDenies(classes: readonly DecidedClass[]): LoggedDeny[] {
  const out: LoggedDeny[] = [];
  for (const pair of classesByPair(classes).values()) {
    const rules = new Map<number, Rule>();
    for (const c of pair) {
      const r = c.verdict.reason;
      if (c.verdict.action === 'deny' && c.verdict.log && r.kind === 'rule') rules.set(r.rule.index, r.rule);
    }
    for (const rule of [...rules.values()].sort((x, y) => x.index - y.index)) {
      const set = serviceSetOf(pair, (c) => c.verdict.action === 'deny' && c.verdict.log && c.verdict.reason.kind === 'rule' && c.verdict.reason.rule.index === rule.index);
      out.push({ src: pair[0]!.src, dst: pair[0]!.dst, rule, services: summarizeSet(set) });
    }
  }
  return out;
}

function ruleRef(rule: Rule): string {
  return `rule ${rule.index + 1} (line ${rule.origin.line})`;
}

/** Builds the report model; `classes` defaults to decideAllClasses(policy), the evaluator's answer. */
export function reportModel(policy: Policy, classes: readonly DecidedClass[] = decideAllClasses(policy)): ReportModel {
  const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
  const servicesIn = (t: Tier): string => policy.services.filter((s) => s.tiers.includes(t.name)).map((s) => mdText(s.name)).join(', ') || NOTHING;
  const tiersTable = mdTable(
    ['Tier', 'Subnet', 'Gateway', 'Bridge', 'Isolated', 'Services'],
    policy.tiers.map((t) => [`**${mdText(t.name)}**`, mdText(t.subnet.text), mdText(t.gateway), mdText(t.bridge), yesNo(t.isolated), servicesIn(t)]),
  );
  const matrixTable = mdTable(
    ['From ↓ To →', ...policy.tiers.map((t) => `**${mdText(t.name)}**`)],
    reachabilityMatrix(policy, classes).map(([src, ...cells]) => [`**${mdText(src!)}**`, ...cells.map(mdText)]),
  );
  const denies = loggedDenies(classes);
  const loggedDeniesTable =
    denies.length === 0 ? '' : mdTable(['From', 'To', 'Traffic', 'Decided by'], denies.map((d) => [mdText(d.src), mdText(d.dst), mdText(d.services), ruleRef(d.rule)]));
  const published = policy.services.flatMap((s) => s.publish.map((p) => ({ s, p })));
  const publishedTable =
    published.length === 0
      ? ''
      : mdTable(
          ['Service', 'Host address', 'Host port', 'Container port', 'Tiers'],
          published.map(({ s, p }) => [
            mdText(s.name),
            mdText(p.hostAddress) + (p.hostAddress === '0.0.0.0' ? ' (all host addresses)' : ''),
            `${p.proto}/${p.hostPort}`,
            `${p.proto}/${p.containerPort}`,
            s.tiers.map(mdText).join(', '),
          ]),
        );
  return {
    title: mdText(policy.name),
    defaultAction: policy.defaultAction,
    tiersTable,
    matrixTable,
    loggedDeniesTable,
    publishedTable,
    mermaid: toMermaid(buildGraph(policy, classes, { deniedLogged: true })).trimEnd(),
  };
}
