// checks/anomalies: runs first-match over the whole flow space without expanding it per tier pair.
// Input: Policy. Output: Facts per rule (see rule-facts.ts), the input of classify.ts.
import type { Policy } from '../../ir/types.js';
import { Collector, verdictCode } from './collector.js';
import { FullLayer } from './full-layer.js';
import { buildLayout, cellIndex, cellPoints, rowColContacts, type Layout } from './layout.js';
import { fullRegion, lineRegion, maxCover, partnerOfCol, partnerOfRow, type Across } from './realize.js';
import { buildShapes, realPair, type Shapes } from './shapes.js';
import { Sweeper } from './sweep.js';
import { collectFacts, type Facts } from './rule-facts.js';
import { subtractIntervals } from '../../ir/ports.js';

/*
 * The flow space is (source tier, destination tier, axis point). By their tier sets the rules
 * are full (any -> any), row (S -> any), column (any -> D) or cell (S -> D). Every flow falls in
 * exactly one of these sweeps, and all flows of one sweep meet the same rules:
 *   - full: no row, column or cell rule matches the flow;            rules: full layer
 *   - row A: only row A's rules (and full ones) match;                rules: row A + full
 *   - column B: only column B's rules (and full ones) match;          rules: column B + full
 *   - cell (A, B): a cell rule matches, or row A and column B both do; rules: all four kinds.
 * So the work is one sweep per row, per column and per cell that has cell rules or where a row
 * meets a column, each over its own few rules; the full layer is shared by segment. Cost:
 * O(R log R + sum of the cells' sizes), never tiers^2 unless row and column rules really meet
 * on every pair. A shared sweep speaks only where a real pair stands behind it (realize.ts).
 */
export function analyzeRules(policy: Policy): { shapes: Shapes; facts: Facts } {
  const sh = buildShapes(policy);
  const lay = buildLayout(sh);
  const layer = new FullLayer(lay.full, sh.points);
  const verdicts = Uint8Array.from(policy.rules, (r) => verdictCode(r.action, r.log));
  const col = new Collector(verdicts, verdictCode(policy.defaultAction, false), layer.segments);
  const sw = new Sweeper(sh.points, sh.shape, layer, col);

  sw.fullOnly(fullRegion(sh, lay));

  const cellsOf = (a: number, b: number) => cellPoints(sh, lay, cellIndex(lay, a * sh.nD + b));
  const rowsAcross: Across = { lines: lay.cols, points: lay.colPoints, free: lay.cols.filter((l) => l.length === 0).length, maxCover: maxCover(lay.colPoints) };
  const colsAcross: Across = { lines: lay.rows, points: lay.rowPoints, free: lay.rows.filter((l) => l.length === 0).length, maxCover: maxCover(lay.rowPoints) };
  // Which rows and columns had their own sweep speak for all of their points (see sweep.ts).
  const rowWhole = new Uint8Array(sh.nS);
  const colWhole = new Uint8Array(sh.nD);
  lay.rows.forEach((rules, a) => {
    if (rules.length === 0) return;
    const own = lay.rowPoints[a]!;
    const where = lineRegion(own, rowsAcross, partnerOfRow(sh, a), lay.rowCells[a]!, (b) => cellsOf(a, b));
    rowWhole[a] = where === own ? 1 : 0;
    sw.rules(rules).exclude(where === own ? [] : subtractIntervals(own, where)).run('line');
  });
  lay.cols.forEach((rules, b) => {
    if (rules.length === 0) return;
    const own = lay.colPoints[b]!;
    const where = lineRegion(own, colsAcross, partnerOfCol(sh, b), lay.colCells[b]!, (a) => cellsOf(a, b));
    colWhole[b] = where === own ? 1 : 0;
    sw.rules(rules).exclude(where === own ? [] : subtractIntervals(own, where)).run('line');
  });

  sweepCells(sh, lay, sw, rowWhole, colWhole);
  return { shapes: sh, facts: collectFacts(sh, layer, col) };
}

/** Cells: those with cell rules plus those where a row meets a column, each once, in key order. */
function sweepCells(sh: Shapes, lay: Layout, sw: Sweeper, rowWhole: Uint8Array, colWhole: Uint8Array): void {
  const contacts = Float64Array.from(rowColContacts(lay, sh.nD)).sort();
  const p = sh.points;
  let c = 0;
  let i = 0;
  while (c < lay.cellKeys.length || i < contacts.length) {
    const key = Math.min(c < lay.cellKeys.length ? lay.cellKeys[c]! : Infinity, i < contacts.length ? contacts[i]! : Infinity);
    const a = Math.floor(key / sh.nD);
    const b = key - a * sh.nD;
    const hasCell = c < lay.cellKeys.length && lay.cellKeys[c] === key;
    const contact = i < contacts.length && contacts[i] === key;
    if (realPair(sh, a, b)) {
      if (contact) sw.rules(lay.rows[a]!).rules(lay.cols[b]!);
      if (hasCell) {
        const from = lay.cellStart[c]!;
        const to = lay.cellStart[c + 1]!;
        sw.rules(lay.cellRules, from, to);
        if (!contact) {
          // The row's and column's rules matter only where they meet the cell rules.
          let lo = Infinity;
          let hi = -1;
          for (let k = from; k < to; k++) {
            const r = lay.cellRules[k]!;
            lo = Math.min(lo, p.lo[p.start[r]!]!);
            hi = Math.max(hi, p.hi[p.start[r + 1]! - 1]!);
          }
          sw.rulesNear(lay.rows[a]!, lo, hi).rulesNear(lay.cols[b]!, lo, hi);
        }
      }
      sw.run('cell', rowWhole[a]! | (colWhole[b]! << 1));
    }
    if (hasCell) c++;
    while (i < contacts.length && contacts[i] === key) i++;
  }
}
