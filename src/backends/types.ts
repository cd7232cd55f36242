// backends: what every backend exposes. A backend turns the IR into artifacts in memory; the
// CLI writes them. model(ir) makes every decision (pure); templates only place values.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';

/** One generated file, relative to the output directory. */
export interface Artifact {
  readonly path: string;
  readonly content: string;
  /** File mode; 0o755 for scripts, 0o644 otherwise. */
  readonly mode: number;
}

export interface BackendResult {
  readonly artifacts: readonly Artifact[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Backend {
  /** Short lowercase name, used in diagnostics ("backend 'compose' cannot express ..."). */
  readonly name: string;
  generate(policy: Policy): BackendResult;
}
