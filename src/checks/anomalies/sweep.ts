// checks/anomalies: first-match along the axis for one row, column or cell of the pair space.
// Input: the cell's non-full rules, the full layer. Output: observations into a Collector.
import type { Interval } from '../../ir/ports.js';
import type { RulePoints } from './axis.js';
import type { Collector } from './collector.js';
import type { FullLayer } from './full-layer.js';
import { AXIS } from './axis.js';
import { sortPrefix } from '../../ir/sort-prefix.js';

/*
 * The axis is cut at every boundary of the cell's rules and of the full layer's segments; on
 * each piece the matching rules are fixed: the active non-full rules (kept sorted; a cell has
 * few) and the segment's full rules, of which only the first two can matter. The first match
 * decides; the next one would decide without it; every other matching rule is covered by the
 * first. Full rules covered by the first are not listed here (a segment has many): the segment
 * records that its first full rule decided something (realizedA) or which non-full rule beat
 * them all (foreign), and rule-facts.ts expands that once per full rule.
 *
 * A cell's row rules were already swept with the full layer in their row's own sweep, and where
 * that sweep spoke for all of the row's points (`skip` has the row bit), the cell cannot
 * teach anything new about which full rule covers a row rule, or which row rule beats the full
 * layer: those observations are skipped (likewise for columns). Without this, a row and a column
 * both without services would walk every segment of the layer once per pair of them.
 *
 * Better still, a piece where only such row and column rules are active teaches only how the
 * two lines meet: the earliest active rule covers the others wherever it beats the full layer.
 * Once that rule is known to change some verdict, `bulk` settles the piece with one range-max
 * query instead of a walk over its segments.
 *
 * This runs once per cell, up to hundreds of thousands of times: events are packed into one
 * reused Float64Array ((position * 2 + start) * 2^31 + rule) and sorted numerically, and
 * nothing is allocated per cell.
 */

const R = 2 ** 31;
const EXCLUDE = R - 1; // pseudo-rule marking a region the sweep must skip

/** Which pieces of the axis a sweep speaks for (see analyze.ts). */
export type Mode = 'line' | 'cell';

export class Sweeper {
  private events = new Float64Array(256);
  private n = 0;
  private readonly active: number[] = [];
  private readonly kind: Uint8Array; // shape & 7: 1 row, 2 column, 4 cell
  private skip = 0; // kinds whose full-layer observations this run may skip

  constructor(
    private readonly points: RulePoints,
    shape: Uint8Array,
    private readonly layer: FullLayer,
    private readonly col: Collector,
  ) {
    this.kind = shape.map((s) => s & 7);
  }

  private add(lo: number, hi: number, rule: number): void {
    if (this.n + 2 > this.events.length) {
      const next = new Float64Array(this.events.length * 2);
      next.set(this.events);
      this.events = next;
    }
    this.events[this.n++] = (lo * 2 + 1) * R + rule;
    this.events[this.n++] = (hi + 1) * 2 * R + rule;
  }

  private addRule(r: number): void {
    const p = this.points;
    for (let j = p.start[r]!; j < p.start[r + 1]!; j++) this.add(p.lo[j]!, p.hi[j]!, r);
  }

  /** Adds a list of rules (any ArrayLike, so cell rules can stay in their Int32Array). */
  rules(list: ArrayLike<number>, from = 0, to = list.length): this {
    for (let i = from; i < to; i++) this.addRule(list[i]!);
    return this;
  }

  /** Adds the rules of a list whose intervals reach into [lo, hi] (by their hull). */
  rulesNear(list: readonly number[], lo: number, hi: number): this {
    const p = this.points;
    for (const r of list) {
      if (p.lo[p.start[r]!]! <= hi && p.hi[p.start[r + 1]! - 1]! >= lo) this.addRule(r);
    }
    return this;
  }

  /** Marks axis intervals where this sweep must not speak (another sweep or no real pair does). */
  exclude(ivs: readonly Interval[]): this {
    for (const iv of ivs) this.add(iv.lo, iv.hi, EXCLUDE);
    return this;
  }

  /**
   * Runs the sweep and resets. 'line': every piece with an active rule; 'cell': pieces where a
   * cell rule is active, or a row rule and a column rule both are. `skip`: kinds (1 row, 2 column)
   * whose line sweep spoke for all of its points.
   */
  run(mode: Mode, skip = 0): void {
    this.skip = skip;
    const ev = this.events;
    sortPrefix(ev, this.n);
    const active = this.active;
    let excluded = 0;
    let rows = 0;
    let cols = 0;
    let cells = 0;
    let i = 0;
    while (i < this.n) {
      const p = Math.floor(ev[i]! / R / 2);
      while (i < this.n && Math.floor(ev[i]! / R / 2) === p) {
        const v = ev[i++]!;
        const rule = v % R;
        const start = Math.floor(v / R) % 2 === 1;
        const d = start ? 1 : -1;
        if (rule === EXCLUDE) {
          excluded += d;
          continue;
        }
        const k = this.kind[rule]!;
        if (k === 1) rows += d;
        else if (k === 2) cols += d;
        else cells += d;
        if (start) {
          let j = active.length;
          active.push(rule);
          while (j > 0 && active[j - 1]! > rule) {
            active[j] = active[j - 1]!;
            j--;
          }
          active[j] = rule;
        } else {
          let j = active.indexOf(rule);
          for (; j + 1 < active.length; j++) active[j] = active[j + 1]!;
          active.length--;
        }
      }
      const end = (i < this.n ? Math.floor(ev[i]! / R / 2) : AXIS) - 1;
      const speaks = mode === 'line' ? active.length > 0 : cells > 0 || (rows > 0 && cols > 0);
      if (speaks && excluded === 0) {
        if (mode === 'cell' && cells === 0 && (skip & 3) === 3 && this.col.changes[active[0]!]) this.bulk(p, end);
        else this.walk(p, end);
      }
    }
    this.n = 0;
    active.length = 0;
  }

  /** The full layer alone over the given intervals (the sweep for pairs without other rules). */
  fullOnly(ivs: readonly Interval[]): void {
    for (const iv of ivs) this.walk(iv.lo, iv.hi);
  }

  /** See the header: the earliest active rule beats the full layer somewhere in [lo, hi]? */
  private bulk(lo: number, hi: number): void {
    const { active, layer } = this;
    const e1 = active[0]!;
    if (!layer.someAfter(layer.segOf(lo), layer.segOf(hi), e1)) return;
    for (let j = 1; j < active.length; j++) this.col.cover(active[j]!, e1);
  }

  private walk(lo: number, hi: number): void {
    const { layer } = this;
    let seg = layer.segOf(lo);
    while (seg < layer.segments && layer.starts[seg]! <= hi) {
      this.contribute(seg);
      // Segments no full rule matches all behave alike: one stands for the run.
      seg = layer.a[seg]! < 0 ? layer.nextCovered[seg]! : seg + 1;
    }
  }

  private contribute(seg: number): void {
    const { active, layer, col } = this;
    const a = layer.a[seg]!;
    const e1 = active.length > 0 ? active[0]! : -1;
    if (e1 < 0 && a < 0) return; // the default decides
    if (e1 < 0 || (a >= 0 && a < e1)) {
      const a2 = layer.a2[seg]!;
      col.decide(a, e1 < 0 ? a2 : a2 < 0 ? e1 : Math.min(a2, e1));
      col.realizedA[seg] = 1;
      for (const e of active) if ((this.kind[e]! & this.skip) === 0) col.cover(e, a);
    } else {
      const e2 = active.length > 1 ? active[1]! : -1;
      col.decide(e1, a < 0 ? e2 : e2 < 0 ? a : Math.min(a, e2));
      for (let j = 1; j < active.length; j++) col.cover(active[j]!, e1);
      if (a >= 0 && (this.kind[e1]! & this.skip) === 0) col.foreign(seg, e1);
    }
  }
}
