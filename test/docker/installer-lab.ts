// docker test support: what the installer tests need on top of test/lab/lab.ts (used only through its
// exported API): run install.sh in a lab namespace against the lab's dockerd, read every table, start
// two probe containers per tier, and probe a policy's reachability matrix against the Evaluator.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy } from '../../src/ir/types.js';
import { Evaluator } from '../../src/eval/evaluate.js';
import { formatIpv4 } from '../../src/ir/ipv4.js';
import { networkName } from '../../src/backends/shared/network-name.js';
import { run, type Lab, type Proto, type RunResult } from '../lab/lab.js';

/** `nsenter --net=<lab ns> bash install.sh ARGS` with DOCKER_HOST = the lab's dockerd; extra PATH dirs first. */
export function installer(lab: Lab, script: string, args: readonly string[], pathFirst: readonly string[] = []): Promise<RunResult> {
  const PATH = [...pathFirst, lab.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(':');
  return run('nsenter', [`--net=/run/netns/${lab.ns}`, 'bash', script, ...args],
    { env: { ...lab.env, PATH }, allowFail: true, timeoutMs: 180_000 });
}

export type Tables = Record<'filter' | 'nat' | 'raw' | 'mangle', string>;

/** `iptables -S` of every table in the lab namespace. */
export async function tables(lab: Lab): Promise<Tables> {
  const [filter, nat, raw, mangle] = await Promise.all(['filter', 'nat', 'raw', 'mangle'].map((t) => lab.iptables(t)));
  return { filter: filter!, nat: nat!, raw: raw!, mangle: mangle! };
}

/** The lines of one chain (its -N/-P and -A lines) in an `iptables -S` listing. */
export function chainLines(listing: string, chain: string): string[] {
  return listing.split('\n').filter((l) => l.split(' ')[1] === chain);
}

/** Everything but one chain's lines. */
export function withoutChain(listing: string, chain: string): string[] {
  return listing.split('\n').filter((l) => l.split(' ')[1] !== chain);
}

/**
 * An iptables-restore stand-in (put its dir first on PATH) that fails its first call and passes every
 * later call to the real one. `applyFirst`: the first call really loads the rules, then reports failure.
 */
export function failingRestore(dir: string, real: string, applyFirst: boolean): string {
  const count = join(dir, 'count');
  writeFileSync(join(dir, 'iptables-restore'), [
    '#!/bin/bash',
    `n=$(cat ${count} 2>/dev/null || echo 0); echo $((n + 1)) >${count}`,
    'if [ "$n" = 0 ]; then',
    applyFirst ? `  ${real} "$@" || exit` : '  :',
    '  echo "stub iptables-restore: simulated failure" >&2; exit 1',
    'fi',
    `exec ${real} "$@"`,
  ].join('\n') + '\n', { mode: 0o755 });
  return dir;
}

export interface Probe {
  readonly name: string;
  readonly ip: string;
  readonly tier: string;
}

/** Two probe containers per tier at host addresses .10 and .11 of its subnet, listening on the given ports. */
export async function startProbes(lab: Lab, policy: Policy, tcp: readonly number[], udp: readonly number[]): Promise<Map<string, Probe[]>> {
  const out = new Map<string, Probe[]>();
  for (const t of policy.tiers) {
    const started = await Promise.all([10, 11].map(async (n) => {
      const name = `${t.name}-${n}`;
      const c = await lab.runContainer(name, networkName(policy, t), { ip: formatIpv4(t.subnet.base + n), tcp, udp });
      return { name, ip: c.ip, tier: t.name };
    }));
    out.set(t.name, started);
  }
  return out;
}

export interface Flow {
  readonly from: Probe;
  readonly to: Probe;
  readonly proto: Proto;
  readonly port?: number;
  readonly expected: 'open' | 'closed';
  readonly seen?: 'open' | 'closed';
  /** What the slow re-probe reported. */
  readonly detail?: string;
}

/** Runs fn over items, at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/**
 * A flow the Evaluator allows that read closed, probed again with generous timeouts (a loaded
 * machine can miss nc's 2 s); `detail` says what the probe command reported, for the failure message.
 */
async function slowProbe(lab: Lab, f: Flow): Promise<{ seen: 'open' | 'closed'; detail: string }> {
  const o = { allowFail: true, timeoutMs: 30_000 };
  const port = String(f.port ?? 0);
  const r = f.proto === 'tcp' ? await lab.docker(['exec', f.from.name, 'nc', '-w', '6', f.to.ip, port], o)
    : f.proto === 'udp' ? await lab.docker(['exec', f.from.name, 'sh', '-c', 'echo tw-probe | timeout 10 socat -T 6 - "UDP:$1:$2"', 'sh', f.to.ip, port], o)
      : await lab.docker(['exec', f.from.name, 'ping', '-c', '3', '-W', '2', f.to.ip], o);
  const ok = f.proto === 'udp' ? r.stdout.includes('tw-probe') : r.status === 0;
  return { seen: ok ? 'open' : 'closed', detail: `status ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 200)}` };
}

/**
 * Every ordered tier pair (a tier with itself through its second container): each tcp and udp port
 * and icmp, probed and compared with the Evaluator. A flow expected open that reads closed is probed
 * once more, slowly (slowProbe), so only a repeatable block counts.
 */
export async function reachability(lab: Lab, policy: Policy, probes: Map<string, Probe[]>, tcp: readonly number[], udp: readonly number[]): Promise<Flow[]> {
  const ev = new Evaluator(policy);
  const flows: Flow[] = [];
  for (const a of policy.tiers) {
    for (const b of policy.tiers) {
      const from = probes.get(a.name)![0]!;
      const to = probes.get(b.name)![1]!;
      const add = (proto: Proto, port?: number) => {
        const v = ev.evaluate({ src: a.name, dst: b.name, proto, ...(port === undefined ? {} : { port }) });
        flows.push({ from, to, proto, ...(port === undefined ? {} : { port }), expected: v.action === 'allow' ? 'open' : 'closed' });
      };
      tcp.forEach((p) => add('tcp', p));
      udp.forEach((p) => add('udp', p));
      add('icmp');
    }
  }
  const probe = (f: Flow) => lab.probe(f.from.name, f.to.ip, f.proto, f.port ?? 0);
  return pool(flows, 6, async (f) => {
    const seen = await probe(f);
    if (seen === f.expected || f.expected === 'closed') return { ...f, seen };
    return { ...f, ...(await slowProbe(lab, f)) };
  });
}

/** "frontend-10 -> backend-11 tcp/8080: expected open, saw closed" for each disagreement. */
export function mismatches(flows: readonly Flow[]): string[] {
  return flows.filter((f) => f.seen !== f.expected)
    .map((f) => `${f.from.name} -> ${f.to.name} ${f.proto}${f.port ? `/${f.port}` : ''}: expected ${f.expected}, saw ${f.seen}${f.detail ? ` (${f.detail})` : ''}`);
}
