// kernel test support: real traffic between namespaces, and the plan of what to send.
// Input: Lab + Policy. Output: probes with the Evaluator's expected verdict; probe() -> open/closed.
import type { Policy } from '../../src/ir/types.js';
import { Evaluator, type FlowProto } from '../../src/eval/evaluate.js';
import { elementaryIntervals, type Interval } from '../../src/ir/ports.js';
import { zonesOf } from '../../src/eval/zones.js';
import { inNs } from './exec.js';
import { AGENT, OTHER_PROTO, type Host, type Lab } from './topology.js';

export interface Probe {
  readonly from: Host;
  readonly to: Host;
  readonly proto: FlowProto;
  readonly port?: number;
  /** What must happen: 'open' (a reply from `to` came back) or 'closed'. */
  readonly expect: 'open' | 'closed';
  readonly label: string;
}

const UNRELATED_PORT = 31337;

// Every tcp/udp probe of a source host gets its own source port, below the kernel's ephemeral range.
// The destination redirects all ports to one responder, so two flows from one source port would become
// one conntrack tuple there (a clash, or a TIME_WAIT hit) and read as "closed" for no policy reason.
const nextPort = new Map<string, number>();
function sourcePort(ns: string): number {
  const port = nextPort.get(ns) ?? 10_000;
  if (port >= 32_768) throw new Error(`source ports of ${ns} exhausted`);
  nextPort.set(ns, port + 1);
  return port;
}

/** One packet or connection, bounded by timeouts; 'open' only when the destination's token came back. */
export async function probe(p: Pick<Probe, 'from' | 'to' | 'proto' | 'port'>, waitS = 1): Promise<'open' | 'closed'> {
  const t = String(waitS);
  const opts = { input: 'x\n', allowFail: true, timeoutMs: 5000 + waitS * 2000 };
  if (p.proto === 'icmp') {
    const r = await inNs(p.from.ns, 'busybox', ['ping', '-c', '1', '-W', t, p.to.address], opts);
    return r.code === 0 ? 'open' : 'closed';
  }
  let peer: string;
  if (p.proto === 'tcp') peer = `TCP4:${p.to.address}:${p.port},connect-timeout=${t},sourceport=${sourcePort(p.from.ns)}`;
  else if (p.proto === 'udp') peer = `UDP4:${p.to.address}:${p.port},sourceport=${sourcePort(p.from.ns)}`;
  else peer = `IP4-SENDTO:${p.to.address}:${OTHER_PROTO}`;
  const r = await inNs(p.from.ns, 'socat', ['-T', t, '-t', t, '-', peer], opts);
  return r.stdout.includes(p.to.token) ? 'open' : 'closed';
}

/** tcp/udp probes of one source host, all at once, by one agent process inside its namespace. */
async function agentProbes(probes: readonly Probe[], waitMs: number): Promise<('open' | 'closed')[]> {
  const ns = probes[0]!.from.ns;
  const input = JSON.stringify(
    probes.map((p, id) => ({ id, proto: p.proto, address: p.to.address, port: p.port, sourcePort: sourcePort(ns), token: p.to.token, waitMs })),
  );
  const r = await inNs(ns, process.execPath, [AGENT, 'probe'], { input, timeoutMs: 60_000 });
  const out = JSON.parse(r.stdout) as Record<string, 'open' | 'closed'>;
  return probes.map((_, id) => out[id]!);
}

/** Runs fn over items, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Runs all probes: tcp/udp through one agent per source host (hosts in parallel, 3 s to answer: under
 * load the first burst of a fresh process can take over a second), icmp and raw IP through busybox
 * ping / socat, `limit` at a time. A 'closed' that should be 'open' is retried once, alone and with a
 * longer wait: load can delay a reply, it cannot make a dropped packet arrive, so a retry never hides a leak.
 */
export async function runProbes(probes: readonly Probe[], limit = 16): Promise<{ failures: string[]; retried: number }> {
  const results = new Map<Probe, 'open' | 'closed'>();
  const bySource = new Map<string, Probe[]>();
  const single: Probe[] = [];
  for (const p of probes) {
    if (p.proto === 'tcp' || p.proto === 'udp') (bySource.get(p.from.ns) ?? bySource.set(p.from.ns, []).get(p.from.ns)!).push(p);
    else single.push(p);
  }
  await Promise.all([
    ...[...bySource.values()].map(async (ps) => (await agentProbes(ps, 3000)).forEach((r, k) => results.set(ps[k]!, r))),
    pool(single, limit, async (p) => void results.set(p, await probe(p))),
  ]);
  // An expected-open probe that saw nothing is retried (a retry can never open a dropped flow), twice
  // and four at a time: with 16 raw-protocol echoes in flight on a loaded machine one answer was lost.
  const retry = probes.filter((p) => results.get(p) === 'closed' && p.expect === 'open');
  for (let round = 0; round < 2; round++) {
    const again = retry.filter((p) => results.get(p) === 'closed');
    await pool(again, 4, async (p) => void results.set(p, await probe(p, 3)));
  }
  const failures = probes.filter((p) => results.get(p) !== p.expect).map((p) => `${p.label}: expected ${p.expect}, got ${results.get(p)}`);
  return { failures: failures.sort(), retried: retry.length };
}

/**
 * Ports for one ordered pair: both ends of every flow class of the pair (so the ports just below,
 * at and above every rule boundary), the low port of every service of every rule in the policy
 * (rules of other pairs must not leak into this one), and an unrelated port. Probed for tcp and udp alike.
 */
export function portsOfPair(policy: Policy, src: string, dst: string): number[] {
  const ivs: Interval[] = [];
  const sample = new Set<number>([UNRELATED_PORT]);
  for (const r of policy.rules) {
    const applies = src !== dst && r.sources.includes(src) && r.destinations.includes(dst);
    for (const s of r.services) {
      if (s.proto === 'icmp') continue;
      sample.add(s.lo);
      if (applies) ivs.push({ lo: s.lo, hi: s.hi });
    }
  }
  const ports = new Set(sample);
  if (ivs.length > 0) {
    for (const c of elementaryIntervals(ivs)) ports.add(c.lo).add(c.hi);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Every ordered tier pair (h1 of src -> h2 of dst), every port of portsOfPair on tcp and udp, icmp, other. */
export function planTierProbes(policy: Policy, lab: Lab): Probe[] {
  const ev = new Evaluator(policy);
  const out: Probe[] = [];
  for (const a of policy.tiers) {
    for (const b of policy.tiers) {
      const from = lab.hosts.get(a.name)![0];
      const to = lab.hosts.get(b.name)![1];
      const add = (proto: FlowProto, port?: number): void => {
        const v = ev.evaluate({ src: a.name, dst: b.name, proto, port });
        const label = `${a.name} -> ${b.name} ${proto}${port === undefined ? '' : `/${port}`}`;
        out.push({ from, to, proto, port, expect: v.action === 'allow' ? 'open' : 'closed', label });
      };
      for (const port of portsOfPair(policy, a.name, b.name)) {
        add('tcp', port);
        add('udp', port);
      }
      add('icmp');
      add('other');
    }
  }
  return out;
}

/**
 * Ports between a tier and an external zone, one direction: as portsOfPair, with the rules naming
 * the zone (by a net holding it, or `world`) and the tier on the right sides.
 */
function portsOfEdge(policy: Policy, zone: string, tier: string, inbound: boolean): number[] {
  const zones = zonesOf(policy);
  const ivs: Interval[] = [];
  const ports = new Set<number>([UNRELATED_PORT]);
  for (const r of policy.rules) {
    const applies = inbound
      ? zones.externalMatch(r.externalSources, zone) && r.destinations.includes(tier)
      : r.sources.includes(tier) && zones.externalMatch(r.externalDestinations, zone);
    for (const s of r.services) {
      if (s.proto === 'icmp') continue;
      ports.add(s.lo);
      if (applies) ivs.push({ lo: s.lo, hi: s.hi });
    }
  }
  if (ivs.length > 0) for (const c of elementaryIntervals(ivs)) ports.add(c.lo).add(c.hi);
  return [...ports].sort((a, b) => a - b);
}

/**
 * The host's edge: per external zone (its lab host) and tier, ingress (zone host -> h2 of the tier:
 * every port of portsOfEdge on tcp and udp, icmp, other) and egress (h1 -> zone host: the same but
 * `other`, as the zone host runs no raw echo: one would answer h2's echo forever). The port the zone
 * host addresses is the real one (no DNAT in the lab), which --ctorigdstport matches too. Then
 * traffic between two outside hosts, which tierwall leaves to Docker (whose FORWARD policy drops it).
 */
export function planEdgeProbes(policy: Policy, lab: Lab): Probe[] {
  const ev = new Evaluator(policy);
  const out: Probe[] = [];
  for (const [zone, host] of lab.outside) {
    for (const t of policy.tiers) {
      for (const inbound of [true, false]) {
        const [from, to] = inbound ? [host, lab.hosts.get(t.name)![1]] : [lab.hosts.get(t.name)![0], host];
        const [src, dst] = inbound ? [zone, t.name] : [t.name, zone];
        const add = (proto: FlowProto, port?: number): void => {
          const v = ev.evaluate({ src, dst, proto, port });
          out.push({ from, to, proto, port, expect: v.action === 'allow' ? 'open' : 'closed', label: `${src} -> ${dst} ${proto}${port === undefined ? '' : `/${port}`}` });
        };
        for (const port of portsOfEdge(policy, zone, t.name, inbound)) {
          add('tcp', port);
          add('udp', port);
        }
        add('icmp');
        if (inbound) add('other');
      }
    }
  }
  for (const [zone, host] of lab.outside) {
    if (host === lab.foreign) continue;
    out.push({ from: lab.foreign, to: host, proto: 'tcp', port: 443, expect: 'closed', label: `world -> ${zone} tcp/443 (Docker's)` });
  }
  return out;
}
