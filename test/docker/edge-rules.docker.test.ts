// docker tests: which hand-written DOCKER-USER rules govern traffic across the Docker host's edge (issue 8),
// proved with real probes on both lab engines before the backend is written. One lab per engine
// (test/lab/lab.ts) with an "outside" namespace (Lab.addOutside, 198.18.0.0/30) playing a host on the Internet.
// The rules here are NOT tierwall output: they are the shapes the backend will emit, measured. Facts and
// surprises are written up in test/lab/NOTES.md, "Edge traffic".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, run, startLab, type Lab } from '../lab/lab.js';

const TIER = '10.43.1.0/24'; // the tier network `edge` (bridge tw-edge)
const TIERS = '10.43.0.0/16'; // every tier subnet of this lab lies inside it
const OUTSIDE_NET = '198.18.0.0/30'; // the lab <-> outside link (Lab.addOutside)

// Established traffic first, as tierwall's own chains do.
const ESTABLISHED = '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT';

const ready = requireLabPrerequisites();

describe.skipIf(!ready).each(ready ? engines().map((e) => [e.name, e] as const) : [])('edge rules in DOCKER-USER on Docker %s', (name, eng) => {
  let lab: Lab;
  const ip: Record<string, string> = {};
  let host = '';
  let outsideIp = '';

  /** Replace DOCKER-USER with `rules` (then RETURN, as 20.10 keeps it), counters zeroed. */
  async function userRules(rules: readonly string[]): Promise<void> {
    await lab.exec('iptables', ['-w', '5', '-F', 'DOCKER-USER']);
    for (const r of [...rules, '-j RETURN']) await lab.exec('iptables', ['-w', '5', '-A', 'DOCKER-USER', ...r.split(' ')]);
  }

  /** Packets counted by each DOCKER-USER rule, in order (index i = the i-th rule given to userRules). */
  async function counters(): Promise<number[]> {
    const out = (await lab.exec('iptables', ['-w', '5', '-v', '-S', 'DOCKER-USER'])).stdout;
    // iptables-nft prints the counters before the target: `-A DOCKER-USER <matches> -c <packets> <bytes> -j X`.
    return out.split('\n').filter((l) => l.startsWith('-A DOCKER-USER ')).map((l) => Number(/ -c (\d+) \d+/.exec(l)?.[1] ?? NaN));
  }

  /** `nc` from a container to the outside listener: what it answered ('ok <peer>:<port>'), '' when closed. */
  async function answerFromOutside(from: string, port: number): Promise<string> {
    const r = await lab.docker(['exec', from, 'timeout', '10', 'nc', '-w', '2', outsideIp, String(port)], { allowFail: true, timeoutMs: 30_000 });
    return r.status === 0 ? r.stdout.trim() : '';
  }

  beforeAll(async () => {
    lab = await startLab(eng);
    await lab.docker(['network', 'create', '--driver', 'bridge', '--subnet', TIER, '-o', 'com.docker.network.bridge.name=tw-edge', 'edge']);
    const out = await lab.addOutside();
    host = out.hostIp;
    outsideIp = out.ip;
    await lab.listenOutside('tcp', 443);
    await lab.listenOutside('tcp', 8080);
    await lab.listenOutside('udp', 53);
    // db1 publishes 5432 as 15432 and also listens on 8000 (not published); web1 publishes 80 as 15433.
    ip.db1 = (await lab.runContainer('db1', 'edge', { ip: '10.43.1.10', tcp: [5432, 8000], udp: [], runArgs: ['-p', '15432:5432'] })).ip;
    ip.web1 = (await lab.runContainer('web1', 'edge', { ip: '10.43.1.11', tcp: [80], udp: [], runArgs: ['-p', '15433:80'] })).ip;
  }, 300_000);

  afterAll(() => lab?.stop());

  describe('A. ingress to published ports', () => {
    it('without DOCKER-USER rules both published ports answer from outside', async () => {
      await userRules([]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('open');
      expect(await lab.probeFromOutside(host, 15433)).toBe('open');
    });

    it('--ctorigdstport <host port> --ctdir ORIGINAL opens one published port, the default deny closes the other', async () => {
      const accept = `-s ${OUTSIDE_NET} -d ${TIER} -p tcp -m conntrack --ctorigdstport 15432 --ctdir ORIGINAL -j ACCEPT`;
      const deny = `! -s ${TIERS} -d ${TIER} -j DROP`;
      await userRules([ESTABLISHED, accept, deny]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('open');
      expect(await lab.probeFromOutside(host, 15433)).toBe('closed');
      const c = await counters();
      expect(c[1]).toBe(1); // the SYN; everything after it is ESTABLISHED
      expect(c[0]).toBeGreaterThan(0); // replies and the rest of the connection
      expect(c[2]).toBeGreaterThan(0); // 15433's SYN (and its retransmissions)
    });

    it('DOCKER-USER sees the container port after DNAT: --dport 15432 never matches, --dport 5432 does', async () => {
      const deny = `! -s ${TIERS} -d ${TIER} -j DROP`;
      await userRules([ESTABLISHED, `-s ${OUTSIDE_NET} -d ${TIER} -p tcp --dport 15432 -j ACCEPT`, deny]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('closed');
      await userRules([ESTABLISHED, `-s ${OUTSIDE_NET} -d ${TIER} -p tcp --dport 5432 -j ACCEPT`, deny]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('open');
      expect(await lab.probeFromOutside(host, 15433)).toBe('closed');
    });

    it('--ctorigdst is the host address the peer connected to, not the container', async () => {
      const deny = `! -s ${TIERS} -d ${TIER} -j DROP`;
      await userRules([ESTABLISHED, `-d ${TIER} -p tcp -m conntrack --ctorigdst ${host} --ctorigdstport 15432 -j ACCEPT`, deny]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('open');
      await userRules([ESTABLISHED, `-d ${TIER} -p tcp -m conntrack --ctorigdst ${ip.db1} --ctorigdstport 15432 -j ACCEPT`, deny]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('closed');
      // The conntrack entry of the answered connection: original tuple to the host port, reply from the container.
      const ct = (await lab.exec('conntrack', ['-L', '-p', 'tcp', '--orig-port-dst', '15432'], { allowFail: true })).stdout;
      expect(ct).toMatch(new RegExp(`src=${outsideIp} dst=${host} sport=\\d+ dport=15432 src=${ip.db1} dst=${outsideIp} sport=5432 `));
    });

    it('without the ESTABLISHED line the connection still works: later packets match --ctdir ORIGINAL again, replies come from the tier', async () => {
      const accept = `-s ${OUTSIDE_NET} -d ${TIER} -p tcp -m conntrack --ctorigdstport 15432 --ctdir ORIGINAL -j ACCEPT`;
      await userRules([accept, `! -s ${TIERS} -d ${TIER} -j DROP`]);
      expect(await lab.probeFromOutside(host, 15432)).toBe('open');
      const c = await counters();
      expect(c[0]).toBeGreaterThan(1);
      expect(c[1]).toBe(0);
    });
  });

  describe('B. egress from a tier to the outside', () => {
    it('without DOCKER-USER rules everything answers, and the listener sees the host address (MASQUERADE)', async () => {
      await userRules([]);
      expect(await answerFromOutside('web1', 443)).toMatch(new RegExp(`^ok ${host.replace(/\./g, '\\.')}:\\d+$`));
      expect(await lab.probe('web1', outsideIp, 'tcp', 8080)).toBe('open');
      expect(await lab.probe('web1', outsideIp, 'udp', 53)).toBe('open');
    });

    it('-s <tier> -d <outside> --dport 443 ACCEPT then -s <tier> ! -d <tiers> DROP: 443 answers, 8080 and udp 53 do not', async () => {
      const allow = `-s ${TIER} -d ${OUTSIDE_NET} -p tcp -m tcp --dport 443 -j ACCEPT`;
      const drop = `-s ${TIER} ! -d ${TIERS} -j DROP`;
      await userRules([ESTABLISHED, allow, drop]);
      expect(await answerFromOutside('web1', 443)).toMatch(new RegExp(`^ok ${host.replace(/\./g, '\\.')}:\\d+$`));
      expect(await lab.probe('web1', outsideIp, 'tcp', 8080)).toBe('closed');
      expect(await lab.probe('web1', outsideIp, 'udp', 53)).toBe('closed');
      // DOCKER-USER saw the container as source and the real port: MASQUERADE comes later, in POSTROUTING.
      const c = await counters();
      expect(c[1]).toBe(1);
      expect(c[2]).toBeGreaterThan(0);
    });

    it('per-destination form: -d <outside host>/32 -p udp --dport 53 ACCEPT, then -d <outside net> DROP', async () => {
      await userRules([ESTABLISHED, `-s ${TIER} -d ${outsideIp}/32 -p udp -m udp --dport 53 -j ACCEPT`, `-s ${TIER} -d ${OUTSIDE_NET} -j DROP`]);
      expect(await lab.probe('web1', outsideIp, 'udp', 53)).toBe('open');
      expect(await lab.probe('web1', outsideIp, 'tcp', 443)).toBe('closed');
    });
  });

  it('C. the embedded DNS (127.0.0.11) resolves a container name while egress to everything non-tier is dropped', async () => {
    await userRules([ESTABLISHED, `-s ${TIER} ! -d ${TIERS} -j DROP`]);
    expect(await lab.probe('web1', outsideIp, 'tcp', 443)).toBe('closed');
    const r = await lab.docker(['exec', 'web1', 'timeout', '10', '/bin/busybox', 'nslookup', 'db1'], { allowFail: true, timeoutMs: 30_000 });
    expect(r.stdout).toContain('127.0.0.11');
    expect(r.stdout).toMatch(new RegExp(`Address:\\s+${ip.db1!.replace(/\./g, '\\.')}\\b`));
  });

  describe('D. routed (non-NAT) access from outside straight to a container address', () => {
    // Measured: 20.10 forwards it (Docker's own DOCKER chain accepts the container's published port, DOCKER-USER
    // can accept any port); 28.5 drops it in raw PREROUTING before DOCKER-USER whatever DOCKER-USER says.
    const routed = name === '20.10';
    beforeAll(async () => {
      await run('ip', ['-n', lab.outside!.ns, 'route', 'replace', TIER, 'via', host]);
    });

    it('without DOCKER-USER rules', async () => {
      await userRules([]);
      expect(await lab.probeFromOutside(ip.db1!, 5432)).toBe(routed ? 'open' : 'closed'); // published container port
      expect(await lab.probeFromOutside(ip.db1!, 8000)).toBe('closed'); // not published
    });

    it(`with -s ${OUTSIDE_NET} -d ${TIER} -j ACCEPT`, async () => {
      await userRules([ESTABLISHED, `-s ${OUTSIDE_NET} -d ${TIER} -j ACCEPT`]);
      expect(await lab.probeFromOutside(ip.db1!, 5432)).toBe(routed ? 'open' : 'closed');
      expect(await lab.probeFromOutside(ip.db1!, 8000)).toBe(routed ? 'open' : 'closed');
      if (!routed) {
        const raw = (await lab.exec('iptables', ['-w', '5', '-t', 'raw', '-v', '-S', 'PREROUTING'])).stdout;
        expect(raw).toMatch(new RegExp(`-A PREROUTING -d ${ip.db1}/32 ! -i tw-edge -c [1-9]\\d* \\d+ -j DROP`));
      }
    });
  });
});

// D (28.5 only). The bridge option gateway_mode_ipv4 decides routed access on 28.5: `routed` drops the raw rules
// and the NAT (no MASQUERADE, no DNAT: the host port is dead) and leaves the container's filter rules, so DOCKER-USER
// decides; `nat-unprotected` keeps the NAT, drops the raw rules and accepts every routed port in DOCKER.
const GATEWAY_MODES = [
  { mode: 'routed', subnet: '10.43.3.0/24', ctr: '10.43.3.10', hostPort: 15434,
    expected: { published: 'closed', routedPublished: 'open', routedUnpublished: 'closed', userAccept: 'open' } },
  { mode: 'nat-unprotected', subnet: '10.43.4.0/24', ctr: '10.43.4.10', hostPort: 15435,
    expected: { published: 'open', routedPublished: 'open', routedUnpublished: 'open', userAccept: 'open' } },
] as const;

const has28 = ready && engines().some((e) => e.name === '28.5');

describe.skipIf(!has28)('D. routed access on Docker 28.5 per gateway_mode_ipv4', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab(engines().find((e) => e.name === '28.5')!);
    const out = await lab.addOutside();
    for (const [i, g] of GATEWAY_MODES.entries()) {
      await lab.docker(['network', 'create', '--driver', 'bridge', '--subnet', g.subnet, '-o', `com.docker.network.bridge.name=tw-gw${i}`,
        '-o', `com.docker.network.bridge.gateway_mode_ipv4=${g.mode}`, `gw-${g.mode}`]);
      await lab.runContainer(`gw${i}`, `gw-${g.mode}`, { ip: g.ctr, tcp: [5432, 8000], udp: [], runArgs: ['-p', `${g.hostPort}:5432`] });
      await run('ip', ['-n', out.ns, 'route', 'replace', g.subnet, 'via', out.hostIp]);
    }
  }, 300_000);

  afterAll(() => lab?.stop());

  it.each(GATEWAY_MODES)('gateway_mode_ipv4=$mode', async (g) => {
    await lab.exec('iptables', ['-w', '5', '-F', 'DOCKER-USER']);
    const got: Record<string, string> = {
      published: await lab.probeFromOutside(lab.outside!.hostIp, g.hostPort),
      routedPublished: await lab.probeFromOutside(g.ctr, 5432),
      routedUnpublished: await lab.probeFromOutside(g.ctr, 8000),
    };
    await lab.exec('iptables', ['-w', '5', '-A', 'DOCKER-USER', '-s', OUTSIDE_NET, '-d', g.subnet, '-j', 'ACCEPT']);
    got.userAccept = await lab.probeFromOutside(g.ctr, 8000);
    expect(got).toEqual(g.expected);
    expect(await lab.iptables('raw')).not.toContain(g.ctr);
  });
});

// E. IPv6: a dual-stack tier network, an outside host with an IPv6 address on the link, and ip6tables.
// 20.10 needs `experimental` + `ip6tables` in daemon.json for any ip6tables rule; 28.5 writes them by default.
const V6 = {
  tier: 'fd00:43:9::/64',
  tiers: 'fd00:43::/32',
  ctr: 'fd00:43:9::10',
  host: 'fd00:198::1',
  outside: 'fd00:198::2',
  link: 'fd00:198::/64',
} as const;

const V6_CONFIGS: readonly (readonly [string, string, Record<string, unknown>])[] = [
  ['20.10', 'default daemon.json', {}],
  ['20.10', 'experimental + ip6tables', { experimental: true, ip6tables: true, ipv6: true, 'fixed-cidr-v6': 'fd00:43:ff::/64' }],
  ['28.5', 'default daemon.json', {}],
];

/** What each configuration was measured to do (see NOTES.md, "Edge traffic", IPv6). */
// dnat: ip6tables nat DNATs the published port (else only docker-proxy on [::] answers it, outside FORWARD).
const V6_EXPECTED: Record<string, { userChain: boolean; dnat: boolean; routedPublished: string; routedUnpublished: string; published: string }> = {
  '20.10 default daemon.json': { userChain: false, dnat: false, routedPublished: 'open', routedUnpublished: 'open', published: 'open' },
  '20.10 experimental + ip6tables': { userChain: false, dnat: true, routedPublished: 'open', routedUnpublished: 'closed', published: 'open' },
  '28.5 default daemon.json': { userChain: true, dnat: true, routedPublished: 'closed', routedUnpublished: 'closed', published: 'open' },
};

const v6Cases = ready ? V6_CONFIGS.filter(([n]) => engines().some((e) => e.name === n)) : [];

describe.skipIf(!ready).each(v6Cases)('E. IPv6 on Docker %s, %s', (engName, what, daemonConfig) => {
  let lab: Lab;
  const key = `${engName} ${what}`;

  /**
   * From the outside namespace over IPv6: does tcp [addr]:port answer? (busybox nc, 2 s, bounded by
   * timeout 10.) Twice before saying closed: the first packets of a fresh IPv6 path can be lost while
   * neighbours are resolved (seen once on a loaded machine), and a retry can never open a closed port.
   */
  async function probe6(addr: string, port: number): Promise<'open' | 'closed'> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await lab.execOutside('timeout', ['10', '/bin/busybox', 'nc', '-w', '2', addr, String(port)], { allowFail: true, timeoutMs: 20_000 });
      if (r.status === 0 && r.stdout.includes('ok')) return 'open';
    }
    return 'closed';
  }

  beforeAll(async () => {
    lab = await startLab(engines().find((e) => e.name === engName)!, { daemonConfig });
    await lab.docker(['network', 'create', '--driver', 'bridge', '--ipv6', '--subnet', '10.43.9.0/24', '--subnet', V6.tier,
      '-o', 'com.docker.network.bridge.name=tw-edge6', 'edge6']);
    const out = await lab.addOutside();
    // An IPv6 address on each end of the link (nodad: usable at once), the tier routed via the lab host.
    await run('ip', ['-n', lab.ns, 'addr', 'add', `${V6.host}/64`, 'dev', 'tw-up', 'nodad']);
    await run('ip', ['-n', out.ns, 'addr', 'add', `${V6.outside}/64`, 'dev', 'tw-out', 'nodad']);
    await run('ip', ['-n', out.ns, '-6', 'route', 'add', V6.tier, 'via', V6.host]);
    // 80 published as 15480, 8000 as 15481, 9000 not published.
    await lab.runContainer('v1', 'edge6', { tcp: [80, 8000, 9000], udp: [], runArgs: ['--ip6', V6.ctr, '-p', '15480:80', '-p', '15481:8000'] });
  }, 300_000);

  afterAll(() => lab?.stop());

  it('ip6tables DOCKER-USER, routed and published IPv6 access from outside', async () => {
    const filter6 = (await lab.exec('ip6tables', ['-w', '5', '-S'])).stdout;
    const nat6 = (await lab.exec('ip6tables', ['-w', '5', '-t', 'nat', '-S'])).stdout;
    const got = {
      userChain: filter6.split('\n').includes('-N DOCKER-USER'),
      dnat: /--dport 15480 -j DNAT --to-destination \[fd00:43:9::10\]:80$/m.test(nat6),
      routedPublished: await probe6(V6.ctr, 80),
      routedUnpublished: await probe6(V6.ctr, 9000),
      published: await probe6(V6.host, 15480),
    };
    expect(got).toEqual(V6_EXPECTED[key]);
  });

  it('where ip6tables has DOCKER-USER, the ingress rule of A works for IPv6 published ports too', async () => {
    const filter6 = (await lab.exec('ip6tables', ['-w', '5', '-S'])).stdout;
    if (!V6_EXPECTED[key]!.userChain) {
      expect(filter6).not.toContain('DOCKER-USER');
      return;
    }
    const ip6 = (args: string) => lab.exec('ip6tables', ['-w', '5', ...args.split(' ')]);
    await ip6('-F DOCKER-USER');
    await ip6('-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
    await ip6(`-A DOCKER-USER -s ${V6.link} -d ${V6.tier} -p tcp -m conntrack --ctorigdstport 15480 --ctdir ORIGINAL -j ACCEPT`);
    await ip6(`-A DOCKER-USER ! -s ${V6.tiers} -d ${V6.tier} -j DROP`);
    expect(await probe6(V6.host, 15480)).toBe('open');
    expect(await probe6(V6.host, 15481)).toBe('closed');
  });
});
