// installer: the generated install.sh as a program. Static checks (bash -n, shellcheck), --help and
// --dry-run as a real unprivileged process, and every refusal, run against recording stubs only:
// docker/iptables on PATH are stubs (stubs.ts), and runs as root happen inside `unshare --net`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreText } from '../../../src/backends/iptables/restore.js';
import { buildIptables } from '../../../src/backends/iptables/model.js';
import { ALL, threeTier } from './fixtures.js';
import { haveTools, sh, tempDir, which, writeInstaller, type Proc } from './support.js';
import { STUBBED, mutations, toolbox, type Toolbox } from './stubs.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const env = (tb: Toolbox, extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
  ({ PATH: tb.path, STUB_LOG: tb.log, HOME: '/', TMPDIR: '/tmp', LC_ALL: 'C', ...extra });

describe.skipIf(!haveTools('install.sh static checks', ['bash', 'shellcheck']))('install.sh static checks', () => {
  it.each(Object.keys(ALL))('bash -n and shellcheck -x -S style find nothing (%s)', (name) => {
    const dir = tempDir('sc');
    try {
      const file = writeInstaller(ALL[name as keyof typeof ALL](), dir);
      expect(sh('bash', ['-n', file])).toMatchObject({ status: 0, stderr: '' });
      const sc = sh('shellcheck', ['-x', '-S', 'style', file], { cwd: dir });
      expect(sc.stdout + sc.stderr).toBe('');
      expect(sc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveTools('install.sh as a process', ['bash', 'setpriv', 'unshare'], true))('install.sh as a process', () => {
  let dir: string;
  let script: string;
  let tb: Toolbox;
  const asNobody = (args: string[], t = tb): Proc => sh(which('setpriv')!, [...NOBODY, '--', 'bash', script, ...args], { env: env(t) });
  // Root runs only in a throwaway network namespace, and against the stubs.
  const asRootInNetns = (args: string[], t = tb, extra: Record<string, string> = {}, pre = ''): Proc =>
    sh(which('unshare')!, ['--net', '--', 'bash', '-c', `${pre}exec bash "$0" "$@"`, script, ...args], { env: env(t, extra) });

  beforeAll(() => {
    dir = tempDir('proc'); // a copy in /tmp the unprivileged user can read
    script = writeInstaller(threeTier(), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fresh = (name: string, without: string[] = []): Toolbox => toolbox(join(dir, name), without);

  it('puts only stubs on PATH for the commands that could change a host', () => {
    tb = fresh('tb');
    for (const cmd of STUBBED) {
      const r = sh('bash', ['-c', 'command -v "$1"', 'bash', cmd], { env: env(tb) });
      expect(r.stdout.trim()).toBe(join(tb.path, cmd));
      expect(readFileSync(r.stdout.trim(), 'utf8')).toMatch(/^#!\/bin\/bash\n/);
    }
  });

  it('--help works without root and touches nothing', () => {
    const r = asNobody(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: install\.sh /);
    expect(r.stdout).toContain('database  172.20.3.0/24  172.20.3.1  db-bridge  (isolated, trusts web-bridge:app-bridge)');
    expect(tb.calls()).toEqual([]);
  });

  it('--dry-run prints every command without root and calls none of them', () => {
    const t = fresh('dry');
    const r = asNobody(['--dry-run', '--root', '/srv/img/'], t);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(t.calls()).toEqual([]);
    const out = r.stdout;
    expect(out).toContain('+ docker network create --driver bridge --subnet 172.20.3.0/24 --gateway 172.20.3.1 -o com.docker.network.bridge.name=db-bridge -o com.docker.network.bridge.enable_icc=false -o com.docker.network.bridge.trusted_host_interfaces=web-bridge:app-bridge --label tierwall.policy=three-tier database\n');
    // The whole rules.v4, as one iptables-restore transaction.
    const rules = restoreText(buildIptables(threeTier()));
    expect(out).toContain(`+ iptables-restore -w 30 --noflush <<'RULES_V4'\n${rules}RULES_V4\n`);
    expect(out).toContain('+ iptables -w 30 -C DOCKER-USER -m comment --comment tierwall:three-tier -j TW-THREE-TIER || iptables -w 30 -I DOCKER-USER 1 -m comment --comment tierwall:three-tier -j TW-THREE-TIER\n');
    expect(out).toContain('+ install -D -m 0644 /dev/stdin /srv/img/etc/systemd/system/tierwall-three-tier.service');
    expect(out).not.toContain('systemctl'); // --root: systemd is left alone
    // Order: checks, then networks, then the rules, then the jump.
    const at = (s: string) => out.indexOf(s);
    expect(at('# check: running as root')).toBeLessThan(at('+ docker network create'));
    expect(at('+ docker network create')).toBeLessThan(at('+ iptables-restore'));
    expect(at('+ iptables-restore')).toBeLessThan(at('-C DOCKER-USER'));
  });

  it('--dry-run as root changes nothing either', () => {
    const t = fresh('dry-root');
    const r = sh('bash', [script, '--dry-run'], { env: env(t) }); // dry-run is allowed in the machine's namespace
    expect(r.status).toBe(0);
    expect(t.calls()).toEqual([]);
    expect(r.stdout).toContain('+ systemctl enable --quiet tierwall-three-tier.service tierwall-three-tier-monitor.timer');
  });

  it.each([[[]], [['--verify']], [['--cleanup']], [['--no-persist']]])('refuses to run %j without root', (args) => {
    const t = fresh(`nonroot${args.join('')}`);
    const r = asNobody(args, t);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tierwall\[three-tier\]: error: must run as root/);
    expect(t.calls()).toEqual([]);
  });

  it('rejects bad arguments with status 2', () => {
    expect(asNobody(['--frobnicate']).status).toBe(2);
    expect(asNobody(['--verify', '--cleanup']).stderr).toContain('--verify and --cleanup exclude each other');
    expect(asNobody(['--root', 'relative']).stderr).toContain('--root needs an absolute path');
  });

  describe('refusals before any change (root, stubs, own netns)', () => {
    const refuse = (name: string, opts: { without?: string[]; env?: Record<string, string>; pre?: string }) => {
      const t = fresh(name, opts.without);
      const root = join(dir, name, 'root');
      const r = asRootInNetns(['--root', root], t, opts.env, opts.pre);
      expect(mutations(t.calls())).toEqual([]);
      // Nothing installed: at most the lock file exists.
      expect(sh('find', [root, '-type', 'f', '!', '-path', '*/run/lock/*']).stdout).toBe('');
      expect(r.status).toBe(1);
      return r.stderr;
    };

    it('when docker is missing', () => {
      expect(refuse('no-docker', { without: ['docker'] })).toContain('docker not found: install Docker Engine');
    });

    it('when iptables-restore is missing', () => {
      expect(refuse('no-restore', { without: ['iptables-restore'] })).toContain('iptables-restore not found: install the iptables package');
    });

    it('when Docker uses its nftables firewall backend', () => {
      expect(refuse('nft', { env: { STUB_FW: 'nftables' } })).toContain('Docker uses its nftables firewall backend (nftables)');
    });

    it('when FORWARD does not jump to DOCKER-USER', () => {
      expect(refuse('nojump', { env: { STUB_JUMP_RC: '1' } })).toContain('FORWARD does not jump to DOCKER-USER');
    });

    it('when a network of a tier\'s name exists with other settings, saying what differs and how to fix it', () => {
      const nets = join(dir, 'nets');
      mkdirSync(nets, { recursive: true });
      writeFileSync(join(nets, 'frontend'), 'frontend\nbridge\n172.20.1.0/24 172.20.1.1;\nweb-bridge\n\n\nthree-tier\n0\n'); // matches
      writeFileSync(join(nets, 'backend'), 'backend\nbridge\n10.9.0.0/24 10.9.0.1;\napp-bridge\nfalse\n\n\n2\n');
      const err = refuse('differs', { env: { STUB_NETS: nets } });
      expect(err).toContain('network backend exists but differs from policy three-tier:');
      expect(err).toContain('subnet and gateway are "10.9.0.0/24 10.9.0.1;", the policy has "172.20.2.0/24 172.20.2.1;"');
      expect(err).toContain('enable_icc is false, the policy has true');
      expect(err).toContain('trusted_host_interfaces is "", the policy has "web-bridge"');
      expect(err).toContain('docker network rm backend');
      expect(err).toContain('nothing was changed');
      expect(err).not.toContain('network frontend');
    });

    it('not for a network docker found only by a prefix of its ID (seen: "b" found the default bridge)', () => {
      const nets = join(dir, 'prefix-nets');
      mkdirSync(nets, { recursive: true });
      writeFileSync(join(nets, 'backend'), 'bridge\nbridge\n172.17.0.0/16 172.17.0.1;\ndocker0\n\n\n\n0\n');
      // The run goes on past the network checks and stops at the first iptables read (a stub).
      const err = refuse('prefix', { env: { STUB_NETS: nets } });
      expect(err).not.toContain('differs');
      expect(err).toContain('cannot list the iptables chains');
    });

    it('when docker cannot say whether a network exists (an error is never read as "absent")', () => {
      const err = refuse('inspect-err', { env: { STUB_INSPECT_ERR: 'error during connect: context deadline exceeded' } });
      expect(err).toContain('docker network inspect frontend failed: error during connect: context deadline exceeded');
      expect(err).toContain('cannot tell whether network frontend exists; nothing was changed');
    });

    // Chain ownership (names.ts mainChainName): rules another policy loaded under this policy's chain
    // names, as `iptables -S` would list them, are never replaced.
    const rules = (name: string, lines: string[]): string => {
      const file = join(dir, `${name}.rules`);
      writeFileSync(file, ['-P INPUT ACCEPT', '-N DOCKER-USER', '-N TW-THREE-TIER', ...lines, ''].join('\n'));
      return file;
    };

    it('when the main chain holds another policy\'s rules (a chain-name collision)', () => {
      const file = rules('foreign-chain', [
        '-A TW-THREE-TIER -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "other-policy:established" -j ACCEPT',
        '-A TW-THREE-TIER -m comment --comment "other-policy:foreign" -j RETURN',
      ]);
      const err = refuse('foreign-chain', { env: { STUB_RULES: file } });
      expect(err).toContain('chain TW-THREE-TIER holds rules of policy other-policy (comment "other-policy:established"), not of three-tier');
      expect(err).toContain('nothing was changed');
    });

    it('--cleanup too: another policy\'s rules under this policy\'s chain names are not removed', () => {
      const file = rules('foreign-cleanup', ['-A TW-THREE-TIER -m comment --comment "other-policy:foreign" -j RETURN']);
      const t = fresh('foreign-cleanup');
      const r = asRootInNetns(['--cleanup', '--root', join(dir, 'foreign-cleanup', 'root')], t, { STUB_RULES: file });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('chain TW-THREE-TIER holds rules of policy other-policy');
      expect(mutations(t.calls())).toEqual([]);
    });

    it('when the DOCKER-USER jump to the main chain is another policy\'s (old iptables: comment unquoted)', () => {
      const file = rules('foreign-jump', ['-A DOCKER-USER -m comment --comment tierwall:other-policy -j TW-THREE-TIER', '-A DOCKER-USER -j RETURN']);
      expect(refuse('foreign-jump', { env: { STUB_RULES: file } })).toContain('chain DOCKER-USER holds rules of policy other-policy');
    });

    it('not for its own rules: the run goes on to the snapshot (and stops at the first read a stub refuses)', () => {
      const file = rules('own', [
        '-A DOCKER-USER -m comment --comment "tierwall:three-tier" -j TW-THREE-TIER',
        '-A DOCKER-USER -m comment --comment "someone-else:x" -j ACCEPT', // not a jump to our chain
        '-A TW-THREE-TIER -m comment --comment "three-tier:foreign" -j RETURN',
        '-A TW-OTHER -m comment --comment "other-policy:foreign" -j RETURN', // not our chain
      ]);
      const err = refuse('own', { env: { STUB_RULES: file } });
      expect(err).not.toContain('holds rules of policy');
      expect(err).toContain('cannot read chain TW-THREE-TIER');
    });

    const knob = '/proc/sys/net/bridge/bridge-nf-call-iptables';
    it.skipIf(!existsSync(knob))('when an isolated tier needs br_netfilter and bridge-nf-call-iptables is off', () => {
      // The knob is per network namespace (Linux >= 5.3): 0 in the throwaway netns leaves the machine's alone.
      const before = readFileSync(knob, 'utf8');
      const err = refuse('brnf', { pre: `echo 0 >${knob} && ` });
      expect(err).toContain('need net.bridge.bridge-nf-call-iptables=1 and it is 0');
      expect(readFileSync(knob, 'utf8')).toBe(before);
    });
  });
});
