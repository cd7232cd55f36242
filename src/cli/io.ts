// cli: file input and output. Reads files or '-' (stdin); writes artifacts atomically, and
// only those whose content changed, so timestamps (and make, and reviewers) see real changes.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Artifact } from '../backends/types.js';

export class InputError extends Error {}

/** Reads a policy file, or standard input for '-'. */
export function readInput(path: string): { name: string; text: string } {
  try {
    if (path === '-') return { name: '<stdin>', text: readFileSync(0, 'utf8') };
    return { name: path, text: readFileSync(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new InputError(`${path}: ${reason}`);
  }
}

/** Is the file there with this mode and these bytes? Sizes first: artifacts run to tens of megabytes. */
function sameContent(path: string, content: string, mode: number): boolean {
  try {
    const st = statSync(path);
    if ((st.mode & 0o777) !== mode || st.size !== Buffer.byteLength(content)) return false;
    return readFileSync(path).equals(Buffer.from(content));
  } catch {
    return false;
  }
}

export interface WriteResult {
  readonly written: string[];
  readonly unchanged: string[];
}

/**
 * Writes every artifact under `dir`. Each file is first written in full to a temporary
 * directory inside `dir` and then renamed into place, so an interrupted compile never leaves a
 * half-written file; unchanged files are not touched.
 */
export function writeArtifacts(dir: string, artifacts: readonly Artifact[]): WriteResult {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const staging = mkdtempSync(join(out, '.tierwall-'));
  const written: string[] = [];
  const unchanged: string[] = [];
  try {
    const pending: { tmp: string; dest: string }[] = [];
    for (const a of artifacts) {
      const dest = join(out, a.path);
      if (sameContent(dest, a.content, a.mode)) {
        unchanged.push(a.path);
        continue;
      }
      const tmp = join(staging, String(pending.length));
      writeFileSync(tmp, a.content, { mode: a.mode });
      chmodSync(tmp, a.mode);
      pending.push({ tmp, dest });
      written.push(a.path);
    }
    for (const { tmp, dest } of pending) {
      mkdirSync(dirname(dest), { recursive: true });
      renameSync(tmp, dest);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { written, unchanged };
}

/** Writes one file atomically (fmt --write). */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tierwall-${process.pid}.tmp`;
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    /* new file */
  }
  try {
    writeFileSync(tmp, content, { mode });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
