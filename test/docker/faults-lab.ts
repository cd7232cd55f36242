// docker fault-test support (used by faults-suite.ts): PATH stand-ins that slow down or stall
// iptables-restore / `docker network create`, and install.sh runs we start ourselves so we can
// SIGKILL exactly them (their own process group, by PID) in the middle of an apply.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';

/**
 * A stand-in for `real` (an absolute path) in a fresh dir `dir` (put it first on PATH).
 * `when`: a bash condition on "$@" selecting the calls that are slowed (others exec the real binary at once).
 * mode 'before': touch dir/entered, sleep `seconds`, then exec the real binary (a slow call).
 * mode 'after': run the real binary first (its exit status kept), touch dir/entered, sleep `seconds`, exit
 * with that status (the work is done but the caller has not seen it yet).
 * mode 'gate': touch dir/entered, wait (at most `seconds`) until dir/go exists, then exec the real binary:
 * the test decides the exact moment the call goes through (openGate).
 */
export function slowStandIn(dir: string, name: string, real: string, mode: 'before' | 'after' | 'gate', seconds: number, when = 'true'): string {
  if (!real.startsWith('/')) throw new Error(`stand-in for ${name}: real binary must be absolute, got ${real}`);
  mkdirSync(dir, { recursive: true });
  const entered = join(dir, 'entered');
  const go = join(dir, 'go');
  const body = mode === 'before'
    ? [`touch ${entered}`, `sleep ${seconds}`, `exec ${real} "$@"`]
    : mode === 'gate'
      ? [`touch ${entered}`, `for ((i = 0; i < ${seconds * 10}; i++)); do [ -e ${go} ] && break; sleep 0.1; done`, `exec ${real} "$@"`]
      : [`${real} "$@"; rc=$?`, `touch ${entered}`, `sleep ${seconds}`, 'exit "$rc"'];
  writeFileSync(join(dir, name), [
    '#!/bin/bash',
    `if ! { ${when}; }; then exec ${real} "$@"; fi`,
    ...body,
  ].join('\n') + '\n', { mode: 0o755 });
  return dir;
}

/** Lets a 'gate' stand-in's held call go through. */
export function openGate(dir: string): void {
  writeFileSync(join(dir, 'go'), '');
}

/** Wait (bounded) until `file` exists; false on timeout or if `alive()` turns false first. */
export async function waitFor(file: string, timeoutMs: number, alive: () => boolean = () => true): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (existsSync(file)) return true;
    if (!alive()) return existsSync(file);
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export interface Started {
  readonly pid: number;
  /** Resolves when the run's process exits: its status (null if killed) and output. */
  readonly done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  exited(): boolean;
  /** SIGKILL the run's whole process group (bash, the stand-in, its sleep) and wait for it (bounded). */
  kill(): Promise<void>;
}

/** `nsenter --net=<lab ns> bash script ARGS` in a process group of its own (we own its PID). */
export function startInstaller(lab: Lab, script: string, args: readonly string[], pathFirst: readonly string[], tmpDir: string): Started {
  const PATH = [...pathFirst, lab.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(':');
  mkdirSync(tmpDir, { recursive: true });
  const child = spawn('nsenter', [`--net=/run/netns/${lab.ns}`, 'bash', script, ...args], {
    detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...lab.env, PATH, TMPDIR: tmpDir },
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (status, signal) => { exited = true; resolve({ status, signal, stdout, stderr }); });
    child.on('error', (e) => { exited = true; resolve({ status: null, signal: null, stdout, stderr: `${stderr}\nspawn: ${e.message}` }); });
  });
  const pid = child.pid ?? 0;
  // Safety net: never leave the run behind (bounded by the test's own timeouts as well).
  const guard = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 240_000);
  void done.then(() => clearTimeout(guard));
  return {
    pid,
    done,
    exited: () => exited,
    kill: async () => {
      if (!pid || exited) return;
      try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
      await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
      if (!exited) throw new Error(`install.sh run ${pid} did not exit after SIGKILL`);
    },
  };
}
