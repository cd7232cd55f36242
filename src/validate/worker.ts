// validate: the worker-thread entry of the bundle (dist/validate-worker.js). Input: one message
// { policy, rulesV4, rulesV6 } (structured clones of plain data). Output: one message, either
// { diagnostics } or { error }. Started by parallel.ts; ends after answering.
import { parentPort } from 'node:worker_threads';
import type { Policy } from '../ir/types.js';
import { validateRulesets } from './rulesets.js';

parentPort?.once('message', (job: { policy: Policy; rulesV4: string; rulesV6: string | undefined }) => {
  try {
    const diagnostics = validateRulesets(job.policy, job.rulesV4, job.rulesV6);
    parentPort!.postMessage({ diagnostics });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
  parentPort!.close();
});
