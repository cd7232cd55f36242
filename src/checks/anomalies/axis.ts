// checks/anomalies: the flow space of one tier pair as a single integer axis, so that a rule's
// services become a short list of intervals: tcp ports, then udp ports, then icmp, then `other`.
import { mergeIntervals, type Interval } from '../../ir/ports.js';
import type { Rule } from '../../ir/types.js';

export const UDP0 = 65535; // tcp port p sits at p - 1, udp port p at UDP0 + p - 1
export const ICMP = 131070;
export const OTHER = 131071; // protocols other than tcp/udp/icmp: only all-traffic rules match them
export const AXIS = 131072;

/** The axis intervals a rule matches, merged and sorted (empty if it matches nothing). */
export function rulePoints(rule: Rule): Interval[] {
  if (rule.allTraffic) return [{ lo: 0, hi: AXIS - 1 }];
  const out: Interval[] = [];
  for (const s of rule.services) {
    if (s.proto === 'icmp') out.push({ lo: ICMP, hi: ICMP });
    else if (s.lo <= s.hi) {
      const base = s.proto === 'tcp' ? 0 : UDP0;
      out.push({ lo: base + Math.max(s.lo, 1) - 1, hi: base + Math.min(s.hi, 65535) - 1 });
    }
  }
  return out.length < 2 ? out : mergeIntervals(out);
}

/**
 * Every rule's axis intervals in three flat arrays (rule r: entries start[r] .. start[r+1]):
 * 100,000 rules as a few typed arrays, not 200,000 small objects for the GC to copy.
 */
export interface RulePoints {
  readonly start: Int32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

export class RulePointsBuilder {
  private readonly start: Int32Array;
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];

  constructor(rules: number) {
    this.start = new Int32Array(rules + 1);
  }

  add(r: number, rule: Rule): void {
    const { lo, hi } = this;
    const m = rule.services.length === 1 ? rule.services[0]! : undefined;
    if (rule.allTraffic) lo.push(0), hi.push(AXIS - 1);
    else if (m && m.proto !== 'icmp') {
      // The common case, without temporary objects.
      const base = m.proto === 'tcp' ? 0 : UDP0;
      if (m.lo <= m.hi) lo.push(base + Math.max(m.lo, 1) - 1), hi.push(base + Math.min(m.hi, 65535) - 1);
    } else for (const iv of rulePoints(rule)) lo.push(iv.lo), hi.push(iv.hi);
    this.start[r + 1] = lo.length;
  }

  done(): RulePoints {
    return { start: this.start, lo: Int32Array.from(this.lo), hi: Int32Array.from(this.hi) };
  }
}

/** One rule's intervals as objects, for the cold paths. */
export function pointsOf(p: RulePoints, r: number): Interval[] {
  const out: Interval[] = [];
  for (let i = p.start[r]!; i < p.start[r + 1]!; i++) out.push({ lo: p.lo[i]!, hi: p.hi[i]! });
  return out;
}

/** Is a ⊆ b? Both merged and sorted. */
export function within(a: readonly Interval[], b: readonly Interval[]): boolean {
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]!.hi < x.lo) j++;
    const y = b[j];
    if (!y || y.lo > x.lo || y.hi < x.hi) return false;
  }
  return true;
}

export const union = (a: readonly Interval[], b: readonly Interval[]): Interval[] =>
  a.length === 0 ? [...b] : b.length === 0 ? [...a] : mergeIntervals([...a, ...b]);
