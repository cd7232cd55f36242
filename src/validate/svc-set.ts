// validate: sets of (conntrack state, protocol, destination port) a symbolic walk carries through
// the chains. A rule splits a set into the part it matches and the rest; both stay exact.
import { PORT_MAX, PORT_MIN, intersectIntervals, subtractIntervals, type Interval } from '../ir/ports.js';
import { BOTH_STATES, type IptRule } from './ruleset.js';

/** Protocols and destination ports: tcp/udp as sorted disjoint intervals; icmp and other all or nothing. */
export interface SvcSet {
  readonly tcp: readonly Interval[];
  readonly udp: readonly Interval[];
  readonly icmp: boolean;
  readonly other: boolean;
}

const ALL_PORTS: readonly Interval[] = [{ lo: PORT_MIN, hi: PORT_MAX }];
export const ALL_SVC: SvcSet = { tcp: ALL_PORTS, udp: ALL_PORTS, icmp: true, other: true };
const NONE: readonly Interval[] = [];

export function svcEmpty(s: SvcSet): boolean {
  return s.tcp.length === 0 && s.udp.length === 0 && !s.icmp && !s.other;
}

/**
 * The part of `s` a rule's protocol and port matches take (hit) and the part they leave (miss);
 * undefined for an empty part. No -p takes everything, `other` included.
 */
export function splitSvc(s: SvcSet, rule: IptRule): { hit: SvcSet | undefined; miss: SvcSet | undefined } {
  const p = rule.proto;
  if (p === undefined) return { hit: s, miss: undefined };
  let hit: SvcSet;
  let miss: SvcSet;
  if (p === 'icmp') {
    hit = { tcp: NONE, udp: NONE, icmp: s.icmp, other: false };
    miss = { tcp: s.tcp, udp: s.udp, icmp: false, other: s.other };
  } else {
    const have = s[p];
    const ports = rule.ports ?? ALL_PORTS;
    // Most rules a piece passes take none of its ports: leave it as it is, allocating nothing.
    if (!overlaps(have, ports)) return { hit: undefined, miss: svcEmpty(s) ? undefined : s };
    const taken = intersectIntervals(have, ports);
    const left = taken.length === 0 ? have : subtractIntervals(have, ports);
    hit = p === 'tcp' ? { tcp: taken, udp: NONE, icmp: false, other: false } : { tcp: NONE, udp: taken, icmp: false, other: false };
    // Written out, not spread: object spread is a generic copy, and this runs on every split.
    miss = p === 'tcp' ? { tcp: left, udp: s.udp, icmp: s.icmp, other: s.other } : { tcp: s.tcp, udp: left, icmp: s.icmp, other: s.other };
  }
  return { hit: svcEmpty(hit) ? undefined : hit, miss: svcEmpty(miss) ? undefined : miss };
}

/** Do two sorted lists of disjoint intervals share a port? */
function overlaps(a: readonly Interval[], b: readonly Interval[]): boolean {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]!.hi < b[j]!.lo) i++;
    else if (b[j]!.hi < a[i]!.lo) j++;
    else return true;
  }
  return false;
}

/** A set of packets of one probe: conntrack states (bits) x services, and the LOG rules that fired on it. */
export interface Piece {
  readonly states: number;
  readonly svc: SvcSet;
  readonly logs: LogTrail | undefined;
}

/** LOG rules that fired, newest first (shared tails: a piece split later keeps its history). */
export interface LogTrail {
  readonly rule: IptRule;
  readonly prev: LogTrail | undefined;
}

/**
 * Splits a piece by a rule's conntrack and service matches: pushes the unmatched parts to `miss` and
 * returns the matched part (the piece itself when the rule takes all of it), or undefined.
 */
export function splitPiece(p: Piece, rule: IptRule, miss: Piece[]): Piece | undefined {
  const ruleStates = rule.states ?? BOTH_STATES;
  const inStates = p.states & ruleStates;
  if (inStates === 0) {
    miss.push(p);
    return undefined;
  }
  if (rule.proto === undefined && inStates === p.states) return p; // the common case: no allocation
  const outStates = p.states & ~ruleStates;
  if (outStates !== 0) miss.push({ states: outStates, svc: p.svc, logs: p.logs });
  const { hit, miss: svcMiss } = splitSvc(p.svc, rule);
  if (svcMiss) miss.push(svcMiss === p.svc && outStates === 0 ? p : { states: inStates, svc: svcMiss, logs: p.logs });
  if (!hit) return undefined;
  return hit === p.svc && inStates === p.states ? p : { states: inStates, svc: hit, logs: p.logs };
}
