// backends/iptables: the protocol/port part of a rule's iptables matches.
// Input: one IR rule. Output: match strings (one per emitted iptables rule), exactly covering its services.
import type { Rule } from '../../ir/types.js';
import { mergeIntervals, type Interval } from '../../ir/ports.js';

/** xt_multiport holds at most 15 slots; a range LO:HI takes two. */
export const MULTIPORT_MAX_SLOTS = 15;

function portText(iv: Interval): string {
  return iv.lo === iv.hi ? String(iv.lo) : `${iv.lo}:${iv.hi}`;
}

/**
 * Packs sorted, disjoint intervals into multiport groups of at most 15 slots, greedily in port
 * order (so the output is deterministic and every group reads as an ascending list).
 */
export function packMultiport(intervals: readonly Interval[]): Interval[][] {
  const groups: Interval[][] = [];
  let group: Interval[] = [];
  let slots = 0;
  for (const iv of intervals) {
    const need = iv.lo === iv.hi ? 1 : 2;
    if (slots + need > MULTIPORT_MAX_SLOTS) {
      groups.push(group);
      group = [];
      slots = 0;
    }
    group.push(iv);
    slots += need;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** `-p tcp -m tcp --dport 80` for one interval, `-p tcp -m multiport --dports 80,443` for more. */
function portMatches(proto: 'tcp' | 'udp', intervals: readonly Interval[]): string[] {
  return packMultiport(intervals).map((g) =>
    g.length === 1
      ? `-p ${proto} -m ${proto} --dport ${portText(g[0]!)}`
      : `-p ${proto} -m multiport --dports ${g.map(portText).join(',')}`,
  );
}

/**
 * The protocol matches of a rule, in the fixed order tcp, udp, icmp. Port intervals of one rule
 * are merged (overlapping and adjacent), which keeps the semantics exactly: all of them share the
 * rule's action. Intervals of different rules are never merged: each rule keeps its own counters
 * and comment. An all-traffic rule has one empty match (no -p: every protocol, sctp and gre too).
 * A rule without services and not all-traffic matches nothing and yields no match.
 */
export function serviceMatches(rule: Rule): string[] {
  if (rule.allTraffic) return [''];
  const out: string[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const ivs: Interval[] = [];
    for (const s of rule.services) if (s.proto === proto) ivs.push({ lo: s.lo, hi: s.hi });
    if (ivs.length > 0) out.push(...portMatches(proto, mergeIntervals(ivs)));
  }
  if (rule.services.some((s) => s.proto === 'icmp')) out.push('-p icmp');
  return out;
}

/**
 * The protocol matches of a rule for traffic from outside to a tier: the port is the one the peer
 * addressed, which for a published port is the HOST port; Docker rewrites it to the container port
 * (nat PREROUTING DNAT) before DOCKER-USER sees the packet, so only conntrack's original destination
 * port still holds it (test/lab/NOTES.md, "Edge traffic"). Without DNAT it is the packet's own port.
 * --ctdir ORIGINAL: a reply of a connection a tier opened carries the tier's port as its original
 * destination port and must not match. --ctorigdstport takes one port or range, so one line per
 * merged interval (no multiport form exists for it).
 */
export function ingressServiceMatches(rule: Rule): string[] {
  if (rule.allTraffic) return [''];
  const out: string[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const ivs: Interval[] = [];
    for (const s of rule.services) if (s.proto === proto) ivs.push({ lo: s.lo, hi: s.hi });
    for (const iv of mergeIntervals(ivs)) out.push(`-p ${proto} -m conntrack --ctorigdstport ${portText(iv)} --ctdir ORIGINAL`);
  }
  if (rule.services.some((s) => s.proto === 'icmp')) out.push('-p icmp');
  return out;
}
