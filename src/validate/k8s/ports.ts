// validate/k8s: what one side (or both ends) of a connection allows, as port sets per protocol.
// Input: a Side of the cluster. Output: Allowed (tcp/udp as sorted disjoint intervals, icmp/other as
// flags), and the cause that decided one class (for problems only).
import { intersectIntervals, mergeIntervals, PORT_MAX, PORT_MIN, type Interval } from '../../ir/ports.js';
import type { FlowProto } from '../../eval/evaluate.js';
import { portsMatch, type Side } from './cluster.js';
import type { Connection } from './model.js';
import type { SideCause } from './types.js';

export interface Allowed {
  readonly tcp: readonly Interval[];
  readonly udp: readonly Interval[];
  /** icmp and other: only a rule without ports (or no isolation) allows them. */
  readonly rest: boolean;
}

const WHOLE: readonly Interval[] = [{ lo: PORT_MIN, hi: PORT_MAX }];
export const EVERYTHING: Allowed = { tcp: WHOLE, udp: WHOLE, rest: true };
export const NOTHING: Allowed = { tcp: [], udp: [], rest: false };

export function allowedBy(s: Side): Allowed {
  if (!s.isolated) return EVERYTHING;
  if (s.rules.length === 0) return NOTHING;
  const tcp: Interval[] = [];
  const udp: Interval[] = [];
  for (const r of s.rules) {
    if (r.ports === undefined || r.ports.length === 0) return EVERYTHING;
    for (const p of r.ports) {
      const iv = p.port === undefined ? WHOLE[0]! : { lo: p.port, hi: p.endPort ?? p.port };
      (p.protocol === 'TCP' ? tcp : udp).push(iv);
    }
  }
  return { tcp: mergeIntervals(tcp), udp: mergeIntervals(udp), rest: false };
}

/** Both ends must allow a connection. */
export function both(a: Allowed, b: Allowed): Allowed {
  if (a === EVERYTHING) return b;
  if (b === EVERYTHING) return a;
  if (a === NOTHING || b === NOTHING) return NOTHING;
  return { tcp: intersectIntervals(a.tcp, b.tcp), udp: intersectIntervals(a.udp, b.udp), rest: a.rest && b.rest };
}

export const isNothing = (a: Allowed): boolean => a.tcp.length === 0 && a.udp.length === 0 && !a.rest;
export const isEverything = (a: Allowed): boolean => a === EVERYTHING || (a.rest && covers(a.tcp) && covers(a.udp));
const covers = (ivs: readonly Interval[]): boolean => ivs.length === 1 && ivs[0]!.lo === PORT_MIN && ivs[0]!.hi === PORT_MAX;

/** Allowed and denied port segments of one protocol, in port order, covering 1-65535. */
export function segments(allowed: readonly Interval[]): { lo: number; hi: number; allow: boolean }[] {
  const out: { lo: number; hi: number; allow: boolean }[] = [];
  let next = PORT_MIN;
  for (const iv of allowed) {
    if (iv.lo > next) out.push({ lo: next, hi: iv.lo - 1, allow: false });
    out.push({ lo: iv.lo, hi: iv.hi, allow: true });
    next = iv.hi + 1;
  }
  if (next <= PORT_MAX) out.push({ lo: next, hi: PORT_MAX, allow: false });
  return out;
}

const PROTOCOL = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', other: 'OTHER' } as const;

/** What decided one class on one side: no isolation, the first admitting rule, or the isolating policies. */
export function causeOf(s: Side, proto: FlowProto, port: number | undefined): SideCause {
  if (!s.isolated) return { kind: 'open' };
  const c: Pick<Connection, 'protocol' | 'port'> = { protocol: PROTOCOL[proto], port };
  const rule = s.rules.find((r) => portsMatch(r.ports, c));
  return rule ? { kind: 'rule', site: rule.site } : { kind: 'no-rule', by: s.by.map((p) => ({ name: p.name, file: p.file })) };
}
