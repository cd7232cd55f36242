// docker tests: install.sh against a real dockerd in a lab namespace (test/lab/lab.ts), one lab per
// engine shared by the steps below, which run in order and build on each other: refusal, apply (twice),
// the reachability matrix against the Evaluator, verify, rollback, dockerd restart, cleanup, a second policy.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, startLab, type Engine, type Lab, type RunResult } from '../lab/lab.js';
import { installerModel } from '../../src/backends/installer/backend.js';
import { mesh, threeTier, threeTierV2 } from '../backends/installer/fixtures.js';
import { sh, tempDir, which, writeInstaller } from '../backends/installer/support.js';
import { chainLines, failingRestore, installer, mismatches, reachability, startProbes, tables, withoutChain, type Tables } from './installer-lab.js';

const V1 = threeTier();
const MODEL = installerModel(V1);
const OWN = /^-[NA] TW-THREE-TIER/m;
const FOREIGN = '-A DOCKER-USER -s 10.99.9.0/24 -j DROP';
// Ports every probe container listens on: the rules' ports and 81, which no rule allows.
const TCP = [8080, 5432, 81];

/** The exit status, with the run's output as the failure message. */
function expectStatus(r: RunResult, status: number): void {
  expect(r.status, `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(status);
}
const UDP = [53];

export function installerSuite(label: string, pick: (e: Engine) => boolean): void {
  const ready = requireLabPrerequisites();
  const eng = ready ? engines().find(pick) : undefined;
  if (ready && !eng) throw new Error(`no engine ${label} (have ${engines().map((e) => e.name).join(', ')})`);

  describe.skipIf(!eng)(`install.sh on Docker ${label}`, () => {
    let lab: Lab;
    let dir: string;
    let root: string;
    const script: Record<string, string> = {};
    let before: Tables; // before tierwall touched anything
    let applied: Tables; // after the first apply
    const timings: [string, number][] = [];
    const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try { return await fn(); } finally { timings.push([what, performance.now() - t0]); }
    };
    const apply = (s: string, args: string[] = [], path: string[] = []) => installer(lab, s, ['--root', root, ...args], path);
    // --root everywhere keeps even the lock file inside the test tree.
    const verify = (s = script.v1!) => installer(lab, s, ['--verify', '--root', root]);

    beforeAll(async () => {
      dir = tempDir('docker');
      root = join(dir, 'root');
      script.v1 = writeInstaller(V1, dir, 'v1/install.sh');
      script.v2 = writeInstaller(threeTierV2(), dir, 'v2/install.sh');
      script.mesh = writeInstaller(mesh(), dir, 'mesh/install.sh');
      lab = await timed('lab start', () => startLab(eng!));
      await timed('probe image', () => lab.buildProbeImage());
      before = await tables(lab);
    }, 180_000);

    afterAll(() => {
      try { lab?.stop(); } finally { rmSync(dir, { recursive: true, force: true }); }
      console.log(`install.sh on Docker ${eng!.version}:\n${timings.map(([w, ms]) => `  ${(ms / 1000).toFixed(1).padStart(5)} s  ${w}`).join('\n')}`);
    });

    it('refuses a network of a tier\'s name with another subnet and changes nothing', async () => {
      await lab.docker(['network', 'create', '--subnet', '172.20.99.0/24', '-o', 'com.docker.network.bridge.name=app-bridge', 'backend']);
      const t0 = await tables(lab);
      const nets0 = (await lab.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout;
      const r = await timed('refused apply', () => apply(script.v1!));
      expectStatus(r, 1);
      expect(r.stderr).toContain('network backend exists but differs from policy three-tier:');
      expect(r.stderr).toContain('subnet and gateway are "172.20.99.0/24 ;", the policy has "172.20.2.0/24 172.20.2.1;"');
      expect(r.stderr).toContain('docker network rm backend');
      expect(await tables(lab)).toEqual(t0);
      expect((await lab.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout).toBe(nets0);
      expect(existsSync(join(root, 'etc'))).toBe(false);
      await lab.docker(['network', 'rm', 'backend']);
      expect(await tables(lab)).toEqual(before);
    }, 120_000);

    it('applies (twice at once: the lock serialises them); again later: every table byte-identical; no drift', async () => {
      const both = await timed('2 concurrent applies', () => Promise.all([apply(script.v1!), apply(script.v1!)]));
      for (const r of both) {
        expect(r.stderr).toBe('');
        expectStatus(r, 0);
      }
      // One created the networks, the other found them exactly as compiled.
      expect(both.map((r) => (r.stdout.match(/created network/g) ?? []).length).sort()).toEqual([0, 3]);
      applied = await tables(lab);
      expect(applied.filter).toMatch(OWN);
      expect(chainLines(applied.filter, 'DOCKER-USER').filter((l) => l.startsWith('-A'))[0])
        .toBe(`-A DOCKER-USER ${MODEL.entryRuleText}`);
      const again = await timed('apply again', () => apply(script.v1!));
      expectStatus(again, 0);
      expect(await tables(lab)).toEqual(applied);
      const v = await timed('verify', () => verify());
      expect(v.stdout).toContain('no drift');
      expectStatus(v, 0);
      // The networks carry exactly the compiled settings (trusted list as a colon list).
      const opts = JSON.parse((await lab.docker(['network', 'inspect', '--format', '{{json .Options}}', 'database'])).stdout) as Record<string, string>;
      expect(opts['com.docker.network.bridge.trusted_host_interfaces']).toBe('web-bridge:app-bridge');
      expect(opts['com.docker.network.bridge.enable_icc']).toBe('false');
    }, 120_000);

    it('installed its files; the units it installed pass systemd-analyze verify against the installed script', () => {
      for (const f of MODEL.files) expect(readFileSync(join(root, f.path), 'utf8')).toBe(f.content);
      expect(readFileSync(join(root, MODEL.layout.script), 'utf8')).toBe(readFileSync(script.v1!, 'utf8'));
      if (!which('systemd-analyze')) return;
      mkdirSync(join(root, 'lib/systemd'), { recursive: true });
      cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
      const r = sh('systemd-analyze', ['verify', `--root=${root}`, ...MODEL.files.filter((f) => f.path.startsWith('/etc/systemd/')).map((f) => f.path)]);
      expect(r.stderr).toBe('');
      expectStatus(r, 0);
      rmSync(join(root, 'lib'), { recursive: true });
    });

    it('lets exactly the flows the Evaluator allows through, for every tier pair', async () => {
      const probes = await timed('6 probe containers', () => startProbes(lab, V1, TCP, UDP));
      const flows = await timed(`matrix (${3 * 3 * (TCP.length + UDP.length + 1)} probes)`, () => reachability(lab, V1, probes, TCP, UDP));
      expect(mismatches(flows)).toEqual([]);
      expect(flows.filter((f) => f.seen === 'open').length).toBeGreaterThan(0);
      // The logged deny frontend -> database reached its LOG rule (on 28.x only thanks to the trusted list);
      // its 2 lines are inline in frontend's source chain.
      const counted = (await lab.exec('iptables', ['-w', '5', '-v', '-S', 'TW-THREE-TIER_S0'])).stdout;
      const log = counted.split('\n').find((l) => l.includes('-j LOG'))!;
      expect(Number(/-c (\d+) /.exec(log)![1])).toBeGreaterThan(0);
      if (eng!.name.startsWith('28.')) {
        // The colon list became one raw ACCEPT per trusted bridge, before the container's DROP.
        const raw = (await lab.iptables('raw')).split('\n').filter((l) => l.includes('-d 172.20.3.11/32'));
        expect(raw).toEqual([
          '-A PREROUTING -d 172.20.3.11/32 -i web-bridge -j ACCEPT',
          '-A PREROUTING -d 172.20.3.11/32 -i app-bridge -j ACCEPT',
          '-A PREROUTING -d 172.20.3.11/32 ! -i db-bridge -j DROP',
        ]);
      }
    }, 300_000);

    it('verify lists a deleted rule and exits 3; apply repairs it', async () => {
      // Rule 2 of backend's source chain: its allow to database (rule 1 is the intra-tier verdict).
      await lab.exec('iptables', ['-w', '5', '-D', 'TW-THREE-TIER_S1', '2']);
      const r = await timed('verify (drift)', () => verify());
      expectStatus(r, 3);
      expect(r.stdout).toContain('drift: chain TW-THREE-TIER_S1 differs from the compiled policy');
      expect(r.stdout).toContain('< -A TW-THREE-TIER_S1 -s 172.20.2.0/24 -d 172.20.3.0/24 -p tcp -m tcp --dport 5432');
      expectStatus(await apply(script.v1!, ['--no-persist']), 0);
      expectStatus(await verify(), 0);
      expect((await tables(lab)).filter).toBe(applied.filter);
    }, 120_000);

    it('a failing iptables-restore changes nothing; one failing after loading is rolled back byte for byte', async () => {
      const real = which('iptables-restore')!;
      for (const applyFirst of [false, true]) {
        const t0 = await tables(lab);
        const stubDir = join(dir, `stub-${applyFirst}`);
        mkdirSync(stubDir);
        const r = await timed(`failing apply (${applyFirst ? 'after loading' : 'at loading'})`,
          () => apply(script.v2!, [], [failingRestore(stubDir, real, applyFirst)]));
        expectStatus(r, 1);
        expect(r.stderr).toContain('simulated failure');
        expect(r.stderr).toContain('rolled back: tierwall\'s chains, its DOCKER-USER jump and the networks are as before this run');
        expect(await tables(lab)).toEqual(t0);
      }
      // v2 for real (a new pair chain: frontend -> backend now has 5 lines), then v1 again: the
      // chain v1 lacks is removed as stale.
      expectStatus(await apply(script.v2!, ['--no-persist']), 0);
      expectStatus(await verify(script.v2), 0);
      expect((await tables(lab)).filter).toMatch(/^-N TW-THREE-TIER_P0-1$/m);
      const back = await apply(script.v1!, ['--no-persist']);
      expect(back.stdout).toContain('removed stale chain(s): TW-THREE-TIER_P0-1');
      expect((await tables(lab)).filter).toBe(applied.filter);
    }, 180_000);

    it('after a simulated reboot (ruleset lost, dockerd restarted) the unit\'s ExecStart restores it', async () => {
      // A reboot loses the ruleset (a plain dockerd restart keeps DOCKER-USER and our chains, see
      // test/lab/NOTES.md): wipe tierwall's jump and chains, restart dockerd, run the unit's command.
      const ipt = (...a: string[]) => lab.exec('iptables', ['-w', '5', ...a]);
      await ipt('-D', 'DOCKER-USER', ...MODEL.entryRule);
      for (const c of MODEL.chains) await ipt('-F', c);
      for (const c of MODEL.chains) await ipt('-X', c);
      await timed('dockerd restart', () => lab.restartDockerd());
      expectStatus(await verify(), 3);
      const unit = readFileSync(join(root, MODEL.layout.unitDir, MODEL.units.service), 'utf8');
      const [exe, ...args] = /^ExecStart=(.*)$/m.exec(unit)![1]!.split(' ');
      expect(exe).toBe(MODEL.layout.script);
      expect(args).toEqual(['--no-persist']);
      // The installed copy, as the unit runs it; --root only moves its lock file into the test tree.
      const r = await timed('unit ExecStart', () => installer(lab, join(root, exe!), [...args, '--root', root]));
      expectStatus(r, 0);
      expectStatus(await verify(), 0);
      // Docker may re-order its own per-bridge rules on a restart: compare tierwall's part only.
      const ours = (t: Tables) => t.filter.split('\n').filter((l) => /^-[NA] (TW-THREE-TIER|DOCKER-USER)/.test(l));
      expect(ours(await tables(lab))).toEqual(ours(applied));
      const names = ['frontend-10', 'backend-10', 'backend-11', 'database-10', 'database-11'];
      await lab.docker(['start', ...names]);
      await Promise.all(names.map((n) => lab.waitListening(n, TCP, UDP)));
      const ip = (n: string) => `172.20.${n.startsWith('frontend') ? 1 : n.startsWith('backend') ? 2 : 3}.${n.slice(-2)}`;
      expect(await lab.probe('frontend-10', ip('backend-11'), 'tcp', 8080)).toBe('open');
      expect(await lab.probe('backend-10', ip('database-11'), 'tcp', 5432)).toBe('open');
      expect(await lab.probe('frontend-10', ip('database-11'), 'tcp', 5432)).toBe('closed');
      expect(await lab.probe('database-10', ip('database-11'), 'tcp', 5432)).toBe('closed');
    }, 300_000);

    it('cleanup removes exactly what it added: foreign rules and Docker\'s chains are as before apply', async () => {
      await lab.exec('iptables', ['-w', '5', '-I', 'DOCKER-USER', '1', ...FOREIGN.split(' ').slice(2)]);
      await lab.docker(['rm', '-f', 'frontend-11', 'backend-10', 'backend-11', 'database-10', 'database-11']);
      const first = await timed('cleanup', () => installer(lab, script.v1!, ['--cleanup', '--root', root]));
      expectStatus(first, 0);
      expect(first.stderr).toContain('kept network frontend: 1 container(s) attached');
      const mid = await tables(lab);
      expect(mid.filter).not.toMatch(OWN);
      expect(mid.filter).not.toContain('tierwall:three-tier');
      expect(mid.filter).toContain(FOREIGN);
      expect(sh('find', [root, '-type', 'f', '!', '-path', '*/run/lock/*']).stdout).toBe('');
      await lab.docker(['rm', '-f', 'frontend-10']);
      const second = await installer(lab, script.v1!, ['--cleanup', '--root', root]);
      expectStatus(second, 0);
      expect(second.stdout).toContain('removed network frontend');
      const after = await tables(lab);
      expect(withoutChain(after.filter, 'DOCKER-USER')).toEqual(withoutChain(before.filter, 'DOCKER-USER'));
      const user = chainLines(before.filter, 'DOCKER-USER');
      expect(chainLines(after.filter, 'DOCKER-USER')).toEqual([user[0], FOREIGN, ...user.slice(1)]);
      expect({ ...after, filter: '' }).toEqual({ ...before, filter: '' });
      expect((await lab.docker(['network', 'ls', '--filter', 'label=tierwall.policy', '-q'])).stdout).toBe('');
      await lab.exec('iptables', ['-w', '5', '-D', 'DOCKER-USER', ...FOREIGN.split(' ').slice(2)]);
    }, 180_000);

    it('a second policy (udp, icmp, port range, default allow, two isolated tiers) matches the Evaluator too', async () => {
      const p = mesh();
      const tcp = [80, 8005, 22];
      const udp = [53];
      const r = await timed('apply mesh', () => installer(lab, script.mesh!, ['--no-persist', '--root', root]));
      expectStatus(r, 0);
      const probes = await timed('6 probe containers', () => startProbes(lab, p, tcp, udp));
      const flows = await timed(`mesh matrix (${3 * 3 * (tcp.length + udp.length + 1)} probes)`, () => reachability(lab, p, probes, tcp, udp));
      expect(mismatches(flows)).toEqual([]);
      expectStatus(await verify(script.mesh), 0);
    }, 300_000);
  });
}
