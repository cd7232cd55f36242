// eval: answers `tierwall query`: which verdict a policy gives a flow and why.
// Input: Policy + endpoint/service words as the user typed them. Output: answers or a usage error.
import { WORLD, type Policy } from '../ir/types.js';
import { Evaluator, type FlowProto, type Verdict } from './evaluate.js';
import { classesOfPair, rulesOfPair, type FlowClass } from './flow-classes.js';
import { parseIpv4 } from '../ir/ipv4.js';
import { formatInterval } from '../ir/ports.js';

export interface QueryAnswer {
  readonly flow: FlowClass;
  readonly verdict: Verdict;
}

/** src and dst are zones: tier names or external zones (eval/zones.ts). */
export type QueryResult = { ok: true; src: string; dst: string; answers: QueryAnswer[] } | { ok: false; error: string };

/**
 * A tier name, a net name (its own zone: the addresses in that net and no other, else the first
 * zone holding it), `world`, or an IPv4 address (the zone it is in).
 */
function resolveEndpoint(policy: Policy, ev: Evaluator, word: string): { zone: string } | string {
  if (policy.tiers.some((t) => t.name === word)) return { zone: word };
  const zones = ev.zones;
  if (word === WORLD) {
    return zones.isExternal(WORLD) ? { zone: WORLD } : 'every address outside the tiers is in a net: name the net';
  }
  if (policy.nets.some((n) => n.name === word)) {
    const own = zones.get(word) ?? zones.external.find((z) => z.nets.includes(word));
    return own ? { zone: own.name } : `net '${word}' has no address outside the tiers`;
  }
  if (parseIpv4(word) !== undefined) {
    const zone = ev.zoneOfAddress(word);
    return zone === undefined ? `${word} is in no zone` : { zone };
  }
  return `'${word}' is neither a tier or net of this policy, 'world', nor an IPv4 address`;
}

/** Parses tcp/PORT, udp/PORT, icmp, or a bare protocol (tcp, udp: every port class). */
function parseService(text: string): { proto: FlowProto; port?: number } | string {
  const m = /^(tcp|udp)(?:\/([0-9]{1,5}))?$|^(icmp|other)$/.exec(text);
  if (!m) return `'${text}' is not a service: write tcp/PORT, udp/PORT, icmp or other`;
  if (m[3]) return { proto: m[3] as FlowProto };
  if (m[2] === undefined) return { proto: m[1] as FlowProto };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port ${m[2]} is out of range 1-65535`;
  return { proto: m[1] as FlowProto, port };
}

export function query(policy: Policy, srcWord: string, dstWord: string, serviceWord?: string): QueryResult {
  const ev = new Evaluator(policy);
  const src = resolveEndpoint(policy, ev, srcWord);
  if (typeof src === 'string') return { ok: false, error: src };
  const dst = resolveEndpoint(policy, ev, dstWord);
  if (typeof dst === 'string') return { ok: false, error: dst };
  if (ev.zones.isExternal(src.zone) && ev.zones.isExternal(dst.zone)) {
    return { ok: false, error: `${srcWord} and ${dstWord} are both outside the tiers: tierwall governs traffic that reaches a tier` };
  }
  const classes = classesOfPair(src.zone, dst.zone, rulesOfPair(policy, src.zone, dst.zone));
  let wanted = classes;
  if (serviceWord !== undefined) {
    const svc = parseService(serviceWord);
    if (typeof svc === 'string') return { ok: false, error: svc };
    wanted = classes.filter((c) => c.proto === svc.proto && (svc.port === undefined || (c.lo! <= svc.port && svc.port <= c.hi!)));
    if (svc.port !== undefined) wanted = wanted.map((c) => ({ ...c, lo: svc.port, hi: svc.port }));
  }
  const answers = wanted.map((flow) => ({ flow, verdict: ev.evaluate({ src: flow.src, dst: flow.dst, proto: flow.proto, port: flow.lo }) }));
  return { ok: true, src: src.zone, dst: dst.zone, answers };
}

export function describeService(c: FlowClass): string {
  if (c.proto === 'tcp' || c.proto === 'udp') return `${c.proto}/${formatInterval({ lo: c.lo!, hi: c.hi! })}`;
  return c.proto;
}
