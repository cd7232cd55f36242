// test support (installer): writes generated artifacts to temp dirs, runs processes with a bound,
// and decides whether a test that needs a system tool runs (CI: a missing tool fails, else skips).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Policy } from '../../../src/ir/types.js';
import { backend as installer } from '../../../src/backends/installer/backend.js';
import { mustHaveSystem } from '../../support/system.js';

export interface Proc {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command synchronously, killed after timeoutMs. */
export function sh(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): Proc {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, input: opts.input, timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', cwd: opts.cwd });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

const found = new Map<string, string | undefined>();
/** The command's path on PATH (looked up once per process). */
export function which(cmd: string): string | undefined {
  if (!found.has(cmd)) {
    const r = sh('sh', ['-c', 'command -v "$1"', 'sh', cmd]);
    found.set(cmd, r.status === 0 ? r.stdout.trim() : undefined);
  }
  return found.get(cmd);
}

const inCi = mustHaveSystem();

/** True when every tool is on PATH (and, with root, we are root). Under CI a missing one throws. */
export function haveTools(what: string, tools: readonly string[], needRoot = false): boolean {
  const missing = tools.filter((t) => !which(t));
  if (needRoot && process.getuid?.() !== 0) missing.push('root');
  if (missing.length === 0) return true;
  const msg = `${what}: missing ${missing.join(', ')}`;
  if (inCi) throw new Error(`${msg} (CI must provide it: scripts/setup-system.sh)`);
  console.warn(`${msg}: skipping`);
  return false;
}

export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `tw-${prefix}-`));
  chmodSync(d, 0o755); // readable by the unprivileged user of the non-root tests
  return d;
}

/** Writes the policy's install.sh into dir (mode 0755) and returns its path. */
export function writeInstaller(policy: Policy, dir: string, name = 'install.sh'): string {
  const r = installer.generate(policy);
  const a = r.artifacts.find((x) => x.path === 'install.sh');
  if (!a) throw new Error(`no install.sh: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, a.content, { mode: a.mode });
  chmodSync(file, a.mode);
  return file;
}
