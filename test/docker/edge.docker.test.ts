// docker tests: tierwall's own ruleset at the Docker host's edge (issue 8), on both lab engines. install.sh
// (generated from EDGE) is applied in a lab; an "outside" namespace (Lab.addOutside) holds two addresses,
// one in the policy's net `office` and one only in `world`, and runs the listeners egress goes to. Every
// expectation comes from the Evaluator, asked about the zone of the probing address and the port the
// peer addressed (a published port's host port): the kernel must agree with it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, run, startLab, type Lab } from '../lab/lab.js';
import { loadPolicy } from '../backends/installer/fixtures.js';
import { tempDir, writeInstaller } from '../backends/installer/support.js';
import { installer } from './installer-lab.js';
import { Evaluator } from '../../src/eval/evaluate.js';

const OFFICE_ADDR = '203.0.113.9'; // a second address of the outside namespace, inside net office
const POLICY = loadPolicy(`
policy edge;
tier web 10.44.1.0/24 bridge tw-e-web;
tier db 10.44.2.0/24 bridge tw-e-db;
net office 203.0.113.0/24;
allow office -> db tcp/15432;
allow world -> web tcp/15433;
allow web -> db tcp/5432;
allow web -> world tcp/443;
allow web -> office tcp/8443;
default deny;
`, 'edge.policy');

const ready = requireLabPrerequisites();

describe.skipIf(!ready).each(ready ? engines().map((e) => [e.name, e] as const) : [])('edge traffic under tierwall on Docker %s', (_name, eng) => {
  let lab: Lab;
  let dir: string;
  let host = '';
  let world = '';
  const ev = new Evaluator(POLICY);
  const ip: Record<string, string> = {};

  /** TCP from the outside namespace, from `source`, to the lab host's published `port`: did it answer? */
  async function fromOutside(source: string, port: number): Promise<'open' | 'closed'> {
    // -u: only from the connection to stdout (the listener says `ok <peer>` at once).
    const r = await lab.execOutside('timeout', ['10', 'socat', '-u', '-T', '3', `TCP:${host}:${port},bind=${source},connect-timeout=3`, '-'],
      { allowFail: true, timeoutMs: 20_000 });
    return r.status === 0 && r.stdout.includes('ok') ? 'open' : 'closed';
  }

  /** The evaluator's word on a tcp flow from an outside address to a tier's published host port. */
  function expectedIn(source: string, tier: string, port: number): 'open' | 'closed' {
    const zone = ev.zoneOfAddress(source)!;
    return ev.evaluate({ src: zone, dst: tier, proto: 'tcp', port }).action === 'allow' ? 'open' : 'closed';
  }

  function expectedOut(tier: string, address: string, proto: 'tcp' | 'udp', port: number): 'open' | 'closed' {
    return ev.evaluate({ src: tier, dst: ev.zoneOfAddress(address)!, proto, port }).action === 'allow' ? 'open' : 'closed';
  }

  beforeAll(async () => {
    dir = tempDir('edge');
    const script = writeInstaller(POLICY, dir);
    lab = await startLab(eng);
    const a = await installer(lab, script, ['--root', join(dir, 'root'), '--no-persist']);
    expect(a.status, a.stderr).toBe(0);
    const out = await lab.addOutside();
    host = out.hostIp;
    world = out.ip;
    // The office address lives on the outside end of the link; the lab host routes it back there.
    await run('ip', ['-n', out.ns, 'addr', 'add', `${OFFICE_ADDR}/32`, 'dev', 'tw-out']);
    await run('ip', ['-n', lab.ns, 'route', 'add', `${OFFICE_ADDR}/32`, 'via', world]);
    await lab.listenOutside('tcp', 443);
    await lab.listenOutside('tcp', 8443);
    await lab.listenOutside('udp', 53);
    // db1 publishes 5432 twice (15432 for office, 15434 for nobody); web1 publishes 80 as 15433.
    ip.db1 = (await lab.runContainer('db1', 'db', { tcp: [5432], udp: [], runArgs: ['-p', '15432:5432', '-p', '15434:5432'] })).ip;
    ip.web1 = (await lab.runContainer('web1', 'web', { tcp: [80], udp: [], runArgs: ['-p', '15433:80'] })).ip;
    ip.web2 = (await lab.runContainer('web2', 'web', { tcp: [80], udp: [] })).ip;
  }, 300_000);

  afterAll(() => {
    try { lab?.stop(); } finally { if (dir) rmSync(dir, { recursive: true, force: true }); }
  });

  it('the outside addresses are in the zones the test means (office, world)', () => {
    expect(ev.zoneOfAddress(OFFICE_ADDR)).toBe('office');
    expect(ev.zoneOfAddress(world)).toBe('world');
  });

  it.each([
    ['office', OFFICE_ADDR, 'db', 15432],
    ['world', 'its link address', 'db', 15432],
    ['office', OFFICE_ADDR, 'web', 15433],
    ['world', 'its link address', 'web', 15433],
    ['office', OFFICE_ADDR, 'db', 15434],
    ['world', 'its link address', 'db', 15434],
  ] as const)('published ports: from %s (%s) to %s on host port %i as the evaluator says', async (_zone, addr, tier, port) => {
    const source = addr === OFFICE_ADDR ? addr : world;
    const want = expectedIn(source, tier, port);
    expect(await fromOutside(source, port)).toBe(want);
  });

  it('the expectations above are not all alike (the test can tell open from closed)', () => {
    const all = [[OFFICE_ADDR, 'db', 15432], [world, 'db', 15432], [world, 'db', 15434]].map(([a, t, p]) => expectedIn(a as string, t as string, p as number));
    expect(new Set(all)).toEqual(new Set(['open', 'closed']));
  });

  it.each([
    ['web1', 'web', 'tcp', 443],
    ['web1', 'web', 'tcp', 8443],
    ['db1', 'db', 'tcp', 443],
    ['web1', 'web', 'udp', 53],
  ] as const)('egress: %s (%s) to the outside host %s/%i as the evaluator says', async (from, tier, proto, port) => {
    expect(await lab.probe(from, world, proto, port)).toBe(expectedOut(tier, world, proto, port));
  });

  it('egress to a net is told apart from egress to world (tcp/8443 is allowed to office only)', async () => {
    // Both addresses are the outside host's; tcp (not udp: the echo would answer from the other address).
    expect(expectedOut('web', OFFICE_ADDR, 'tcp', 8443)).toBe('open');
    expect(expectedOut('web', world, 'tcp', 8443)).toBe('closed');
    expect(await lab.probe('web1', OFFICE_ADDR, 'tcp', 8443)).toBe('open');
    expect(await lab.probe('web1', world, 'tcp', 8443)).toBe('closed');
  });

  it('between tiers the policy still holds (web -> db tcp/5432 allowed, db -> web denied)', async () => {
    expect(await lab.probe('web1', ip.db1!, 'tcp', 5432)).toBe('open');
    expect(await lab.probe('db1', ip.web1!, 'tcp', 80)).toBe('closed');
  });

  it("Docker's embedded DNS keeps resolving a container name although egress to world is limited to tcp/443", async () => {
    const r = await lab.docker(['exec', 'web1', 'timeout', '10', '/bin/busybox', 'nslookup', 'web2'], { allowFail: true, timeoutMs: 30_000 });
    expect(r.stdout).toContain('127.0.0.11');
    expect(r.stdout).toMatch(new RegExp(`Address:\\s+${ip.web2!.replace(/\./g, '\\.')}\\b`));
  });
});
