// kernel test support: runs commands with a timeout, inside a named network namespace; keeps
// track of every namespace and process it started so cleanup can remove exactly those.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every namespace of this run starts with this: tw-k-<pid36><rand>-. */
export const RUN_PREFIX = `tw-k-${process.pid.toString(36)}${randomBytes(2).toString('hex')}-`;

const namespaces = new Set<string>();
const processes = new Set<ChildProcess>();

/** Runs a command (never through a shell); kills it after timeoutMs; throws on failure unless allowFail. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; allowFail?: boolean } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => {}); // the command may exit before reading its input
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const r = { code, stdout, stderr };
      if (code !== 0 && !opts.allowFail) reject(new Error(`${cmd} ${args.join(' ')} -> ${code}: ${stderr.trim()}`));
      else resolve(r);
    });
  });
}

/** Runs a command inside namespace `ns` (nsenter: no /sys remount, unlike `ip netns exec`). */
export function inNs(ns: string, cmd: string, args: readonly string[], opts?: Parameters<typeof run>[2]): Promise<Result> {
  if (!namespaces.has(ns)) throw new Error(`refusing to run in a namespace this test did not create: ${ns}`);
  return run('nsenter', [`--net=/run/netns/${ns}`, cmd, ...args], opts);
}

/** `ip -n NS -batch -`: many iproute2 commands inside the namespace, one process. */
export function ipBatch(ns: string, commands: readonly string[]): Promise<Result> {
  if (!namespaces.has(ns)) throw new Error(`refusing to touch a namespace this test did not create: ${ns}`);
  return run('ip', ['-n', ns, '-batch', '-'], { input: `${commands.join('\n')}\n` });
}

// Watchdog: the 'exit' hook below does not run when the test process is SIGKILLed (vitest kills a
// worker 500 ms after SIGTERM; a killed CI run). A detached shell waits for this process to end, then
// kills what still runs inside this run's namespaces (only we enter them) and deletes them. After a
// normal cleanup it finds none. Its inputs come from the environment, never its command line.
const REAPER = `
while kill -0 "$TW_PARENT" 2>/dev/null; do sleep 1; done
for path in /run/netns/"$TW_PREFIX"*; do
  [ -e "$path" ] || continue
  ns=\${path##*/}
  pids=$(ip netns pids "$ns" 2>/dev/null)
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  ip netns del "$ns" 2>/dev/null
done
`;
let reaper = 0;

/** Starts the watchdog once per process (before the first namespace exists); returns its PID. */
export function startReaper(prefix = RUN_PREFIX): number {
  if (reaper) return reaper;
  const child = spawn('bash', ['-c', REAPER, 'tierwall-kernel-reaper'], {
    detached: true, stdio: 'ignore', cwd: '/', env: { ...process.env, TW_PARENT: String(process.pid), TW_PREFIX: prefix },
  });
  child.on('error', () => { /* no watchdog: afterAll and the exit hook still clean up */ });
  child.unref();
  return (reaper = child.pid ?? 0);
}

/** Creates the namespaces (one `ip -batch`); each name must carry this run's prefix. */
export async function addNamespaces(names: readonly string[]): Promise<void> {
  startReaper();
  for (const n of names) {
    if (!n.startsWith(RUN_PREFIX)) throw new Error(`namespace ${n} lacks the run prefix`);
    namespaces.add(n);
  }
  await run('ip', ['-batch', '-'], { input: `${names.map((n) => `netns add ${n}`).join('\n')}\n` });
}

/** Starts a long-running command inside `ns` (a listener); stopped by stopProcesses(). */
export function startInNs(ns: string, cmd: string, args: readonly string[]): ChildProcess {
  if (!namespaces.has(ns)) throw new Error(`refusing to run in a namespace this test did not create: ${ns}`);
  const child = spawn('nsenter', [`--net=/run/netns/${ns}`, cmd, ...args], { stdio: 'ignore' });
  processes.add(child);
  child.on('exit', () => processes.delete(child));
  return child;
}

/** Kills the processes this run started, by PID, and waits (bounded) until they are gone. */
export async function stopProcesses(): Promise<void> {
  const waits = [...processes].map(
    (p) =>
      new Promise<void>((resolve) => {
        if (p.exitCode !== null || p.signalCode !== null) return resolve();
        const t = setTimeout(resolve, 3000);
        p.once('exit', () => (clearTimeout(t), resolve()));
        p.kill('SIGTERM');
      }),
  );
  await Promise.all(waits);
  for (const p of processes) p.kill('SIGKILL');
  processes.clear();
}

/** Deletes the namespaces this run created (veths and bridges inside go with them). */
export async function removeNamespaces(): Promise<void> {
  await stopProcesses();
  if (namespaces.size === 0) return;
  // -force: a namespace that is already gone must not stop the others from being deleted.
  await run('ip', ['-force', '-batch', '-'], { input: `${[...namespaces].map((n) => `netns del ${n}`).join('\n')}\n`, allowFail: true });
  namespaces.clear();
}

// Last resort when the test process exits without running afterAll (a crash, a killed worker): our
// processes by PID, then our namespaces. Synchronous, as an 'exit' handler must be.
process.once('exit', () => {
  for (const p of processes) p.kill('SIGKILL');
  if (namespaces.size > 0) {
    spawnSync('ip', ['-force', '-batch', '-'], { input: [...namespaces].map((n) => `netns del ${n}\n`).join('') });
  }
});

/** Namespaces with our run prefix still present (must be none after cleanup). */
export function leftoverNamespaces(): string[] {
  if (!existsSync('/run/netns')) return [];
  return readdirSync('/run/netns').filter((n) => n.startsWith(RUN_PREFIX));
}

/** Which prerequisites are missing (root, tools, br_netfilter); empty when the test can run. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root');
  for (const tool of ['ip', 'ss', 'iptables', 'iptables-restore', 'iptables-save', 'nsenter', 'socat', 'busybox']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) missing.push(tool);
  }
  const applets = spawnSync('busybox', ['--list'], { encoding: 'utf8' });
  if (!/^ping$/m.test(applets.stdout ?? '')) missing.push('busybox ping');
  if (!existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) missing.push('br_netfilter (bridge-nf-call-iptables)');
  return missing;
}
