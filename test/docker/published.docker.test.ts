// docker tests: who outside the host reaches a published port once a policy is applied. Evidence for
// the `publish-wildcard` warning (docs/semantics.md, "Published ports") and the ground issue 8 builds
// on: Docker DNATs a published port in nat PREROUTING, before FORWARD and DOCKER-USER, and tierwall's
// chains decide only traffic between tiers, so a port published on 0.0.0.0 answers a host outside every
// tier even where the policy's default is deny; a port bound to 127.0.0.1 does not. One lab per engine
// (test/lab/lab.ts) with an "outside" namespace joined to it by a veth pair (Lab.addOutside).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, startLab, type Lab } from '../lab/lab.js';
import { loadPolicy } from '../backends/installer/fixtures.js';
import { tempDir, writeInstaller } from '../backends/installer/support.js';
import { installer } from './installer-lab.js';

const POLICY = loadPolicy(`
policy edge;
tier web 10.41.1.0/24 bridge tw-edge-web;
tier db 10.41.2.0/24 bridge tw-edge-db;
allow web -> db tcp/5432;
default deny;
`, 'edge.policy');

const ready = requireLabPrerequisites();

describe.skipIf(!ready).each(ready ? engines().map((e) => [e.name, e] as const) : [])('published ports on Docker %s', (_name, eng) => {
  let lab: Lab;
  let dir: string;
  const ip: Record<string, string> = {};

  beforeAll(async () => {
    dir = tempDir('published');
    const script = writeInstaller(POLICY, dir);
    lab = await startLab(eng);
    const a = await installer(lab, script, ['--root', join(dir, 'root'), '--no-persist']);
    expect(a.status, a.stderr).toBe(0);
    await lab.addOutside();
    // db1 publishes 5432 on every host address, db2 only on loopback; web1 publishes nothing.
    ip.db1 = (await lab.runContainer('db1', 'db', { tcp: [5432], udp: [], runArgs: ['-p', '15432:5432'] })).ip;
    ip.db2 = (await lab.runContainer('db2', 'db', { tcp: [5432], udp: [], runArgs: ['-p', '127.0.0.1:15433:5432'] })).ip;
    ip.web1 = (await lab.runContainer('web1', 'web', { tcp: [80], udp: [] })).ip;
  }, 300_000);

  afterAll(() => {
    try { lab?.stop(); } finally { if (dir) rmSync(dir, { recursive: true, force: true }); }
  });

  it('the policy holds between tiers (web -> db tcp/5432 allowed, db -> web denied)', async () => {
    expect(await lab.probe('web1', ip.db1!, 'tcp', 5432)).toBe('open');
    expect(await lab.probe('db1', ip.web1!, 'tcp', 80)).toBe('closed');
  });

  it('a port published on 0.0.0.0 answers a host outside every tier although the default is deny', async () => {
    expect(await lab.probeFromOutside(lab.outside!.hostIp, 15432)).toBe('open');
  });

  it('a port published on 127.0.0.1 does not answer from outside', async () => {
    expect(await lab.probeFromOutside(lab.outside!.hostIp, 15433)).toBe('closed');
  });
});
