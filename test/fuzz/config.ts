// test/fuzz: how many runs and which seed. CI and `npm test` use a fixed seed and modest run counts, so
// a failure reproduces exactly and the suite stays fast; bench/fuzz-long sets TIERWALL_FUZZ_SEED (random)
// and TIERWALL_FUZZ_RUNS (many) to run the very same properties long.
import type { Parameters } from 'fast-check';

/** The fixed seed of CI runs. */
export const CI_SEED = 0x7e57;

const envNumber = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not '${raw}'`);
  return n;
};

/** Seed of this run: TIERWALL_FUZZ_SEED, else CI_SEED. */
export const SEED = envNumber('TIERWALL_FUZZ_SEED') ?? CI_SEED;

/** Total runs requested by bench/fuzz-long; each property takes its share (weights below). */
const LONG_RUNS = envNumber('TIERWALL_FUZZ_RUNS');

/**
 * fast-check parameters for one property: `ciRuns` in CI, or `weight` x TIERWALL_FUZZ_RUNS in a long
 * run. The seed is offset per property (by `salt`) so properties do not walk the same random stream.
 */
export function runs(ciRuns: number, salt: number, weight = 1): Parameters<unknown> {
  const numRuns = LONG_RUNS === undefined ? ciRuns : Math.max(1, Math.round(LONG_RUNS * weight));
  return { seed: (SEED + salt) | 0, numRuns, endOnFailure: true, verbose: 1 };
}

/** True in a long run: tests may then skip their CI-only extras (CLI processes). */
export const LONG = LONG_RUNS !== undefined;

/** Per-test timeout: generous in CI, practically none in a long run. */
export const TIMEOUT = LONG ? 2_000_000_000 : 300_000;
