// systemd and logging backends: the units pass `systemd-analyze verify` against the very install.sh
// they start (placed at its host path under a --root tree), the rsyslog drop-in passes rsyslogd -N1
// and routes real kernel-style lines, the logrotate file passes logrotate -d.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/ir/types.js';
import { systemdArtifacts } from '../../../src/backends/systemd/backend.js';
import { loggingArtifacts } from '../../../src/backends/logging/backend.js';
import { hostLayout } from '../../../src/backends/installer/layout.js';
import { logPrefixStart } from '../../../src/backends/logging/model.js';
import { ALL, longName, threeTier } from './fixtures.js';
import { haveTools, sh, tempDir, writeInstaller } from './support.js';

/**
 * A root tree as install.sh --root leaves it: the units in etc/systemd/system and the real install.sh
 * at its host path; plus the distribution's units (sysinit.target, docker.service, ...) that
 * `verify --root` resolves dependencies against.
 */
function unitTree(policy: Policy, root: string): string[] {
  mkdirSync(join(root, 'lib/systemd'), { recursive: true });
  cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  const docker = join(root, 'lib/systemd/system/docker.service');
  if (!existsSync(docker)) writeFileSync(docker, '[Unit]\nDescription=stand-in for docker.service\n[Service]\nExecStart=/bin/true\n');
  const script = hostLayout(policy.name).script;
  writeInstaller(policy, join(root, script.slice(1, script.lastIndexOf('/'))), 'install.sh');
  const units: string[] = [];
  for (const a of systemdArtifacts(policy)) {
    const unit = `/etc/systemd/system/${a.path.slice('systemd/'.length)}`;
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    writeFileSync(join(root, unit), a.content);
    units.push(unit);
  }
  return units;
}

const verify = (root: string, units: string[]) => sh('systemd-analyze', ['verify', `--root=${root}`, ...units]);

describe.skipIf(!haveTools('systemd units', ['systemd-analyze']))('systemd units', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir('units'); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(Object.keys(ALL))('pass systemd-analyze verify with no message (%s)', (name) => {
    const root = join(dir, name);
    const units = unitTree(ALL[name as keyof typeof ALL](), root);
    const r = verify(root, units);
    expect(r.stderr).toBe(''); // verify exits 0 on unknown keys: only an empty stderr is clean
    expect(r.status).toBe(0);
  });

  it('fail verify when the script the units start is missing (the check is real)', () => {
    const root = join(dir, 'missing');
    const p = threeTier();
    const units = unitTree(p, root);
    rmSync(join(root, hostLayout(p.name).script));
    const r = verify(root, units);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('/etc/tierwall/three-tier/install.sh is not executable');
  });

  it('re-apply with docker, check drift on a timer', () => {
    const [apply, monitor, timer] = systemdArtifacts(threeTier()).map((a) => a.content);
    expect(apply).toMatch(/^Type=oneshot$/m);
    expect(apply).toMatch(/^RemainAfterExit=yes$/m);
    expect(apply).toMatch(/^After=docker\.service$/m);
    expect(apply).toMatch(/^BindsTo=docker\.service$/m);
    expect(apply).toMatch(/^WantedBy=docker\.service$/m);
    expect(apply).toMatch(/^ExecStart=\/etc\/tierwall\/three-tier\/install\.sh --no-persist$/m);
    expect(monitor).toMatch(/^ExecStart=\/etc\/tierwall\/three-tier\/install\.sh --verify$/m);
    expect(timer).toMatch(/^OnBootSec=5min$/m);
    expect(timer).toMatch(/^OnUnitActiveSec=15min$/m);
    expect(timer).toMatch(/^Unit=tierwall-three-tier-monitor\.service$/m);
  });
});

describe.skipIf(!haveTools('log routing', ['rsyslogd', 'logrotate']))('log routing', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir('logs'); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string): string => {
    const f = join(dir, name);
    writeFileSync(f, content);
    return f;
  };

  it.each(Object.keys(ALL))('rsyslogd -N1 accepts the drop-in (%s)', (name) => {
    const [conf] = loggingArtifacts(ALL[name as keyof typeof ALL]());
    const r = sh('rsyslogd', ['-N1', '-f', write(`${name}.conf`, conf!.content)]);
    expect(r.status, r.stderr).toBe(0);
    // A broken copy fails: the validation is real.
    expect(sh('rsyslogd', ['-N1', '-f', write(`${name}-bad.conf`, conf!.content.replace('stop', 'stopp'))]).status).not.toBe(0);
  });

  it.each(Object.keys(ALL))('logrotate -d accepts the rotation file (%s)', (name) => {
    const p = ALL[name as keyof typeof ALL]();
    const [, rotate] = loggingArtifacts(p);
    const r = sh('logrotate', ['-d', '-s', join(dir, `${name}.state`), write(`${name}.rotate`, rotate!.content)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain(`rotating pattern: ${hostLayout(p.name).logFile}`);
    expect(r.stdout + r.stderr).not.toMatch(/error/i);
  });

  // rsyslogd reads kernel-style lines over UDP in a throwaway net+mount namespace (tmpfs on /var/log),
  // so neither the machine's syslog nor its /var/log is touched.
  it.skipIf(!haveTools('rsyslog routing', ['unshare'], true))('routes exactly the policy\'s kernel LOG lines to its file and stops them', () => {
    const p = longName();
    const [conf] = loggingArtifacts(p);
    const dropIn = write('route.conf', conf!.content);
    const main = write('main.conf', [
      `global(workDirectory="${dir}")`,
      'module(load="imudp")',
      'input(type="imudp" address="127.0.0.1" port="5514")',
      `include(file="${dropIn}")`,
      `*.* action(type="omfile" file="${dir}/rest.log")`,
    ].join('\n'));
    const policyPrefix = logPrefixStart(p.name); // the abbreviated, hashed form for this long name
    expect(policyPrefix).toMatch(/^tw:a-rathe-[0-9a-f]{4}:$/);
    const send = (pri: number, text: string) => `printf '<${pri}>Nov 29 17:00:00 host ${text}\\n' >/dev/udp/127.0.0.1/5514`;
    const script = [
      'set -eu', 'ip link set lo up', 'mount -t tmpfs tmpfs /var/log',
      `rsyslogd -n -f ${main} -i ${dir}/rsyslogd.pid & pid=$!`,
      `for i in $(seq 100); do [ -s ${dir}/rsyslogd.pid ] && break; sleep 0.1; done; sleep 0.5`,
      send(4, `kernel: [ 1234.567890] ${policyPrefix}L5 IN=br.x_Y OUT=br0 SRC=10.32.0.5`), // imklog form
      send(4, `kernel: ${policyPrefix}L5 IN=a`), // journald-forwarded form
      send(4, 'kernel: tw:other:L1 IN=b'), // another policy
      send(13, `someone: ${policyPrefix}L5 spoofed`), // not the kernel
      `for i in $(seq 100); do [ "$(wc -l <${dir}/rest.log 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.1; done; sleep 0.3`,
      'kill $pid; wait $pid || true',
      `echo ===; cat ${hostLayout(p.name).logFile}`,
    ].join('\n');
    const r = sh('unshare', ['--net', '--mount', '--', 'bash', '-c', script], { timeoutMs: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const routed = r.stdout.split('===\n')[1]!.trim().split('\n');
    expect(routed).toHaveLength(2);
    expect(routed[0]).toContain(`[ 1234.567890] ${policyPrefix}L5 IN=br.x_Y`);
    expect(routed[1]).toContain(`kernel: ${policyPrefix}L5 IN=a`);
    const rest = readFileSync(join(dir, 'rest.log'), 'utf8');
    expect(rest).toContain('tw:other:L1');
    expect(rest).toContain('spoofed');
    expect(rest).not.toContain('IN=a\n');
    expect(existsSync(hostLayout(p.name).logFile)).toBe(false); // the tmpfs stayed in its namespace
  });
});
