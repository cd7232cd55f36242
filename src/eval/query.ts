// eval: answers `tierwall query`: which verdict a policy gives a flow and why.
// Input: Policy + endpoint/service words as the user typed them. Output: answers or a usage error.
import type { Policy, Tier } from '../ir/types.js';
import { Evaluator, type FlowProto, type Verdict } from './evaluate.js';
import { classesOfPair, rulesOfPair, type FlowClass } from './flow-classes.js';
import { parseIpv4 } from '../ir/ipv4.js';
import { formatInterval } from '../ir/ports.js';

export interface QueryAnswer {
  readonly flow: FlowClass;
  readonly verdict: Verdict;
}

export type QueryResult = { ok: true; src: Tier; dst: Tier; answers: QueryAnswer[] } | { ok: false; error: string };

function resolveEndpoint(policy: Policy, ev: Evaluator, word: string): Tier | string {
  const byName = policy.tiers.find((t) => t.name === word);
  if (byName) return byName;
  if (parseIpv4(word) !== undefined) {
    return ev.tierOfAddress(word) ?? `${word} is in no tier's subnet; tierwall does not govern that traffic`;
  }
  return `'${word}' is neither a tier of this policy nor an IPv4 address`;
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
  const classes = classesOfPair(src.name, dst.name, rulesOfPair(policy, src.name, dst.name));
  let wanted = classes;
  if (serviceWord !== undefined) {
    const svc = parseService(serviceWord);
    if (typeof svc === 'string') return { ok: false, error: svc };
    wanted = classes.filter((c) => c.proto === svc.proto && (svc.port === undefined || (c.lo! <= svc.port && svc.port <= c.hi!)));
    if (svc.port !== undefined) wanted = wanted.map((c) => ({ ...c, lo: svc.port, hi: svc.port }));
  }
  const answers = wanted.map((flow) => ({ flow, verdict: ev.evaluate({ src: flow.src, dst: flow.dst, proto: flow.proto, port: flow.lo }) }));
  return { ok: true, src, dst, answers };
}

export function describeService(c: FlowClass): string {
  if (c.proto === 'tcp' || c.proto === 'udp') return `${c.proto}/${formatInterval({ lo: c.lo!, hi: c.hi! })}`;
  return c.proto;
}
