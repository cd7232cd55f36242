// bench: running a command and measuring it. Input: argv, files for stdout/stderr, a timeout.
// Output: wall time (ms, from the parent, monotonic clock), user+system CPU time and peak RSS (from
// GNU time's %U %S %M, for the command's whole process tree as wait4 reports it), exit code.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

const TIME = '/usr/bin/time';

/**
 * Runs argv under /usr/bin/time. stdout/stderr go to the given files ('/dev/null' by default), so
 * large outputs cost the command what writing a file costs, not what a pipe into node costs.
 */
export function timed(argv, { stdout = '/dev/null', stderr = '/dev/null', cwd, timeoutS = 3600, env } = {}) {
  const timeFile = `${stderr === '/dev/null' ? '/tmp' : stderr}.time-${process.pid}`;
  const out = openSync(stdout, 'w');
  const err = openSync(stderr, 'w');
  const t0 = process.hrtime.bigint();
  // coreutils timeout signals the command's whole process group (Capirca forks renderers): TERM,
  // so that timeout itself survives, waits, and GNU time still sees the CPU time and peak RSS of
  // the killed run; KILL 10 s later for a command that ignores TERM.
  const r = spawnSync(TIME, ['-f', '%U %S %M', '-o', timeFile, 'timeout', '--kill-after=10', String(timeoutS), ...argv], {
    stdio: ['ignore', out, err],
    cwd,
    env: env ?? process.env,
    timeout: (timeoutS + 60) * 1000,
    killSignal: 'SIGKILL',
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(out);
  closeSync(err);
  let cpuMs = NaN;
  let rssMB = NaN;
  try {
    // The last line: GNU time writes "Command exited with non-zero status N" first on failure.
    const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
    const [u, s, m] = lines[lines.length - 1].split(' ').map(Number);
    cpuMs = (u + s) * 1000;
    rssMB = m / 1024;
  } catch {
    /* killed before time wrote anything */
  }
  rmSync(timeFile, { force: true });
  const code = r.status ?? (r.signal ? 128 : -1);
  const timedOut = code === 124 || (code === 137 && wallMs >= timeoutS * 1000 * 0.99);
  return { wallMs, cpuMs, rssMB, code, timedOut, signal: r.signal, error: r.error?.message };
}

/** Median, min, max, quartiles (linear interpolation) of numbers; NaN-free input expected. */
export function stats(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, q1: NaN, q3: NaN };
  const q = (p) => {
    const i = (v.length - 1) * p;
    const lo = Math.floor(i);
    return v[lo] + (v[Math.ceil(i)] - v[lo]) * (i - lo);
  };
  return { n: v.length, median: q(0.5), min: v[0], max: v[v.length - 1], q1: q(0.25), q3: q(0.75) };
}

/** Runs a command, returns stdout as text; throws with stderr on failure. For facts, not timing. */
export function output(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').trim().slice(0, 500)}`);
  return r.stdout;
}
