// docker tests: dual-stack tiers (tier option `ipv6`) installed by install.sh on a real dockerd in a lab
// namespace (test/lab/lab.ts). 28.5: the networks get IPv6 as compiled, rules.v6 is loaded into ip6tables,
// and IPv6 flows between the tiers are open or closed exactly as the Evaluator says; cleanup removes it.
// At the edge, an outside IPv6 host reaches published ports and egress goes out as the Evaluator says.
// 20.10: ip6tables has no DOCKER-USER chain (test/lab/NOTES.md), so install.sh refuses and changes nothing.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, run, startLab, type Lab, type Proto, type RunResult } from '../lab/lab.js';
import { Evaluator } from '../../src/eval/evaluate.js';
import { formatIpv4 } from '../../src/ir/ipv4.js';
import { formatIpv6, fromHex6 } from '../../src/ir/ipv6.js';
import { loadPolicy } from '../backends/installer/fixtures.js';
import { tempDir, writeInstaller } from '../backends/installer/support.js';
import { installer, tables } from './installer-lab.js';

// web and db are /64s, app an isolated /112 (tierwall does not require /64: see ir/lower-ipv6.ts); legacy is IPv4 only.
const POLICY = loadPolicy(`policy dual;
tier web 10.61.1.0/24 ipv6 fd00:61:1::/64;
tier app 10.61.2.0/24 ipv6 fd00:61:2::/112 isolated;
tier db 10.61.3.0/24 ipv6 fd00:61:3::/64;
tier legacy 10.61.4.0/24;
allow web -> app tcp/8080, icmp;
allow app -> db tcp/5432 log;
allow web -> db udp/53;
allow web -> legacy tcp/8080;
allow world -> web tcp/15480;
allow web -> world tcp/443;
default deny;
`, 'dual.policy');
const TCP = [8080, 5432];
const UDP = [53];
const DUAL = POLICY.tiers.filter((t) => t.ipv6);

function expectStatus(r: RunResult, status: number): void {
  expect(r.status, `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(status);
}

const ready = requireLabPrerequisites();
const has = (name: string): boolean => ready && engines().some((e) => e.name === name);

describe.skipIf(!has('28.5'))('dual-stack tiers on Docker 28.5', () => {
  let lab: Lab;
  let dir: string;
  let script: string;
  const apply = (args: string[] = []) => installer(lab, script, ['--root', join(dir, 'root'), ...args]);
  const addr6 = new Map<string, string>(); // container -> its IPv6 address

  /** IPv6 probe from a container: tcp nc, udp socat echo, icmp ping; bounded by timeouts. */
  async function probe6(from: string, to: string, proto: Proto, port = 0): Promise<'open' | 'closed'> {
    const o = { allowFail: true, timeoutMs: 30_000 };
    const r = proto === 'tcp' ? await lab.docker(['exec', from, 'nc', '-w', '2', to, String(port)], o)
      : proto === 'udp' ? await lab.docker(['exec', from, 'sh', '-c', 'echo tw-probe | timeout 4 socat -T 2 - "UDP6:[$1]:$2"', 'sh', to, String(port)], o)
        : await lab.docker(['exec', from, 'ping', '-c', '1', '-W', '1', to], o);
    if (r.status === null || r.status >= 125) throw new Error(`probe from ${from} failed (${r.status}): ${r.stderr}`);
    if (proto === 'udp') return r.stdout.includes('tw-probe') ? 'open' : 'closed';
    return r.status === 0 ? 'open' : 'closed';
  }

  beforeAll(async () => {
    dir = tempDir('dual');
    script = writeInstaller(POLICY, dir, 'install.sh');
    lab = await startLab(engines().find((e) => e.name === '28.5')!);
    await lab.buildProbeImage();
  }, 180_000);

  afterAll(() => {
    try { lab?.stop(); } finally { if (dir) rmSync(dir, { recursive: true, force: true }); }
  });

  it('refuses an IPv4-only network of a dual-stack tier\'s name and changes nothing', async () => {
    await lab.docker(['network', 'create', '--subnet', '10.61.1.0/24', '--gateway', '10.61.1.1', '-o', 'com.docker.network.bridge.name=tw-web', 'web']);
    const t0 = await tables(lab);
    const r = await apply();
    expectStatus(r, 1);
    expect(r.stderr).toContain('subnet and gateway are "10.61.1.0/24 10.61.1.1;", the policy has "10.61.1.0/24 10.61.1.1;fd00:61:1::/64 fd00:61:1::1;"');
    expect(r.stderr).toContain('EnableIPv6 is false, the policy has true');
    expect(await tables(lab)).toEqual(t0);
    await lab.docker(['network', 'rm', 'web']);
  }, 120_000);

  it('creates the networks dual-stack as compiled, loads rules.v6, and a second apply finds them equal', async () => {
    const r = await apply();
    expectStatus(r, 0);
    expect(r.stdout).toContain('IPv6 chain(s) in one ip6tables-restore transaction');
    for (const t of POLICY.tiers) {
      const ipam = (await lab.docker(['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}};{{end}} {{.EnableIPv6}}', t.name])).stdout.trim();
      expect(ipam).toBe(t.ipv6 ? `${t.subnet.text} ${t.gateway};${t.ipv6.text} ${t.ipv6.gateway}; true` : `${t.subnet.text} ${t.gateway}; false`);
    }
    const filter6 = (await lab.exec('ip6tables', ['-w', '5', '-S'])).stdout;
    expect(filter6).toContain('-A DOCKER-USER -m comment --comment "tierwall:dual" -j TW-DUAL');
    expect(filter6).toContain('-A TW-DUAL -d fd00:61:2::/112 -m comment --comment "dual:to:app" -j TW-DUAL_D');
    expect(filter6).not.toContain('10.61.');
    const again = await apply();
    expectStatus(again, 0);
    expect(again.stdout).not.toContain('created network');
  }, 240_000);

  it('--verify compares the IPv6 chains too: a deleted ip6tables rule is drift (exit 3), apply repairs it', async () => {
    const ok = await apply(['--verify']);
    expectStatus(ok, 0);
    expect(ok.stdout).toMatch(/no drift: \d+ chain\(s\) and \d+ IPv6 chain\(s\)/);
    await lab.exec('ip6tables', ['-w', '5', '-D', 'TW-DUAL', '-d', 'fd00:61:2::/112', '-m', 'comment', '--comment', 'dual:to:app', '-j', 'TW-DUAL_D']);
    const drifted = await apply(['--verify']);
    expectStatus(drifted, 3);
    expect(drifted.stdout).toContain('IPv6 chain TW-DUAL differs from the compiled policy');
    expect(drifted.stdout).toContain('< -A TW-DUAL -d fd00:61:2::/112 -m comment --comment "dual:to:app" -j TW-DUAL_D');
    expectStatus(await apply(), 0);
    expectStatus(await apply(['--verify']), 0);
  }, 240_000);

  it('IPv6 flows between the dual-stack tiers are open or closed as the Evaluator says', async () => {
    for (const t of DUAL) {
      for (const n of [10, 11]) {
        const name = `${t.name}-${n}`;
        const v6 = formatIpv6(fromHex6(t.ipv6!.hex) + BigInt(n));
        await lab.runContainer(name, t.name, { ip: formatIpv4(t.subnet.base + n), tcp: TCP, udp: UDP, runArgs: ['--ip6', v6] });
        // The probe image's udp listeners are IPv4 sockets (nc -l for tcp takes both): one IPv6 echo per port.
        for (const p of UDP) await lab.docker(['exec', '-d', name, 'socat', `UDP6-RECVFROM:${p},fork,reuseaddr,ipv6only=1`, 'EXEC:/bin/cat']);
        addr6.set(name, v6);
      }
    }
    const ev = new Evaluator(POLICY);
    const wrong: string[] = [];
    let open = 0;
    for (const a of DUAL) {
      for (const b of DUAL) {
        const from = `${a.name}-10`;
        const to = `${b.name}-11`;
        const flows: [Proto, number?][] = [...TCP.map((p): [Proto, number] => ['tcp', p]), ...UDP.map((p): [Proto, number] => ['udp', p]), ['icmp']];
        for (const [proto, port] of flows) {
          const expected = ev.evaluate({ src: a.name, dst: b.name, proto, ...(port === undefined ? {} : { port }) }).action === 'allow' ? 'open' : 'closed';
          const seen = await probe6(from, addr6.get(to)!, proto, port);
          if (expected === 'open') open++;
          if (seen !== expected) wrong.push(`${from} -> ${to} ${proto}${port ? `/${port}` : ''}: expected ${expected}, saw ${seen}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(open).toBeGreaterThan(5); // the matrix has both answers: intra-tier and the allowed pairs
    // The rules.v6 counters saw it: web -> app tcp/8080 was accepted by its line (wherever model.ts puts it).
    const counted = (await lab.exec('ip6tables', ['-w', '5', '-v', '-S'])).stdout;
    expect(counted).toMatch(/-s fd00:61:1::\/64 -d fd00:61:2::\/112 -p tcp -m tcp --dport 8080 .*-c [1-9]\d* /);
  }, 400_000);

  it('IPv6 at the edge: published ports and egress for an outside IPv6 host are open or closed as the Evaluator says', async () => {
    // An outside namespace joined to the lab by a veth, with an IPv6 address on each end (nodad: usable
    // at once). An IPv6 address outside the tiers is in `world` (nets are IPv4 ranges).
    const out = await lab.addOutside();
    const host6 = 'fd00:198::1';
    const outside6 = 'fd00:198::2';
    await run('ip', ['-n', lab.ns, 'addr', 'add', `${host6}/64`, 'dev', 'tw-up', 'nodad']);
    await run('ip', ['-n', out.ns, 'addr', 'add', `${outside6}/64`, 'dev', 'tw-out', 'nodad']);
    await lab.listenOutside('tcp', 443, { ipv6: true });
    await lab.listenOutside('tcp', 8443, { ipv6: true });
    // web publishes 8080 as 15480 (world may) and 8081 as 15482 (no rule); db publishes 5432 as 15481.
    await lab.runContainer('edge-web', 'web', { tcp: [8080, 8081], udp: [], runArgs: ['-p', '15480:8080', '-p', '15482:8081'] });
    await lab.runContainer('edge-db', 'db', { tcp: [5432], udp: [], runArgs: ['-p', '15481:5432'] });
    const ev = new Evaluator(POLICY);
    const want = (src: string, dst: string, port: number) => (ev.evaluate({ src, dst, proto: 'tcp', port }).action === 'allow' ? 'open' : 'closed');
    const fromOutside = async (port: number): Promise<'open' | 'closed'> => {
      const r = await lab.execOutside('timeout', ['10', '/bin/busybox', 'nc', '-w', '2', host6, String(port)], { allowFail: true, timeoutMs: 20_000 });
      return r.status === 0 && r.stdout.includes('ok') ? 'open' : 'closed';
    };
    const seen = {
      in15480: await fromOutside(15480),
      in15482: await fromOutside(15482),
      in15481: await fromOutside(15481),
      webOut443: await probe6('edge-web', outside6, 'tcp', 443),
      webOut8443: await probe6('edge-web', outside6, 'tcp', 8443),
      dbOut443: await probe6('edge-db', outside6, 'tcp', 443),
    };
    const expected = {
      in15480: want('world', 'web', 15480),
      in15482: want('world', 'web', 15482),
      in15481: want('world', 'db', 15481),
      webOut443: want('web', 'world', 443),
      webOut8443: want('web', 'world', 8443),
      dbOut443: want('db', 'world', 443),
    };
    expect(seen).toEqual(expected);
    expect(new Set(Object.values(expected))).toEqual(new Set(['open', 'closed'])); // both answers are asked for
    for (const name of ['edge-web', 'edge-db']) await lab.docker(['rm', '-f', name], { timeoutMs: 60_000 });
  }, 300_000);

  it('--cleanup removes the IPv6 jump and chains with the rest', async () => {
    for (const name of addr6.keys()) await lab.docker(['rm', '-f', name], { timeoutMs: 60_000 });
    const r = await apply(['--cleanup']);
    expectStatus(r, 0);
    expect(r.stdout).toContain('removed IPv6 chain(s)');
    const filter6 = (await lab.exec('ip6tables', ['-w', '5', '-S'])).stdout;
    expect(filter6).not.toContain('TW-DUAL');
    expect((await tables(lab)).filter).not.toContain('TW-DUAL');
  }, 240_000);
});

describe.skipIf(!has('20.10'))('dual-stack tiers on Docker 20.10', () => {
  let lab: Lab;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('dual20');
    // Even with IPv6 and ip6tables switched on as far as 20.10 goes, it has no ip6tables DOCKER-USER.
    lab = await startLab(engines().find((e) => e.name === '20.10')!, {
      daemonConfig: { experimental: true, ip6tables: true, ipv6: true, 'fixed-cidr-v6': 'fd00:61:ff::/64' },
    });
  }, 180_000);

  afterAll(() => {
    try { lab?.stop(); } finally { if (dir) rmSync(dir, { recursive: true, force: true }); }
  });

  it('install.sh refuses a policy with dual-stack tiers and changes nothing', async () => {
    const script = writeInstaller(POLICY, dir, 'install.sh');
    const t0 = await tables(lab);
    const nets0 = (await lab.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout;
    const r = await installer(lab, script, ['--root', join(dir, 'root')]);
    expectStatus(r, 1);
    expect(r.stderr).toContain('dual-stack tier(s) web, app, db need Docker\'s DOCKER-USER chain in ip6tables');
    expect(r.stderr).toContain('ip6tables has no DOCKER-USER chain');
    expect(await tables(lab)).toEqual(t0);
    expect((await lab.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout).toBe(nets0);
  }, 240_000);
});
