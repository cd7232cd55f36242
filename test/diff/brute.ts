// test support for diff: the independent oracle. Asks the Evaluator about every (tier pair, protocol,
// port 1-41) of the tiers both policies have, and about every probe address outside the tiers (one
// per piece the nets' ranges cut) with every such tier, both ways; expands a diff's coalesced
// changes into the same points.
import { Evaluator, type FlowProto, type Verdict } from '../../src/eval/evaluate.js';
import { deciderOf } from '../../src/diff/classes.js';
import type { Decision, FlowChange } from '../../src/diff/types.js';
import type { Policy } from '../../src/ir/types.js';
import { cidrContains, parseIpv4 } from '../../src/ir/ipv4.js';
import { MAX_PORT, PROBE_ADDRESSES } from './gen.js';

/** Ports 1..40 are where random rules put boundaries; 41 stands for the class 41-65535. */
export const TOP = MAX_PORT + 1;

export interface Point {
  readonly src: string;
  readonly dst: string;
  readonly proto: FlowProto;
  readonly port?: number;
}

const key = (p: Point) => `${p.src}>${p.dst} ${p.proto}${p.port === undefined ? '' : `/${p.port}`}`;

function points(src: string, dst: string): Point[] {
  const out: Point[] = [];
  for (const proto of ['tcp', 'udp'] as const) for (let port = 1; port <= TOP; port++) out.push({ src, dst, proto, port });
  out.push({ src, dst, proto: 'icmp' }, { src, dst, proto: 'other' });
  return out;
}

export function commonTiers(a: Policy, b: Policy): string[] {
  const inA = new Set(a.tiers.map((t) => t.name));
  return b.tiers.map((t) => t.name).filter((n) => inA.has(n));
}

const asDecision = (v: Verdict): Decision => ({ action: v.action, log: v.log, decidedBy: deciderOf(v) });

/** The nets an address is in, per the policy's own declarations (not eval/zones.ts). */
function netsHolding(p: Policy, address: string): string {
  const value = parseIpv4(address)!;
  return p.nets.filter((n) => n.cidrs.some((c) => cidrContains(c.base, c.prefix, value))).map((n) => n.name).sort().join('+');
}

/**
 * Every point whose action or log differs, with both decisions. For probe addresses, a point is
 * keyed by the new side's zone; addresses whose nets differ between the sides go to `moved`
 * instead (a diff shows them as net changes, not flows).
 */
export function bruteForce(a: Policy, b: Policy, moved?: Map<string, { old: Decision; new: Decision }>): Map<string, { old: Decision; new: Decision }> {
  const ea = new Evaluator(a);
  const eb = new Evaluator(b);
  const out = new Map<string, { old: Decision; new: Decision }>();
  const tiers = commonTiers(a, b);
  const compare = (oldP: Point, p: Point, into: Map<string, { old: Decision; new: Decision }>) => {
    const va = ea.evaluate(oldP);
    const vb = eb.evaluate(p);
    if (va.action !== vb.action || va.log !== vb.log) into.set(key(p), { old: asDecision(va), new: asDecision(vb) });
  };
  for (const s of tiers) for (const d of tiers) for (const p of points(s, d)) compare(p, p, out);
  const pair = (za: string, zb: string, into: Map<string, { old: Decision; new: Decision }>) => {
    for (const t of tiers) {
      for (const p of points(zb, t)) compare({ ...p, src: za }, p, into);
      for (const p of points(t, zb)) compare({ ...p, dst: za }, p, into);
    }
  };
  // Zones are compared by the set of nets that make them (a zone of that set on each side, even
  // when no address is in it on both); addresses whose set differs are compared one by one.
  const zoneOf = (ev: Evaluator, address: string) => {
    const z = ev.zoneOfAddress(address);
    if (z === undefined) throw new Error(`probe ${address} in no zone`);
    return z;
  };
  const byNets = (p: Policy, ev: Evaluator) => new Map(PROBE_ADDRESSES.map((x) => [netsHolding(p, x), zoneOf(ev, x)]));
  const zonesA = byNets(a, ea);
  for (const [nets, zb] of byNets(b, eb)) {
    const za = zonesA.get(nets);
    if (za !== undefined) pair(za, zb, out);
  }
  if (moved) {
    for (const x of PROBE_ADDRESSES) {
      if (netsHolding(a, x) === netsHolding(b, x)) continue;
      // Keyed by the address too: two addresses may move into one zone from different ones.
      const one = new Map<string, { old: Decision; new: Decision }>();
      pair(zoneOf(ea, x), zoneOf(eb, x), one);
      for (const [k, v] of one) moved.set(`${x} ${k}`, v);
    }
  }
  return out;
}

/** The points a diff's changes cover; asserts they do not overlap and that wide intervals end at 65535. */
export function expand(flows: readonly FlowChange[]): Map<string, { old: Decision; new: Decision }> {
  const out = new Map<string, { old: Decision; new: Decision }>();
  const add = (p: Point, f: FlowChange) => {
    if (out.has(key(p))) throw new Error(`overlapping changes at ${key(p)}`);
    out.set(key(p), { old: f.old, new: f.new });
  };
  for (const f of flows) {
    if (f.proto === 'any') {
      for (const p of points(f.src, f.dst)) add(p, f);
    } else if (f.ports) {
      // Random rules cut nothing above 41, so a class reaching past 41 must run to the end.
      if (f.ports.hi > TOP && f.ports.hi !== 65535) throw new Error(`class ${f.ports.lo}-${f.ports.hi} ends inside 41-65535`);
      for (let port = f.ports.lo; port <= Math.min(f.ports.hi, TOP); port++) add({ src: f.src, dst: f.dst, proto: f.proto, port }, f);
    } else {
      add({ src: f.src, dst: f.dst, proto: f.proto }, f);
    }
  }
  return out;
}

/** One line per point, sorted: cheap to compare and readable in a failure. */
export function lines(m: Map<string, { old: Decision; new: Decision }>): string[] {
  const side = (d: Decision) => `${d.action}${d.log ? '+log' : ''} by ${JSON.stringify(d.decidedBy)}`;
  return [...m.entries()].map(([k, v]) => `${k}: ${side(v.old)} -> ${side(v.new)}`).sort();
}
