// backends/report: every decision about REPORT.md, pure. Input: Policy (+ the evaluator's decided
// classes). Output: ReportModel, Markdown fragments ready for templates/report/REPORT.md.hbs.
import { decideAllClasses, type DecidedClass } from '../../eval/flow-classes.js';
import { groupSummaries, type GroupSummary } from '../shared/group-summaries.js';
import type { Policy, Rule, Tier } from '../../ir/types.js';
import { buildGraph, classesByPair } from '../../graph/model.js';
import { toMermaid } from '../../graph/mermaid.js';
import { serviceSetOf, summarizeSet } from '../../graph/service-set.js';
import { mdTable, mdText } from './markdown.js';
import { edgeSection } from './edge.js';

/** What a matrix cell shows for "nothing allowed". */
export const NOTHING = '—';

/**
 * Above this many tiers a tiers x tiers matrix is unreadable (and tiers^2 to build): the report
 * lists, per source, the destinations its rules name and one line for all the other tiers, and
 * draws no diagram.
 */
export const MATRIX_MAX_TIERS = 50;

export interface ReportModel {
  readonly title: string;
  readonly defaultAction: string;
  /** How to read matrixTable: a tiers x tiers matrix, or the per-source listing of large policies. */
  readonly reachabilityIntro: string;
  readonly tiersTable: string;
  readonly matrixTable: string;
  /** Empty string when the policy has more tiers than a diagram can show (the template says so). */
  readonly mermaidOmitted: string;
  /** Empty string when nothing is denied with logging (the template then says so). */
  readonly loggedDeniesTable: string;
  readonly publishedTable: string;
  readonly mermaid: string;
  /** The host's edge (edge.ts): nets, outside -> tiers, tiers -> outside. */
  readonly netsTable: string;
  readonly zonesIntro: string;
  readonly ingressTable: string;
  readonly egressTable: string;
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

/** The label of a destination group: the tier, or "every other tier (N)" for the unnamed group. */
function groupLabel(g: GroupSummary): string {
  return g.unnamed ? `every other tier (${g.dsts.length})` : g.dsts[0]!;
}

/**
 * The per-source listing of a large policy, as rows of plain cells: [source, destination, cell], in
 * `groups`' order (listingOrder). A cell is matrixCell's for every destination the group stands for.
 */
export function reachabilityListing(groups: readonly GroupSummary[]): string[][] {
  return groups.map((g) => [g.src, groupLabel(g), g.src === g.dsts[0] ? (g.allowed === '' ? 'isolated' : 'same tier') : g.allowed || NOTHING]);
}

/** Groups per source as decideGroupedClasses gives them (contiguous), the unnamed one moved last. */
export function listingOrder<G extends { readonly src: string; readonly unnamed: boolean }>(groups: readonly G[]): G[] {
  const out: G[] = [];
  let unnamed: G | undefined;
  groups.forEach((g, k) => {
    if (g.unnamed) unnamed = g;
    else out.push(g);
    if (unnamed && groups[k + 1]?.src !== g.src) {
      out.push(unnamed);
      unnamed = undefined;
    }
  });
  return out;
}

/** loggedDenies over destination groups (in `groups`' order): the unnamed group is one row per deciding rule. */
export function loggedDeniesGrouped(groups: readonly GroupSummary[]): LoggedDeny[] {
  const out: LoggedDeny[] = [];
  for (const g of groups) for (const d of g.loggedDenies) out.push({ src: g.src, dst: groupLabel(g), rule: d.rule, services: d.services });
  return out;
}

function ruleRef(rule: Rule): string {
  return `rule ${rule.index + 1} (line ${rule.origin.line})`;
}

/**
 * Builds the report model; `classes` defaults to decideAllClasses(policy), the evaluator's answer.
 * Policies with more than MATRIX_MAX_TIERS tiers use the grouped classes instead (never tiers^2).
 */
export function reportModel(policy: Policy, given?: readonly DecidedClass[]): ReportModel {
  const large = given === undefined && policy.tiers.length > MATRIX_MAX_TIERS;
  const groups = large ? listingOrder(groupSummaries(policy)) : [];
  const classes = large ? [] : given ?? decideAllClasses(policy);
  const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
  // Tier -> service names in one pass (a filter per tier would be tiers x services).
  const servicesOf = new Map<string, string[]>();
  for (const s of policy.services) for (const t of s.tiers) (servicesOf.get(t) ?? servicesOf.set(t, []).get(t)!).push(mdText(s.name));
  const servicesIn = (t: Tier): string => servicesOf.get(t.name)?.join(', ') || NOTHING;
  const tiersTable = mdTable(
    ['Tier', 'Subnet', 'Gateway', 'Bridge', 'Isolated', 'Services'],
    policy.tiers.map((t) => [`**${mdText(t.name)}**`, mdText(t.subnet.text), mdText(t.gateway), mdText(t.bridge), yesNo(t.isolated), servicesIn(t)]),
  );
  const matrixTable = large
    ? mdTable(['From', 'To', 'Allowed'], reachabilityListing(groups).map(([src, dst, cell]) => [`**${mdText(src!)}**`, mdText(dst!), mdText(cell!)]))
    : mdTable(
        ['From ↓ To →', ...policy.tiers.map((t) => `**${mdText(t.name)}**`)],
        reachabilityMatrix(policy, classes).map(([src, ...cells]) => [`**${mdText(src!)}**`, ...cells.map(mdText)]),
      );
  const reachabilityIntro = large
    ? `With ${policy.tiers.length} tiers a matrix would be unreadable: per source, its own tier, each destination its rules name, then\nevery other tier at once (only rules to \`any\` and the default decide those). A cell lists the traffic the\npolicy allows (— for none); \`other\` is any IP protocol but tcp, udp and icmp.`
    : 'Rows are sources, columns destinations. A cell lists the traffic the policy allows (— for none);\n`other` is any IP protocol but tcp, udp and icmp.';
  const edge = edgeSection(policy);
  const denies = [...(large ? loggedDeniesGrouped(groups) : loggedDenies(classes)), ...edge.denies];
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
    reachabilityIntro,
    tiersTable,
    matrixTable,
    loggedDeniesTable,
    publishedTable,
    mermaid: large ? '' : toMermaid(buildGraph(policy, classes, { deniedLogged: true })).trimEnd(),
    netsTable: edge.netsTable,
    zonesIntro: edge.zonesIntro,
    ingressTable: edge.ingressTable,
    egressTable: edge.egressTable,
    mermaidOmitted: large ? `None: ${policy.tiers.length} tiers are more than a diagram can show (at most ${MATRIX_MAX_TIERS}).` : '',
  };
}
