// graph: the set of services (protocol + merged port intervals) a group of decided flow classes
// covers, and its one-line summary. Input: DecidedClass[] of one tier pair. Output: ServiceSet, text.
import type { DecidedClass } from '../eval/flow-classes.js';
import type { FlowProto } from '../eval/evaluate.js';
import { formatInterval, mergeIntervals, subtractIntervals, PORT_MAX, PORT_MIN, type Interval } from '../ir/ports.js';

/** Services as a set: tcp/udp ports as merged, sorted intervals; icmp and other as flags. */
export interface ServiceSet {
  readonly tcp: readonly Interval[];
  readonly udp: readonly Interval[];
  readonly icmp: boolean;
  /** Every protocol other than tcp, udp and icmp (the evaluator's `other`). */
  readonly other: boolean;
}

const FULL: readonly Interval[] = [{ lo: PORT_MIN, hi: PORT_MAX }];
export const EMPTY_SET: ServiceSet = { tcp: [], udp: [], icmp: false, other: false };
export const FULL_SET: ServiceSet = { tcp: FULL, udp: FULL, icmp: true, other: true };

/** The services of the classes `keep` accepts. Classes must come from one tier pair. */
export function serviceSetOf(classes: readonly DecidedClass[], keep: (c: DecidedClass) => boolean): ServiceSet {
  const tcp: Interval[] = [];
  const udp: Interval[] = [];
  let icmp = false;
  let other = false;
  for (const c of classes) {
    if (!keep(c)) continue;
    if (c.proto === 'icmp') icmp = true;
    else if (c.proto === 'other') other = true;
    else (c.proto === 'tcp' ? tcp : udp).push({ lo: c.lo ?? PORT_MIN, hi: c.hi ?? PORT_MAX });
  }
  return { tcp: mergeIntervals(tcp), udp: mergeIntervals(udp), icmp, other };
}

export function isEmptySet(s: ServiceSet): boolean {
  return s.tcp.length === 0 && s.udp.length === 0 && !s.icmp && !s.other;
}

export function isFullSet(s: ServiceSet): boolean {
  const full = (ivs: readonly Interval[]): boolean => ivs.length === 1 && ivs[0]!.lo === PORT_MIN && ivs[0]!.hi === PORT_MAX;
  return full(s.tcp) && full(s.udp) && s.icmp && s.other;
}

export function complementSet(s: ServiceSet): ServiceSet {
  return { tcp: subtractIntervals(FULL, s.tcp), udp: subtractIntervals(FULL, s.udp), icmp: !s.icmp, other: !s.other };
}

/** Does the set hold this flow? (tcp/udp need a port.) Used by tests to check against the evaluator. */
export function setContains(s: ServiceSet, proto: FlowProto, port?: number): boolean {
  if (proto === 'icmp') return s.icmp;
  if (proto === 'other') return s.other;
  if (port === undefined) return false;
  return (proto === 'tcp' ? s.tcp : s.udp).some((iv) => port >= iv.lo && port <= iv.hi);
}

function protoItems(proto: 'tcp' | 'udp', ivs: readonly Interval[]): string[] {
  // A whole protocol reads better as "tcp" than as "tcp/1-65535".
  if (ivs.length === 1 && ivs[0]!.lo === PORT_MIN && ivs[0]!.hi === PORT_MAX) return [proto];
  return ivs.map((iv) => `${proto}/${formatInterval(iv)}`);
}

/** The set's members in a fixed order: tcp, udp, icmp, other. */
export function serviceItems(s: ServiceSet): string[] {
  const out = [...protoItems('tcp', s.tcp), ...protoItems('udp', s.udp)];
  if (s.icmp) out.push('icmp');
  if (s.other) out.push('other');
  return out;
}

/**
 * One-line summary: "all", "" for nothing, the members ("tcp/8080, udp/53"), or "all except ..."
 * when listing what is missing is shorter (a default-allow policy with one deny reads "all except tcp/22").
 */
export function summarizeSet(s: ServiceSet): string {
  if (isFullSet(s)) return 'all';
  if (isEmptySet(s)) return '';
  // Which list is shorter is counted first, and only that one is written: a large policy summarises
  // hundreds of thousands of sets (the report's listing).
  return missingCount(s) < memberCount(s) ? `all except ${serviceItems(complementSet(s)).join(', ')}` : serviceItems(s).join(', ');
}

/** serviceItems(s).length without writing the items. */
function memberCount(s: ServiceSet): number {
  return s.tcp.length + s.udp.length + (s.icmp ? 1 : 0) + (s.other ? 1 : 0);
}

/** serviceItems(complementSet(s)).length without building the complement: the gaps between, before and after the intervals. */
function missingCount(s: ServiceSet): number {
  const gaps = (ivs: readonly Interval[]): number =>
    ivs.length === 0 ? 1 : ivs.length - 1 + (ivs[0]!.lo > PORT_MIN ? 1 : 0) + (ivs[ivs.length - 1]!.hi < PORT_MAX ? 1 : 0);
  return gaps(s.tcp) + gaps(s.udp) + (s.icmp ? 0 : 1) + (s.other ? 0 : 1);
}
