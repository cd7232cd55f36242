// checks/anomalies: what the sweeps observe, per rule: does it decide some flow, would removing it
// change a verdict, which earlier rules decide its other flows, which rules would replace it.
import { IntList } from './int-list.js';

/** Verdict code: 2 for allow, plus 1 for log. The default never logs. */
export const verdictCode = (action: 'allow' | 'deny', log: boolean): number => (action === 'allow' ? 2 : 0) + (log ? 1 : 0);

export class Collector {
  readonly decides: Uint8Array;
  readonly changes: Uint8Array;
  /** (rule, earlier rule that decides a flow the rule matches). */
  readonly coverRule = new IntList();
  readonly coverBy = new IntList();
  /** (rule, what decides its flow once it is removed: a later rule or -1 for the default), same verdict only. */
  readonly nextRule = new IntList();
  readonly nextBy = new IntList();
  /** Per full-layer segment: some flow there is decided by its first full rule. */
  readonly realizedA: Uint8Array;
  /** (segment, non-full rule deciding flows there ahead of every full rule). */
  readonly foreignSeg = new IntList();
  readonly foreignBy = new IntList();
  // Consecutive repeats are dropped at the source; the rest are deduplicated when grouped.
  private readonly lastForeign: Int32Array;
  private readonly lastCover: Int32Array;
  private readonly lastNext: Int32Array;

  constructor(
    readonly verdict: Uint8Array,
    readonly defaultVerdict: number,
    segments: number,
  ) {
    const n = verdict.length;
    this.decides = new Uint8Array(n);
    this.changes = new Uint8Array(n);
    this.lastCover = new Int32Array(n).fill(-2);
    this.lastNext = new Int32Array(n).fill(-2);
    this.realizedA = new Uint8Array(segments);
    this.lastForeign = new Int32Array(segments).fill(-2);
  }

  /** `rule` decides a flow; `next` (or -1: the default) would decide it without the rule. */
  decide(rule: number, next: number): void {
    this.decides[rule] = 1;
    if (this.changes[rule]) return;
    const v = next < 0 ? this.defaultVerdict : this.verdict[next]!;
    if (v !== this.verdict[rule]) this.changes[rule] = 1;
    else if (this.lastNext[rule] !== next) {
      this.lastNext[rule] = next;
      this.nextRule.push(rule);
      this.nextBy.push(next);
    }
  }

  cover(rule: number, by: number): void {
    if (this.lastCover[rule] === by) return;
    this.lastCover[rule] = by;
    this.coverRule.push(rule);
    this.coverBy.push(by);
  }

  foreign(seg: number, by: number): void {
    if (this.lastForeign[seg] === by) return;
    this.lastForeign[seg] = by;
    this.foreignSeg.push(seg);
    this.foreignBy.push(by);
  }
}
