// test/lab/lab.ts — a real Docker engine in a throwaway network namespace, for lab tests (root only).
// startLab(engine) -> Lab: netns `tw-*` + its own dockerd/dirs; probe containers; stop() removes all of it.
// Nothing here touches the machine's own namespace: iptables/docker act only inside the lab's netns.
//
// Measured on the 2-core dev machine, 3 sequential runs per engine (min-max):
//   engine  startLab    buildProbeImage  2x runContainer  restartDockerd  stop()     harness test
//   20.10   0.84-1.16s  0.34s            1.8-1.9s         2.3-2.5s        1.2s       ~12s
//   28.5    1.3-3.1s    0.26-0.72s       2.0-2.9s         2.8-6.6s        1.25-1.75s ~12s
// A tcp/udp probe that is answered takes ~0.15-0.3 s (udp ~0.7 s); a dropped tcp probe 2 s (nc -w 2).
// With other sessions loading the machine (load average ~15) the harness test took ~47 s per engine.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mustHaveSystem } from '../support/system.js';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, copyFileSync, symlinkSync, readlinkSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** A Docker engine the lab can start: `name` is the major.minor of `version` ('20.10', '28.5'). */
export interface Engine {
  readonly name: string;
  readonly dockerd: string;
  readonly version: string;
  /** Directories put first on dockerd's PATH (docker-proxy, docker-init of that engine). */
  readonly pathDirs: readonly string[];
}

/** Result of a command; `status` is null when it was killed (timeout). */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Kill the command after this many ms (default 30 s). */
  timeoutMs?: number;
  /** Return a non-zero result instead of throwing. */
  allowFail?: boolean;
}

export interface LabOptions {
  /** Extra daemon.json keys (e.g. { 'live-restore': true }); the lab sets shutdown-timeout 2 by default. */
  daemonConfig?: Record<string, unknown>;
  /** Bound on waiting for `docker info` to answer (default 60 s). */
  startTimeoutMs?: number;
}

export interface ContainerOptions {
  ip?: string;
  /** TCP ports served by `nc -ll -e echo ok` (default [80]). */
  tcp?: readonly number[];
  /** UDP ports served by a socat echo (default [53]). */
  udp?: readonly number[];
  /** Extra `docker run` arguments, placed before the image (e.g. ['--restart', 'always']). */
  runArgs?: readonly string[];
}

export type Proto = 'tcp' | 'udp' | 'icmp';
export type ProbeResult = 'open' | 'closed';

export const PROBE_IMAGE = 'local/probe:1';
const LAB_CACHE = process.env.TIERWALL_LAB_CACHE ?? '/var/cache/tierwall-lab';
const SID_ROOT = join(LAB_CACHE, 'sid', 'root');
const TOOLS = ['ip', 'nsenter', 'iptables', 'umount', 'tar', 'ldd', 'socat', 'containerd', 'runc', 'docker'];
const live = new Set<Lab>();

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** The docker CLI (28.x client on PATH; it talks to both engines via DOCKER_HOST). */
export const dockerCli = process.env.TIERWALL_DOCKER_CLI ?? which('docker') ?? 'docker';

/** Run a command without a shell; never rejects unless `allowFail` is false and it fails. */
export function run(cmd: string, args: readonly string[], opts: RunOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: opts.env ?? process.env },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        const res = { status: code, stdout: String(stdout), stderr: String(stderr) };
        if (code !== 0 && !opts.allowFail) {
          reject(new Error(`${cmd} ${args.join(' ')} -> ${code ?? 'killed/timeout'}\n${res.stderr || res.stdout}`.trim()));
        } else resolve(res);
      });
  });
}

function runSync(cmd: string, args: readonly string[], timeoutMs = 30_000, env?: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', env: env ?? process.env });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Start time of a process (field 22 of /proc/PID/stat) or undefined if it is gone or a zombie. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** True while `pid` runs (zombies count as gone). */
export function pidAlive(pid: number): boolean {
  return procStart(pid) !== undefined;
}

/** The outside namespace of a lab (Lab.addOutside): its name, the lab's address on the link and its own. */
export interface Outside {
  readonly ns: string;
  /** The Docker host's address as the outside sees it (published ports answer here). */
  readonly hostIp: string;
  readonly ip: string;
}

/** The lab <-> outside link: a /30 of 198.18.0.0/15 (RFC 2544 benchmarking addresses). */
const OUTSIDE_NET = { host: '198.18.0.1', outside: '198.18.0.2' } as const;

/** Every lab namespace this process creates is named `${NS_PREFIX}<hex>` (its outside: `...-o`). */
export const NS_PREFIX = `tw-${process.pid}-`;

/** Names of network namespaces starting with `prefix` (default `tw-`: also other processes' labs). */
export function labNamespaces(prefix = 'tw-'): string[] {
  const r = runSync('ip', ['netns', 'list'], 10_000);
  return r.stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(prefix));
}

/** What is missing for lab tests on this machine (empty when all is there). */
export function labProblems(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('not root');
  if (process.platform !== 'linux') problems.push('not linux');
  for (const t of TOOLS) if (!which(t)) problems.push(`command ${t} not on PATH`);
  if (!existsSync('/bin/busybox')) problems.push('/bin/busybox missing (apt-get install busybox-static)');
  const found = engines().map((e) => e.name);
  if (!found.includes('20.10')) problems.push('bookworm dockerd 20.10 missing (apt-get install docker.io)');
  if (!found.some((n) => n.startsWith('28.'))) problems.push(`sid dockerd missing under ${SID_ROOT} (run scripts/setup-system.sh)`);
  return problems;
}

/**
 * True when lab tests can run. Otherwise: under CI=true, or after `npm test` ran scripts/setup-system.sh
 * (TIERWALL_SYSTEM_READY=1), it THROWS (a missing prerequisite fails the run),
 * elsewhere it warns and returns false so the caller can skip.
 */
export function requireLabPrerequisites(): boolean {
  const problems = labProblems();
  if (problems.length === 0) return true;
  const msg = `lab prerequisites missing: ${problems.join('; ')}`;
  if (mustHaveSystem()) throw new Error(msg);
  console.warn(`${msg} — skipping lab tests (run scripts/setup-system.sh as root)`);
  return false;
}

let engineCache: Engine[] | undefined;
/** Available engines: bookworm's /usr/sbin/dockerd and the sid one unpacked by setup-system.sh. */
export function engines(): Engine[] {
  if (engineCache) return engineCache;
  const candidates = [
    { dockerd: '/usr/sbin/dockerd', pathDirs: [] as string[] },
    { dockerd: join(SID_ROOT, 'usr/sbin/dockerd'), pathDirs: [join(SID_ROOT, 'usr/sbin'), join(SID_ROOT, 'usr/bin')] },
  ];
  engineCache = [];
  for (const c of candidates) {
    if (!existsSync(c.dockerd)) continue;
    const m = /version (\d+)\.(\d+)\.(\S+?),/.exec(runSync(c.dockerd, ['--version'], 10_000).stdout);
    if (m) engineCache.push({ ...c, name: `${m[1]}.${m[2]}`, version: `${m[1]}.${m[2]}.${m[3]}` });
  }
  return engineCache;
}

/** The engine whose name is `name` ('20.10', '28.5'); throws if absent. */
export function engine(name: string): Engine {
  const e = engines().find((x) => x.name === name);
  if (!e) throw new Error(`engine ${name} not available (have: ${engines().map((x) => x.name).join(', ')})`);
  return e;
}

/** One engine in one namespace. Create with startLab(); always stop() it (withLab does). */
export class Lab {
  readonly dockerHost: string;
  readonly env: NodeJS.ProcessEnv;
  /** PID of the running dockerd (changes on restartDockerd). */
  pid = 0;
  private child: ChildProcess | undefined;
  private pidStart: string | undefined;
  private imageBuilt = false;
  private stopped = false;
  /** PID of the watchdog that cleans up if this process dies first (killed by stop()). */
  reaperPid = 0;

  constructor(readonly engine: Engine, readonly ns: string, readonly dir: string, private readonly opts: LabOptions) {
    this.dockerHost = `unix://${dir}/docker.sock`;
    this.env = { ...process.env, DOCKER_HOST: this.dockerHost };
  }

  /** Run `cmd args` inside the lab's network namespace (nsenter --net). */
  exec(cmd: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    return run('nsenter', [`--net=/run/netns/${this.ns}`, cmd, ...args], opts);
  }

  /** The "outside" namespace, once addOutside() created it. */
  outside: Outside | undefined;

  /**
   * An "outside" host: namespace `<lab ns>-o`, joined to the lab's namespace by a veth pair with
   * addresses from 198.18.0.0/15 (RFC 2544, benchmarking: never a real peer), default route via the lab.
   * It plays a client on the Internet reaching the Docker host's published ports. stop() removes it.
   */
  async addOutside(): Promise<Outside> {
    if (this.outside) return this.outside;
    const ns = `${this.ns}-o`;
    await run('ip', ['netns', 'add', ns]);
    this.outside = { ns, hostIp: OUTSIDE_NET.host, ip: OUTSIDE_NET.outside };
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await run('ip', ['-n', this.ns, 'link', 'add', 'tw-up', 'type', 'veth', 'peer', 'name', 'tw-out', 'netns', ns]);
    await run('ip', ['-n', this.ns, 'addr', 'add', `${OUTSIDE_NET.host}/30`, 'dev', 'tw-up']);
    await run('ip', ['-n', this.ns, 'link', 'set', 'tw-up', 'up']);
    await run('ip', ['-n', ns, 'addr', 'add', `${OUTSIDE_NET.outside}/30`, 'dev', 'tw-out']);
    await run('ip', ['-n', ns, 'link', 'set', 'tw-out', 'up']);
    await run('ip', ['-n', ns, 'route', 'add', 'default', 'via', OUTSIDE_NET.host]);
    return this.outside;
  }

  /** From the outside namespace: does tcp `ip:port` answer? (busybox nc, 2 s, bounded by timeout 10.) */
  async probeFromOutside(ip: string, port: number): Promise<'open' | 'closed'> {
    if (!this.outside) throw new Error('addOutside() first');
    if (isIP(ip) !== 4) throw new Error(`bad ip ${ip}`);
    checkPort(port);
    const r = await run('nsenter', [`--net=/run/netns/${this.outside.ns}`, 'timeout', '10', '/bin/busybox', 'nc', '-w', '2', ip, String(port)],
      { allowFail: true, timeoutMs: 20_000 });
    return r.status === 0 && r.stdout.includes('ok') ? 'open' : 'closed';
  }

  /** Run `cmd args` inside the outside namespace (addOutside() first). */
  execOutside(cmd: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    if (!this.outside) throw new Error('addOutside() first');
    return run('nsenter', [`--net=/run/netns/${this.outside.ns}`, cmd, ...args], opts);
  }

  /**
   * A server in the outside namespace on `proto`/`port` (socat, fork): tcp answers `ok <peer addr>:<peer port>`
   * (so a test sees whether the client was masqueraded), udp echoes the datagram (what Lab.probe expects).
   * Resolves once it listens (bounded, 10 s). The socat command line names the lab dir, so stop() (and the
   * watchdog) end it with the lab's other processes.
   */
  async listenOutside(proto: 'tcp' | 'udp', port: number, opts: { ipv6?: boolean } = {}): Promise<void> {
    if (!this.outside) throw new Error('addOutside() first');
    checkPort(port);
    const reply = join(this.dir, `outside-${proto}-reply.sh`);
    writeFileSync(reply, proto === 'tcp' ? '#!/bin/sh\necho "ok $SOCAT_PEERADDR:$SOCAT_PEERPORT"\n' : '#!/bin/sh\ncat\n', { mode: 0o755 });
    // ipv6: an IPv6-only socket (socat's TCP-LISTEN is IPv4), so one port can have a listener per family.
    const listen = opts.ipv6
      ? `${proto === 'tcp' ? 'TCP6-LISTEN' : 'UDP6-RECVFROM'}:${port},fork,reuseaddr,ipv6only=1`
      : proto === 'tcp' ? `TCP-LISTEN:${port},fork,reuseaddr` : `UDP-RECVFROM:${port},fork,reuseaddr`;
    const child = spawn('nsenter', [`--net=/run/netns/${this.outside.ns}`, 'socat', listen, `EXEC:${reply}`],
      { detached: true, stdio: 'ignore' });
    child.on('error', () => { /* seen below: nothing listens */ });
    child.unref();
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const ss = (await this.execOutside('ss', ['-Hln', proto === 'tcp' ? '-t' : '-u'], { allowFail: true, timeoutMs: 5_000 })).stdout;
      if (ss.split('\n').some((l) => (l.trim().split(/\s+/)[3] ?? '').endsWith(`:${port}`))) return;
      await sleep(100);
    }
    throw new Error(`outside listener ${proto}/${port} not up after 10 s`);
  }

  /** Run the docker CLI against the lab's daemon. */
  docker(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(dockerCli, args, { ...opts, env: this.env });
  }

  /** `iptables -t table -S` inside the namespace. */
  async iptables(table = 'filter'): Promise<string> {
    return (await this.exec('iptables', ['-w', '5', '-t', table, '-S'])).stdout;
  }

  /** Import local/probe:1 (static busybox + socat and its libraries); once per lab. */
  async buildProbeImage(): Promise<string> {
    if (this.imageBuilt) return PROBE_IMAGE;
    const root = join(this.dir, 'probe-rootfs');
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    for (const a of ['sh', 'nc', 'sleep', 'cat', 'echo', 'netstat', 'ping', 'timeout', 'ls', 'ps', 'kill', 'ip']) {
      symlinkSync('busybox', join(root, 'bin', a));
    }
    const socat = which('socat') ?? '/usr/bin/socat';
    copyFileSync(socat, join(root, 'usr/bin/socat'));
    const libs = (await run('ldd', [socat])).stdout.match(/\/\S+/g) ?? [];
    for (const lib of libs) {
      mkdirSync(join(root, dirname(lib)), { recursive: true });
      copyFileSync(lib, join(root, lib)); // follows symlinks
    }
    await run('tar', ['-C', root, '-cf', join(this.dir, 'probe.tar'), '.']);
    await this.docker(['import', join(this.dir, 'probe.tar'), PROBE_IMAGE], { timeoutMs: 60_000 });
    this.imageBuilt = true;
    return PROBE_IMAGE;
  }

  /** Start a probe container on `network` listening on opts.tcp/opts.udp; resolves with its IP once all listen. */
  async runContainer(name: string, network: string, opts: ContainerOptions = {}): Promise<{ name: string; ip: string }> {
    const tcp = opts.tcp ?? [80];
    const udp = opts.udp ?? [53];
    for (const p of [...tcp, ...udp]) checkPort(p);
    if (opts.ip !== undefined && isIP(opts.ip) !== 4) throw new Error(`bad ip ${opts.ip}`);
    await this.buildProbeImage();
    const script = [
      "trap 'exit 0' TERM INT",
      'for p in $TCP; do nc -ll -p "$p" -e /bin/echo ok & done',
      'for p in $UDP; do socat "UDP-RECVFROM:$p,fork,reuseaddr" EXEC:/bin/cat & done',
      'sleep 2147483647 & wait',
    ].join('\n');
    const args = ['run', '-d', '--name', name, '--network', network, ...(opts.ip ? ['--ip', opts.ip] : []),
      '-e', `TCP=${tcp.join(' ')}`, '-e', `UDP=${udp.join(' ')}`, ...(opts.runArgs ?? []), PROBE_IMAGE, 'sh', '-c', script];
    await this.docker(args, { timeoutMs: 60_000 });
    await this.waitListening(name, tcp, udp);
    const nets = JSON.parse((await this.docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', name])).stdout) as
      Record<string, { IPAddress?: string }>;
    return { name, ip: nets[network]?.IPAddress ?? '' };
  }

  /** Wait (bounded, 30 s) until `netstat -lnut` in the container shows every listener. */
  async waitListening(name: string, tcp: readonly number[], udp: readonly number[]): Promise<void> {
    let last = '';
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      last = (await this.docker(['exec', name, 'netstat', '-lnut'], { allowFail: true, timeoutMs: 10_000 })).stdout;
      const ports = (proto: string) => new Set(last.split('\n').filter((l) => l.startsWith(proto))
        .map((l) => Number((l.trim().split(/\s+/)[3] ?? '').split(':').pop())));
      const t = ports('tcp');
      const u = ports('udp');
      if (tcp.every((p) => t.has(p)) && udp.every((p) => u.has(p))) return;
      await sleep(100);
    }
    throw new Error(`container ${name}: listeners tcp ${tcp} udp ${udp} not up after 30 s:\n${last}`);
  }

  /** Can `from` (a container) reach toIp? tcp: nc -w 2; udp: socat echo; icmp: ping -c1 -W1. */
  async probe(from: string, toIp: string, proto: Proto, port = 0): Promise<ProbeResult> {
    if (isIP(toIp) !== 4) throw new Error(`bad ip ${toIp}`);
    if (proto !== 'icmp') checkPort(port);
    const cmd = proto === 'tcp' ? ['nc', '-w', '2', toIp, String(port)]
      : proto === 'udp' ? ['sh', '-c', 'echo tw-probe | timeout 4 socat -T 2 - "UDP:$1:$2"', 'sh', toIp, String(port)]
        : ['ping', '-c', '1', '-W', '1', toIp];
    const r = await this.docker(['exec', from, ...cmd], { allowFail: true, timeoutMs: 30_000 }); // slack for a loaded machine
    // 125-127: docker exec itself failed (no such container, ...): a broken probe, not a closed port.
    if (r.status === null || r.status >= 125) throw new Error(`probe from ${from} failed (${r.status}): ${r.stderr}`);
    if (proto === 'udp') return r.stdout.includes('tw-probe') ? 'open' : 'closed';
    return r.status === 0 ? 'open' : 'closed';
  }

  /** Start dockerd in the namespace and wait (bounded) until `docker info` answers. */
  async startDockerd(): Promise<void> {
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    const path = [...this.engine.pathDirs, process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(delimiter);
    const d = this.dir;
    this.child = spawn('nsenter', [`--net=/run/netns/${this.ns}`, this.engine.dockerd, '--config-file', join(d, 'daemon.json'),
      '--data-root', join(d, 'root'), '--exec-root', join(d, 'exec'), '-H', this.dockerHost, '--pidfile', join(d, 'docker.pid')],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, PATH: path } });
    closeSync(log);
    this.child.on('error', () => { /* spawn failure: seen below as a dead dockerd */ });
    this.child.unref();
    this.pid = this.child.pid ?? 0; // nsenter execs dockerd: same PID
    this.pidStart = procStart(this.pid);
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const r = await this.docker(['info', '--format', '{{.ServerVersion}}'], { allowFail: true, timeoutMs: 10_000 });
      if (r.status === 0 && r.stdout.trim()) return;
      if (!this.dockerdAlive()) break;
      await sleep(200);
    }
    throw new Error(`dockerd ${this.engine.name} in ${this.ns} did not answer:\n${this.logTail()}`);
  }

  /** Stop dockerd (SIGTERM, then SIGKILL after 30 s) and start it again; iptables state in the netns stays. */
  async restartDockerd(): Promise<void> {
    this.killDockerd();
    await this.startDockerd();
  }

  /** Last lines of dockerd's log (for error messages). */
  logTail(lines = 30): string {
    try {
      return readFileSync(join(this.dir, 'dockerd.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no dockerd.log)';
    }
  }

  dockerdAlive(): boolean {
    return this.pid > 0 && this.pidStart !== undefined && procStart(this.pid) === this.pidStart;
  }

  private killDockerd(): void {
    if (!this.dockerdAlive()) return;
    process.kill(this.pid, 'SIGTERM');
    for (let i = 0; i < 300 && this.dockerdAlive(); i++) sleepSync(100);
    if (this.dockerdAlive()) process.kill(this.pid, 'SIGKILL');
    for (let i = 0; i < 100 && this.dockerdAlive(); i++) sleepSync(100);
    if (this.dockerdAlive()) throw new Error(`dockerd ${this.pid} did not exit`);
  }

  /**
   * Tear everything down: containers, dockerd (by PID), leftover processes whose command line names the lab
   * dir (containerd, shims), mounts under the dir, the netns, the dir. Synchronous and idempotent, so it can
   * run from `finally` and from process exit. Throws if something could not be removed.
   */
  stop(): void {
    if (this.stopped) return;
    const problems: string[] = [];
    const step = (what: string, fn: () => void) => {
      try { fn(); } catch (e) { problems.push(`${what}: ${(e as Error).message}`); }
    };
    if (this.dockerdAlive()) {
      step('docker rm -f', () => {
        const ids = runSync(dockerCli, ['ps', '-aq'], 15_000, this.env).stdout.split('\n').filter(Boolean);
        if (ids.length) runSync(dockerCli, ['rm', '-f', ...ids], 60_000, this.env);
      });
    }
    step('kill dockerd', () => this.killDockerd());
    step('leftover containers', () => this.killLeftoverContainers());
    step('leftover processes', () => this.killLeftoverProcesses());
    step('umount', () => this.unmountAll());
    step('ip netns del (outside)', () => {
      const out = `${this.ns}-o`;
      if (existsSync(`/run/netns/${out}`)) {
        const r = runSync('ip', ['netns', 'del', out], 10_000);
        if (r.status !== 0) throw new Error(r.stderr);
      }
    });
    step('ip netns del', () => {
      if (existsSync(`/run/netns/${this.ns}`)) {
        const r = runSync('ip', ['netns', 'del', this.ns], 10_000);
        if (r.status !== 0) throw new Error(r.stderr);
      }
    });
    step('rm dir', () => {
      if (mountsUnder(this.dir).length) throw new Error(`mounts remain under ${this.dir}, not removing it`);
      rmSync(this.dir, { recursive: true, force: true });
    });
    this.stopped = problems.length === 0;
    if (this.stopped) {
      live.delete(this);
      // The watchdog is detached: its process group (its PID) holds it and its `sleep`.
      if (this.reaperPid && pidAlive(this.reaperPid)) process.kill(-this.reaperPid, 'SIGKILL');
      for (let i = 0; i < 20 && pidAlive(this.reaperPid); i++) sleepSync(50);
    }
    if (problems.length) throw new Error(`lab ${this.ns} teardown: ${problems.join('; ')}`);
  }

  /** Containers whose runc state is still in our exec-root (dockerd died): kill and delete them. */
  private killLeftoverContainers(): void {
    const root = join(this.dir, 'exec', 'runtime-runc', 'moby');
    if (!existsSync(root)) return;
    for (const id of readdirSync(root)) {
      runSync('runc', ['--root', root, 'kill', '--all', id, 'KILL'], 10_000);
      runSync('runc', ['--root', root, 'delete', '--force', id], 10_000);
    }
  }

  /** containerd / shims started for this lab: their command line or cwd mentions the lab dir. */
  private killLeftoverProcesses(): void {
    const ours = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).filter((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return cmd.includes(`${this.dir}/`) || readlinkSync(`/proc/${p}/cwd`).startsWith(`${this.dir}/`);
      } catch { return false; }
    }).map(Number).filter(pidAlive);
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      const pids = ours();
      if (!pids.length) return;
      for (const p of pids) { try { process.kill(p, sig); } catch { /* gone */ } }
      for (let i = 0; i < 50 && ours().length; i++) sleepSync(100);
    }
    if (ours().length) throw new Error(`processes still running: ${ours().join(' ')}`);
  }

  private unmountAll(): void {
    for (const m of mountsUnder(this.dir)) {
      if (runSync('umount', [m], 10_000).status !== 0) runSync('umount', ['-l', m], 10_000);
    }
    const left = mountsUnder(this.dir);
    if (left.length) throw new Error(`still mounted: ${left.join(' ')}`);
  }
}

function checkPort(p: number): void {
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`bad port ${p}`);
}

/** Mount points at or below `dir` in our mount namespace, deepest first. */
function mountsUnder(dir: string): string[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => unescape(l.split(' ')[4] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

// Watchdog per lab: if this process dies without stop() (vitest SIGKILLs a worker 500 ms after SIGTERM), it
// tears the lab down. Its inputs come from the environment so its own command line never names the lab dir.
const REAPER = `
while kill -0 "$TW_PARENT" 2>/dev/null && [ -d "$TW_DIR" ]; do sleep 1; done
[ -d "$TW_DIR" ] || exit 0
ours() { grep -lsFf /dev/fd/3 /proc/[0-9]*/cmdline 3<<<"$TW_DIR/" | cut -d/ -f3; }
pid=$(cat "$TW_DIR/docker.pid" 2>/dev/null)
if [ -n "$pid" ] && grep -qsFf /dev/fd/3 "/proc/$pid/cmdline" 3<<<"$TW_DIR/"; then
  kill -TERM "$pid" 2>/dev/null; i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL "$pid" 2>/dev/null
fi
rr="$TW_DIR/exec/runtime-runc/moby"
for c in "$rr"/*; do [ -e "$c" ] && { runc --root "$rr" kill --all "\${c##*/}" KILL; runc --root "$rr" delete --force "\${c##*/}"; }; done
for sig in TERM KILL; do p=$(ours); [ -n "$p" ] && { kill -$sig $p 2>/dev/null; sleep 1; }; done
awk -v d="$TW_DIR" '$5 == d || index($5, d "/") == 1 { print length($5), $5 }' /proc/self/mountinfo | sort -rn |
  while read -r _ m; do umount "$m" 2>/dev/null || umount -l "$m"; done
ip netns del "$TW_NS-o" 2>/dev/null
ip netns del "$TW_NS" 2>/dev/null
grep -qF -- "$TW_DIR/" /proc/self/mountinfo || rm -rf --one-file-system "$TW_DIR"
`;

function startReaper(dir: string, ns: string): number {
  const child = spawn('bash', ['-c', REAPER, 'tierwall-lab-reaper'], {
    detached: true, stdio: 'ignore', cwd: '/', env: { ...process.env, TW_PARENT: String(process.pid), TW_DIR: dir, TW_NS: ns },
  });
  child.on('error', () => { /* no watchdog: stop() and the exit hook still clean up */ });
  child.unref();
  return child.pid ?? 0;
}

/** Create a namespace `tw-<pid>-<hex>` with lo up, a private dir and a dockerd of `engine` in it. */
export async function startLab(eng: Engine, opts: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-lab-'));
  const ns = `${NS_PREFIX}${randomBytes(3).toString('hex')}`;
  const lab = new Lab(eng, ns, dir, opts);
  live.add(lab);
  lab.reaperPid = startReaper(dir, ns);
  try {
    writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ 'shutdown-timeout': 2, ...opts.daemonConfig }));
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await lab.startDockerd();
    return lab;
  } catch (e) {
    try { lab.stop(); } catch (t) { console.error(t); }
    throw e;
  }
}

/** startLab, run fn, always stop; a teardown error never hides fn's own error. */
export async function withLab<T>(eng: Engine, fn: (lab: Lab) => Promise<T> | T, opts: LabOptions = {}): Promise<T> {
  const lab = await startLab(eng, opts);
  let failed = false;
  try {
    return await fn(lab);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    try { lab.stop(); } catch (t) { if (failed) console.error(t); else throw t; }
  }
}

// Safety net: a lab that was never stopped (a test crashed) is torn down when the process exits.
process.on('exit', () => {
  for (const lab of live) {
    try { lab.stop(); } catch (e) { console.error(e); }
  }
});
