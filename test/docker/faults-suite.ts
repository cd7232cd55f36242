// docker fault tests for install.sh (one lab per engine, steps in order): an apply cut off by SIGKILL
// (no rollback can run) and then --cleanup; dockerd restarted in the middle of an apply, then re-apply/verify.
// (A changed policy whose load fails over an old one is already covered by installer-suite.ts: "a failing
// iptables-restore changes nothing; one failing after loading is rolled back byte for byte".)
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, startLab, type Engine, type Lab, type RunResult } from '../lab/lab.js';
import { installerModel } from '../../src/backends/installer/backend.js';
import { threeTier } from '../backends/installer/fixtures.js';
import { sh, tempDir, which, writeInstaller } from '../backends/installer/support.js';
import { chainLines, failingRestore, installer, tables, withoutChain, type Tables } from './installer-lab.js';
import { openGate, slowStandIn, startInstaller, waitFor } from './faults-lab.js';

const V1 = threeTier();
const MODEL = installerModel(V1);
const OWN = /^-[NA] TW-THREE-TIER/m;
const FOREIGN = '-A DOCKER-USER -s 10.99.9.0/24 -j DROP';
const JUMP = `-A DOCKER-USER ${MODEL.entryRuleText}`;

function expectStatus(r: { status: number | null; stdout: string; stderr: string }, status: number): void {
  expect(r.status, `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(status);
}

/** rules.v4's lines for one chain, as `iptables -S` prints them (`:C - [0:0]` -> `-N C`). */
function rulesV4Lines(chain: string): string[] {
  const lines = MODEL.rulesV4.split('\n');
  return [
    ...lines.filter((l) => l.startsWith(`:${chain} `)).map(() => `-N ${chain}`),
    ...lines.filter((l) => l.startsWith(`-A ${chain} `)),
  ];
}

export function faultsSuite(label: string, pick: (e: Engine) => boolean): void {
  const ready = requireLabPrerequisites();
  const eng = ready ? engines().find(pick) : undefined;
  if (ready && !eng) throw new Error(`no engine ${label} (have ${engines().map((e) => e.name).join(', ')})`);

  describe.skipIf(!eng)(`install.sh faults on Docker ${label}`, () => {
    let lab: Lab;
    let dir: string;
    let root: string;
    let script: string;
    let before: Tables; // before tierwall touched anything (the foreign DOCKER-USER rule included)
    let step = 0;
    const timings: [string, number][] = [];
    const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try { return await fn(); } finally { timings.push([what, performance.now() - t0]); }
    };
    const realRestore = () => which('iptables-restore')!;
    const realDocker = () => which('docker')!;
    const fresh = (what: string) => join(dir, `${++step}-${what}`);
    const apply = (args: string[] = [], path: string[] = []) => installer(lab, script, ['--root', root, ...args], path);
    const verify = () => installer(lab, script, ['--verify', '--root', root]);
    const cleanup = () => installer(lab, script, ['--cleanup', '--root', root]);
    /** Files under --root but the lock file. */
    const files = () => sh('find', [root, '-type', 'f', '!', '-path', '*/run/lock/*']).stdout.split('\n').filter(Boolean).sort();
    const labelled = async () => (await lab.docker(['network', 'ls', '--filter', 'label=tierwall.policy', '--format', '{{.Name}}'])).stdout.trim();
    /** Own chains equal rules.v4, chain by chain; the DOCKER-USER jump is there exactly once; verify exits 0. */
    const expectApplied = async () => {
      const v = await verify();
      expectStatus(v, 0);
      expect(v.stdout).toContain('no drift');
      const t = await tables(lab);
      const live = t.filter.split('\n').filter((l) => /^-N TW-THREE-TIER/.test(l)).map((l) => l.slice(3)).sort();
      expect(live).toEqual([...MODEL.chains].sort());
      for (const c of MODEL.chains) expect(chainLines(t.filter, c), c).toEqual(rulesV4Lines(c));
      expect(chainLines(t.filter, 'DOCKER-USER').filter((l) => l === JUMP)).toHaveLength(1);
      expect(chainLines(t.filter, 'DOCKER-USER')).toContain(FOREIGN);
    };
    /** Everything tierwall adds is gone; the foreign rule and Docker's chains are byte-identical to `before`. */
    const expectPristine = async (exact = true) => {
      const t = await tables(lab);
      expect(t.filter).not.toMatch(OWN);
      expect(t.filter).not.toContain(MODEL.entryRuleText);
      expect(chainLines(t.filter, 'DOCKER-USER')).toEqual(chainLines(before.filter, 'DOCKER-USER'));
      if (exact) expect(t).toEqual(before);
      else expect(withoutChain(t.filter, 'DOCKER-USER').filter((l) => !l.startsWith('-A'))).toEqual(withoutChain(before.filter, 'DOCKER-USER').filter((l) => !l.startsWith('-A')));
      expect(await labelled()).toBe('');
    };

    beforeAll(async () => {
      dir = tempDir('faults');
      root = join(dir, 'root');
      script = writeInstaller(V1, dir, 'v1/install.sh');
      lab = await timed('lab start', () => startLab(eng!));
      // A rule of someone else's in DOCKER-USER: it must survive every fault and cleanup unchanged.
      await lab.exec('iptables', ['-w', '5', '-I', 'DOCKER-USER', '1', ...FOREIGN.split(' ').slice(2)]);
      before = await tables(lab);
    }, 180_000);

    afterAll(() => {
      try { lab?.stop(); } finally { rmSync(dir, { recursive: true, force: true }); }
      console.log(`install.sh faults on Docker ${eng!.version}:\n${timings.map(([w, ms]) => `  ${(ms / 1000).toFixed(1).padStart(5)} s  ${w}`).join('\n')}`);
    });

    // Must hold: an apply whose iptables-restore fails after the networks were created rolls back by itself
    // (networks removed, nothing loaded); a --cleanup afterwards succeeds; every table is byte-identical to
    // before the apply and no file of tierwall's is left under --root (the lock file aside).
    it('iptables-restore fails after the networks were created: rollback, then --cleanup: all as before', async () => {
      const r = await timed('failing apply', () => apply([], [failingRestore(mkdirP(fresh('fail')), realRestore(), false)]));
      expectStatus(r, 1);
      expect(r.stdout).toContain('created network');
      expect(r.stderr).toContain('rolled back');
      await expectPristine();
      expectStatus(await timed('cleanup (no-op)', cleanup), 0);
      await expectPristine();
      expect(files()).toEqual([]);
    }, 120_000);

    // Must hold: install.sh SIGKILLed (no rollback possible) after it created the networks — once while
    // iptables-restore had not loaded anything yet, once after it loaded the chains but before the jump — leaves
    // a partial state that --cleanup removes completely: own chains and jump gone, the labelled empty networks
    // removed, the foreign DOCKER-USER rule and Docker's own chains byte-identical to before the first apply,
    // no installed file left under --root.
    for (const mode of ['before', 'after'] as const) {
      it(`install.sh killed ${mode === 'before' ? 'before' : 'after'} iptables-restore loaded: --cleanup restores everything`, async () => {
        const filesBefore = files();
        const stub = slowStandIn(fresh(`kill-${mode}`), 'iptables-restore', realRestore(), mode, 60);
        const run = startInstaller(lab, script, ['--root', root], [stub], join(dir, 'tmp'));
        try {
          expect(await waitFor(join(stub, 'entered'), 120_000, () => !run.exited()), 'apply reached iptables-restore').toBe(true);
          await run.kill();
        } finally {
          await run.kill().catch(() => undefined);
        }
        const cut = await run.done;
        expect(cut.signal).toBe('SIGKILL');
        expect((cut.stdout.match(/created network/g) ?? []).length).toBe(3);
        const mid = await tables(lab);
        expect((await labelled()).split('\n').sort()).toEqual(['backend', 'database', 'frontend']);
        expect(chainLines(mid.filter, 'DOCKER-USER')).not.toContain(JUMP);
        if (mode === 'after') expect(mid.filter).toMatch(OWN);
        else expect(mid.filter).not.toMatch(OWN);
        const c = await timed(`cleanup after kill (${mode})`, cleanup);
        expectStatus(c, 0);
        for (const n of ['frontend', 'backend', 'database']) expect(c.stdout).toContain(`removed network ${n}`);
        await expectPristine();
        // Nothing the killed run or the cleanup wrote is left (files an earlier step left are that step's finding).
        expect(files().filter((f) => !filesBefore.includes(f))).toEqual([]);
      }, 180_000);
    }

    // Must hold: dockerd restarted while install.sh runs — (a) its iptables-restore load runs while dockerd is
    // down / starting up (and setting up its own chains), (b) its second `docker network create` runs then — install.sh either completes correctly (verify clean) or
    // fails with a rollback message; either way a re-apply then succeeds, --verify exits 0, tierwall's chains
    // equal rules.v4, the DOCKER-USER jump is there exactly once and the foreign rule is kept; --cleanup then
    // leaves no chain, jump or labelled network of tierwall's.
    const restartCases = [
      { what: 'while iptables-restore is about to load', name: 'iptables-restore', real: realRestore, when: 'true' },
      { what: 'between two docker network creates', name: 'docker', real: realDocker,
        when: '[[ $1 == network && $2 == create && -e "${0%/*}/first" ]] || { [[ $1 == network && $2 == create ]] && touch "${0%/*}/first" && false; }' },
    ];
    for (const c of restartCases) {
      it(`dockerd restarted ${c.what}: completes or rolls back; re-apply and --verify are clean`, async () => {
        // The stand-in holds the call until the test opens the gate, which it does right after the old dockerd
        // exited (restartDockerd kills it synchronously before it starts the new one): the held call then runs
        // while dockerd is down or starting up.
        const stub = slowStandIn(fresh(`restart-${c.name}`), c.name, c.real(), 'gate', 60, c.when);
        const run = startInstaller(lab, script, ['--root', root, '--no-persist'], [stub], join(dir, 'tmp'));
        let r: Awaited<typeof run.done>;
        try {
          expect(await waitFor(join(stub, 'entered'), 120_000, () => !run.exited()), 'apply reached the slowed call').toBe(true);
          const oldPid = lab.pid;
          await timed(`dockerd restart (${c.name})`, () => {
            const restarted = lab.restartDockerd(); // the old dockerd is gone once this returns
            openGate(stub);
            return restarted;
          });
          expect(lab.pid).not.toBe(oldPid);
          r = await Promise.race([run.done, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('apply did not finish in 150 s')), 150_000))]);
        } finally {
          await run.kill().catch(() => undefined);
        }
        const outcome = `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
        console.log(`[faults ${label}] restart ${c.what}: ${outcome}`);
        expect([0, 1], outcome).toContain(r.status);
        if (r.status === 0) {
          await expectApplied(); // completed correctly despite the restart
        } else {
          expect(r.stderr, outcome).toContain('restoring the previous state');
          expect(r.stderr, outcome).toContain('rolled back: tierwall\'s chains, its DOCKER-USER jump and the networks are as before this run');
          const t = await tables(lab);
          expect(t.filter).not.toMatch(OWN);
          expect(chainLines(t.filter, 'DOCKER-USER')).not.toContain(JUMP);
        }
        const again = await timed(`re-apply after restart (${c.name})`, () => apply(['--no-persist']));
        expectStatus(again, 0);
        await expectApplied();
        const cl = await timed(`cleanup after restart (${c.name})`, cleanup);
        expectStatus(cl, 0);
        // Docker may re-order its own per-bridge rules on a restart: its chain list and DOCKER-USER are compared.
        await expectPristine(false);
      }, 300_000);
    }
  });
}

function mkdirP(d: string): string {
  mkdirSync(d, { recursive: true });
  if (!existsSync(d)) throw new Error(`no dir ${d}`);
  return d;
}
