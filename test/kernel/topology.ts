// kernel test support: a Docker host in namespaces. Input: Policy. Output: a router namespace
// with one bridge per tier and Docker 20.10's FORWARD chains, two hosts per tier, and one host per
// external zone (eval/zones.ts: an address in each combination of nets, and one in the world),
// each behind its own non-Docker link of the router.
import { fileURLToPath } from 'node:url';
import { WORLD, type Policy, type Tier } from '../../src/ir/types.js';
import { formatIpv4, lastAddress, parseIpv4 } from '../../src/ir/ipv4.js';
import { zonesOf } from '../../src/eval/zones.js';
import { RUN_PREFIX, addNamespaces, inNs, ipBatch, startInNs } from './exec.js';

export interface Host {
  readonly ns: string;
  readonly address: string;
  /** What its listeners answer: proves the reply came from this host. */
  readonly token: string;
}

export interface Lab {
  readonly router: string;
  /** Per tier name: [h1, h2]. Probes go from h1 of one tier to h2 of another (or the same) tier. */
  readonly hosts: ReadonlyMap<string, readonly [Host, Host]>;
  /** Outside every tier, behind a non-Docker interface of the router (the "internet"): in `world`. */
  readonly foreign: Host;
  /** Per external zone, a host with an address in it (the world's is `foreign`). No NAT on their links. */
  readonly outside: ReadonlyMap<string, Host>;
  /** The tier-0 h1 port Docker publishes (an ACCEPT in the DOCKER chain). */
  readonly publishedPort: number;
  /** A foreign rule already in DOCKER-USER before tierwall installs. */
  readonly foreignRule: string;
}

export const LISTEN_PORT = 7; // every tcp/udp port is redirected here inside each host
/** The node helper that answers (serve) and probes (probe) inside a namespace. */
export const AGENT = fileURLToPath(new URL('./agent.mjs', import.meta.url));
export const OTHER_PROTO = 253; // "other" flows: an IP protocol nobody uses (RFC 3692 experiments)
const FOREIGN_NET = { gw: '198.18.0.1', host: '198.18.0.2', prefix: 24 }; // RFC 2544 test range

/** Two usable addresses in the tier subnet: not network, broadcast or gateway. */
function hostAddresses(t: Tier): [string, string] {
  const out: string[] = [];
  const last = lastAddress(t.subnet.base, t.subnet.prefix);
  for (let a = t.subnet.base + 1; a < last && out.length < 2; a++) if (formatIpv4(a) !== t.gateway) out.push(formatIpv4(a));
  if (out.length < 2) throw new Error(`tier ${t.name}: subnet ${t.subnet.text} has no room for two test hosts`);
  return [out[0]!, out[1]!];
}

/** Docker 20.10's filter table for these bridges (FORWARD policy DROP, isolation stages, a published port). */
function dockerFilter(policy: Policy, published: { address: string; bridge: string; port: number }, foreignRule: string): string {
  const bridges = policy.tiers.map((t) => t.bridge);
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':DOCKER - [0:0]',
    ':DOCKER-ISOLATION-STAGE-1 - [0:0]', ':DOCKER-ISOLATION-STAGE-2 - [0:0]', ':DOCKER-USER - [0:0]',
    '-A FORWARD -j DOCKER-USER', '-A FORWARD -j DOCKER-ISOLATION-STAGE-1'];
  for (const b of bridges) {
    lines.push(`-A FORWARD -o ${b} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, `-A FORWARD -o ${b} -j DOCKER`,
      `-A FORWARD -i ${b} ! -o ${b} -j ACCEPT`, `-A FORWARD -i ${b} -o ${b} -j ACCEPT`);
  }
  lines.push(`-A DOCKER -d ${published.address}/32 ! -i ${published.bridge} -o ${published.bridge} -p tcp -m tcp --dport ${published.port} -j ACCEPT`);
  for (const b of bridges) lines.push(`-A DOCKER-ISOLATION-STAGE-1 -i ${b} ! -o ${b} -j DOCKER-ISOLATION-STAGE-2`);
  lines.push('-A DOCKER-ISOLATION-STAGE-1 -j RETURN');
  for (const b of bridges) lines.push(`-A DOCKER-ISOLATION-STAGE-2 -o ${b} -j DROP`);
  lines.push('-A DOCKER-ISOLATION-STAGE-2 -j RETURN', `-A DOCKER-USER ${foreignRule}`, '-A DOCKER-USER -j RETURN', 'COMMIT');
  // Docker masquerades what leaves a bridge (after filtering: DOCKER-USER still sees real sources). Only
  // towards the outside here: masquerading between bridges, as 20.10 also does, makes parallel flows of a
  // port-less protocol from two tiers to one host clash in NAT, a Docker effect this test does not judge.
  lines.push('*nat', ':POSTROUTING ACCEPT [0:0]');
  for (const t of policy.tiers) lines.push(`-A POSTROUTING -s ${t.subnet.text} -o x0 -j MASQUERADE`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

interface HostPlan {
  readonly ns: string;
  readonly link: string; // the router's end of the veth
  readonly bridge?: string;
  readonly address: string;
  readonly prefix: number;
  readonly gateway: string;
}

/** The router's side of a host: one veth (its peer lands in the host as eth0), on the tier's bridge. */
function routerSide(h: HostPlan): string[] {
  return [`link add ${h.link} type veth peer name eth0 netns ${h.ns}`, ...(h.bridge ? [`link set ${h.link} master ${h.bridge}`] : []), `link set ${h.link} up`];
}

/** An address of the zone to give its host: the third of its first range when there is one (not a .0). */
function zoneAddress(ranges: readonly { readonly lo: number; readonly hi: number }[]): string {
  const r = ranges[0]!;
  return formatIpv4(r.lo + 2 <= r.hi ? r.lo + 2 : r.lo);
}

/** A host's own side: address, default route via the gateway, and its listeners. */
async function hostSide(h: HostPlan, raw: boolean): Promise<Host> {
  // A /32 host reaches its gateway by a device route first (it is on no shared subnet).
  const onLink = h.prefix === 32 ? [`route add ${h.gateway}/32 dev eth0`] : [];
  await ipBatch(h.ns, ['link set lo up', `addr add ${h.address}/${h.prefix} dev eth0`, 'link set eth0 up', ...onLink, `route add default via ${h.gateway}`]);
  // One responder for tcp and udp: every port is redirected to it inside the host (nat PREROUTING, so the
  // router still sees the original port); it replaces ~100 listeners per host. Probes use distinct source
  // ports (see probes.ts): after the redirect, two flows from one source port would be one tuple.
  const redirect = (p: string): string => `-A PREROUTING -i eth0 -p ${p} -j REDIRECT --to-ports ${LISTEN_PORT}`;
  await inNs(h.ns, 'iptables-restore', ['-w'], { input: ['*nat', redirect('tcp'), redirect('udp'), 'COMMIT', ''].join('\n') });
  const host = { ns: h.ns, address: h.address, token: `tok-${h.ns.slice(RUN_PREFIX.length)}` };
  startInNs(h.ns, process.execPath, [AGENT, 'serve', host.token, String(LISTEN_PORT)]);
  // Raw-IP echo for `other` flows, only on destination hosts: two of them would answer each other forever.
  if (raw) startInNs(h.ns, 'socat', [`IP4-RECVFROM:${OTHER_PROTO},fork`, `EXEC:/bin/echo ${host.token}`]);
  await waitListening(host, raw);
  return host;
}

/** Waits (bounded) until a host's listeners are bound; a probe racing them would read "closed". */
async function waitListening(h: Host, raw: boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const out = (await inNs(h.ns, 'ss', ['-H', '-lntuw'])).stdout;
    if (/^tcp/m.test(out) && /^udp/m.test(out) && (!raw || /^raw/m.test(out))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`listeners in ${h.ns} did not come up`);
}

export async function buildLab(policy: Policy, tag: string): Promise<Lab> {
  const base = `${RUN_PREFIX}${tag}`;
  const router = `${base}-r`;
  const plans = policy.tiers.map((t, i) => {
    const [a1, a2] = hostAddresses(t);
    const plan = (k: number, address: string): HostPlan =>
      ({ ns: `${base}-t${i}h${k}`, link: `t${i}h${k}`, bridge: t.bridge, address, prefix: t.subnet.prefix, gateway: t.gateway });
    return [plan(1, a1), plan(2, a2)] as const;
  });
  const outside: HostPlan = { ns: `${base}-x`, link: 'x0', address: FOREIGN_NET.host, prefix: FOREIGN_NET.prefix, gateway: FOREIGN_NET.gw };
  // One host per external zone but the world (the foreign host is in it): a /32 behind a point-to-point
  // link whose router end is a link-local /32 (no subnet of the link can overlap a tier or a net).
  const zones = zonesOf(policy);
  if (zones.zoneOfAddress(parseIpv4(FOREIGN_NET.host)!, policy) !== WORLD) throw new Error(`the lab's outside host ${FOREIGN_NET.host} must be in no net of the policy`);
  const zonePlans = zones.external.filter((z) => z.name !== WORLD).map((z, k) => ({
    zone: z.name,
    plan: { ns: `${base}-z${k}`, link: `z${k}`, address: zoneAddress(z.ranges), prefix: 32, gateway: `169.254.${k + 1}.1` } satisfies HostPlan,
  }));
  await addNamespaces([router, ...plans.flat().map((h) => h.ns), outside.ns, ...zonePlans.map((z) => z.plan.ns)]);

  const links = ['link set lo up'];
  policy.tiers.forEach((t, i) => {
    links.push(`link add ${t.bridge} type bridge`, `addr add ${t.gateway}/${t.subnet.prefix} dev ${t.bridge}`, `link set ${t.bridge} up`);
    for (const h of plans[i]!) links.push(...routerSide(h));
  });
  links.push(...routerSide(outside), `addr add ${FOREIGN_NET.gw}/${FOREIGN_NET.prefix} dev x0`);
  for (const { plan } of zonePlans) links.push(...routerSide(plan), `addr add ${plan.gateway}/32 dev ${plan.link}`, `route add ${plan.address}/32 dev ${plan.link}`);
  await ipBatch(router, links);
  await inNs(router, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  // br_netfilter's switch is per namespace (Linux >= 5.3) and defaults to 1: bridged traffic between two
  // hosts of one tier then passes FORWARD, as on a Docker host. Checked, never written: on a kernel where
  // it were global, a write here would change the machine's own setting.
  const nf = (await inNs(router, 'cat', ['/proc/sys/net/bridge/bridge-nf-call-iptables'])).stdout.trim();
  if (nf !== '1') throw new Error(`bridge-nf-call-iptables is ${nf} in the test namespace; intra-tier traffic would bypass iptables`);

  const [tierHosts, foreign, zoneHosts] = await Promise.all([
    Promise.all(plans.map(async ([p1, p2]) => Promise.all([hostSide(p1, false), hostSide(p2, true)]))),
    hostSide(outside, false),
    Promise.all(zonePlans.map(async (z) => hostSide(z.plan, false))),
  ]);
  const hosts = new Map(policy.tiers.map((t, i) => [t.name, tierHosts[i]!]));
  const outsideHosts = new Map<string, Host>([...zonePlans.map((z, k): [string, Host] => [z.zone, zoneHosts[k]!]), [WORLD, foreign]]);
  const publishedPort = 80;
  const foreignRule = '-s 203.0.113.0/24 -m comment --comment "ops: keep TEST-NET-3 out" -j DROP';
  const published = { address: tierHosts[0]![0].address, bridge: policy.tiers[0]!.bridge, port: publishedPort };
  await inNs(router, 'iptables-restore', ['-w'], { input: dockerFilter(policy, published, foreignRule) });
  return { router, hosts, foreign, outside: outsideHosts, publishedPort, foreignRule };
}
