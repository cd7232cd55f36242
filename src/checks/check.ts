// checks: the interface every semantic check implements. Input: the lowered, readonly Policy.
// Output: diagnostics; a check never throws for a bad policy and never mutates the IR.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';

/** One semantic check over a lowered policy (one file per check, listed in registry.ts). */
export interface Check {
  /** Stable kebab-case id, the check's file name (for --timings and docs). */
  readonly id: string;
  run(policy: Policy): Diagnostic[];
}
