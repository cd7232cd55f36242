// test/lab/harness.lab.test.ts — the lab harness itself, once per engine (20.10 bookworm, 28.5 sid):
// netns + dockerd -> two bridge networks, probe containers, Docker's FORWARD/DOCKER-USER chains,
// a dockerd restart, and a teardown that leaves no namespace, process or directory behind.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engines, labNamespaces, NS_PREFIX, pidAlive, requireLabPrerequisites, startLab } from './lab.js';

// Under CI=true a missing prerequisite throws here and fails the file; elsewhere the tests are skipped.
const ready = requireLabPrerequisites();

describe.skipIf(!ready)('lab harness', () => {
  for (const eng of ready ? engines() : []) {
    it(`engine ${eng.name} (${eng.version}): networks, probes, DOCKER-USER, restart, teardown`, async () => {
      const lab = await startLab(eng);
      const pids = [lab.pid];
      try {
        expect(labNamespaces(NS_PREFIX)).toEqual([lab.ns]);
        const net = (name: string, subnet: string, bridge: string) => lab.docker(['network', 'create', '--driver', 'bridge',
          '--subnet', subnet, '-o', `com.docker.network.bridge.name=${bridge}`, name]);
        await net('net-a', '10.99.1.0/24', 'tw-a');
        await net('net-b', '10.99.2.0/24', 'tw-b');
        const a1 = await lab.runContainer('a1', 'net-a', { ip: '10.99.1.10', tcp: [80, 8080], udp: [53] });
        const a2 = await lab.runContainer('a2', 'net-a', { ip: '10.99.1.11' });
        const b1 = await lab.runContainer('b1', 'net-b', { ip: '10.99.2.10' });
        expect([a1.ip, a2.ip, b1.ip]).toEqual(['10.99.1.10', '10.99.1.11', '10.99.2.10']);

        // Same network: everything listening is reachable; a port nobody listens on is not.
        expect(await lab.probe('a2', a1.ip, 'tcp', 80)).toBe('open');
        expect(await lab.probe('a2', a1.ip, 'tcp', 8080)).toBe('open');
        expect(await lab.probe('a2', a1.ip, 'udp', 53)).toBe('open');
        expect(await lab.probe('a2', a1.ip, 'icmp')).toBe('open');
        expect(await lab.probe('a2', a1.ip, 'tcp', 81)).toBe('closed');
        expect(await lab.probe('a2', a1.ip, 'udp', 54)).toBe('closed');
        // Across networks Docker's own isolation drops the flow (no user rule yet).
        expect(await lab.probe('a1', b1.ip, 'tcp', 80)).toBe('closed');

        // Docker's chains live in the lab namespace, FORWARD jumps to DOCKER-USER first.
        const filter = await lab.iptables('filter');
        expect(filter).toMatch(/^-N DOCKER-USER$/m);
        expect(filter.split('\n').find((l) => l.startsWith('-A FORWARD'))).toBe('-A FORWARD -j DOCKER-USER');

        // A user rule in DOCKER-USER survives a dockerd restart; the jump is still first in FORWARD.
        await lab.exec('iptables', ['-w', '5', '-I', 'DOCKER-USER', '-s', '10.99.9.0/24', '-j', 'DROP']);
        await lab.restartDockerd();
        pids.push(lab.pid);
        expect(pids[1]).not.toBe(pids[0]);
        expect(pidAlive(pids[0]!)).toBe(false);
        const after = await lab.iptables('filter');
        expect(after).toMatch(/^-A DOCKER-USER -s 10\.99\.9\.0\/24 -j DROP$/m);
        expect(after.split('\n').find((l) => l.startsWith('-A FORWARD'))).toBe('-A FORWARD -j DOCKER-USER');
        expect((await lab.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout).toMatch(/^net-b$/m);
      } finally {
        lab.stop();
      }
      lab.stop(); // idempotent
      for (const pid of pids) expect(pidAlive(pid)).toBe(false);
      // Other sessions' labs may exist at the same time: only this process's `tw-<pid>-*` names are ours.
      expect(labNamespaces(NS_PREFIX)).toEqual([]);
      expect(pidAlive(lab.reaperPid)).toBe(false);
      expect(existsSync(`/run/netns/${lab.ns}`)).toBe(false);
      expect(existsSync(lab.dir)).toBe(false);
    }, 240_000);
  }
});
