// validate: runs the compile's proof of rules.v4/rules.v6 (rulesets.ts) next to the rest of the
// compile. At 1,000 tiers x 100,000 rules the proof takes about as long as emitting every other
// artifact (~15 s each) and the machine has a second core: the bundled CLI hands it to a worker thread
// (dist/validate-worker.js) as soon as the iptables backend has written its rulesets, while the
// installer, the report and the rest are emitted. Small rulesets are proven in-thread, after the
// other backends, as before: a worker costs tens of milliseconds to start and to copy the policy.
// Running from src/ (vitest) there is no bundle, so no worker unless a test passes one.
// TIERWALL_VALIDATE_WORKER=always|never overrides the size rule (tests, and a way out).
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../ir/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { validateRulesets } from './rulesets.js';

/** Set by scripts/build.mjs (esbuild `define`) to the worker entry's file name; absent under src/. */
declare const __TIERWALL_VALIDATE_WORKER__: string | undefined;

/**
 * rules.v4 text size from which the proof goes to a worker: 1 MB is ~3,000 rules, where the proof
 * takes ~0.5 s and the worker's start and the copy of the policy ~40 ms (bench/RESULTS.md).
 */
export const WORKER_MIN_BYTES = 1_000_000;

export interface PendingValidation {
  /** True when the proof runs on a worker thread. */
  readonly onWorker: boolean;
  /** The validator's diagnostics; rejects when the proof itself failed (a validator bug). */
  result(): Promise<Diagnostic[]>;
  /** Drops the proof (the compile failed elsewhere): the worker is stopped, nothing is reported. */
  cancel(): void;
}

/** The worker entry next to the bundle, or undefined when running from src/ or it is missing. */
export function bundledWorker(): URL | undefined {
  if (typeof __TIERWALL_VALIDATE_WORKER__ === 'undefined') return undefined;
  // This module sits in dist/chunks/ (or in dist/ itself if esbuild ever inlines it).
  const here = import.meta.url;
  const url = new URL(`${here.includes('/chunks/') ? '../' : './'}${__TIERWALL_VALIDATE_WORKER__}`, here);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

export function startValidation(policy: Policy, rulesV4: string, rulesV6: string | undefined, worker: URL | undefined = bundledWorker()): PendingValidation {
  const mode = process.env['TIERWALL_VALIDATE_WORKER'];
  const useWorker = worker !== undefined && mode !== 'never' && (mode === 'always' || rulesV4.length >= WORKER_MIN_BYTES);
  if (!useWorker) {
    return { onWorker: false, result: async () => validateRulesets(policy, rulesV4, rulesV6), cancel: () => undefined };
  }
  let w: Worker;
  try {
    w = new Worker(worker);
  } catch {
    return startValidation(policy, rulesV4, rulesV6, undefined); // no thread to be had: prove in-thread
  }
  const done = new Promise<Diagnostic[]>((resolve, reject) => {
    w.once('message', (m: { diagnostics: Diagnostic[] } | { error: string }) => {
      if ('error' in m) reject(new Error(`validator (worker thread): ${m.error}`));
      else resolve(m.diagnostics);
      void w.terminate();
    });
    w.once('error', (e) => reject(e));
    // After an answer this rejection is ignored (a promise settles once).
    w.once('exit', (code) => reject(new Error(`validator worker thread exited (${code}) without an answer`)));
  });
  // A cancelled proof is never awaited: its rejection must not count as unhandled.
  done.catch(() => undefined);
  try {
    w.postMessage({ policy, rulesV4, rulesV6 });
  } catch {
    // Something in the IR that cannot be copied to a thread (a DataCloneError): prove in-thread.
    void w.terminate();
    return startValidation(policy, rulesV4, rulesV6, undefined);
  }
  return { onWorker: true, result: () => done, cancel: () => void w.terminate() };
}
