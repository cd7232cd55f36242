// backends/report: the report's section on the host's edge, pure. Input: Policy (+ the evaluator's
// classes between tiers and external zones, eval/flow-classes.ts decideExternalClasses). Output:
// Markdown tables: the nets, what each external zone may reach per tier, what each tier may reach
// per zone, and the logged denies among them (rows for the logged-denies table).
import { decideExternalClasses, type DecidedClass } from '../../eval/flow-classes.js';
import { zonesOf } from '../../eval/zones.js';
import type { Policy } from '../../ir/types.js';
import { classesByPair } from '../../graph/model.js';
import { serviceSetOf, summarizeSet } from '../../graph/service-set.js';
import { mdTable, mdText } from './markdown.js';
import { loggedDenies, NOTHING, type LoggedDeny } from './model.js';

export interface EdgeSection {
  /** Empty when the policy declares no net. */
  readonly netsTable: string;
  readonly zonesIntro: string;
  readonly ingressTable: string;
  readonly egressTable: string;
  readonly denies: readonly LoggedDeny[];
}

const allowedCell = (pair: readonly DecidedClass[]): string => summarizeSet(serviceSetOf(pair, (c) => c.verdict.action === 'allow')) || NOTHING;

/**
 * Rows [from, to, allowed] of one direction, per zone: the tiers some rule names with that zone,
 * in tier order, then one row for every other tier (only the default decides those), like the
 * per-source listing of large policies. Linear in zones x tiers, whatever the number of tiers.
 */
function rows(policy: Policy, byPair: Map<string, DecidedClass[]>, inbound: boolean): string[][] {
  const out: string[][] = [];
  for (const z of zonesOf(policy).external) {
    let others = 0;
    let otherCell = '';
    for (const t of policy.tiers) {
      const pair = byPair.get(inbound ? `${z.name}\n${t.name}` : `${t.name}\n${z.name}`) ?? [];
      const named = pair.some((c) => c.verdict.reason.kind === 'rule');
      if (named) {
        out.push(inbound ? [z.name, t.name, allowedCell(pair)] : [t.name, z.name, allowedCell(pair)]);
        continue;
      }
      others++;
      otherCell = allowedCell(pair);
    }
    if (others === 0) continue;
    const rest = others === policy.tiers.length ? `every tier (${others})` : `every other tier (${others})`;
    out.push(inbound ? [z.name, rest, otherCell] : [rest, z.name, otherCell]);
  }
  return out;
}

export function edgeSection(policy: Policy): EdgeSection {
  const classes = decideExternalClasses(policy);
  const byPair = classesByPair(classes);
  const table = (r: string[][]): string => mdTable(['From', 'To', 'Allowed'], r.map(([a, b, c]) => [`**${mdText(a!)}**`, mdText(b!), mdText(c!)]));
  const netsTable = policy.nets.length === 0 ? '' : mdTable(['Net', 'Ranges'], policy.nets.map((n) => [`**${mdText(n.name)}**`, n.cidrs.map((c) => c.text).join(', ')]));
  const zones = zonesOf(policy).external;
  const zonesIntro =
    policy.nets.length === 0
      ? 'The policy declares no net: every address outside the tiers is `world`.'
      : 'Addresses outside the tiers are grouped by the nets holding them (`a+b`: in both nets; `world`: in none): ' +
        zones.map((z) => `\`${z.name}\``).join(', ') + '.';
  return {
    netsTable,
    zonesIntro,
    ingressTable: table(rows(policy, byPair, true)),
    egressTable: table(rows(policy, byPair, false)),
    denies: loggedDenies(classes),
  };
}
