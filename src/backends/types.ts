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

/** Options from the command line that some backends take (others ignore them). */
export interface BackendOptions {
  /** k8s: the namespace the NetworkPolicies go to. */
  readonly namespace?: string;
  /** k8s: allow egress to kube-dns (udp/53, tcp/53). */
  readonly dnsEgress?: boolean;
  /** monitoring: the policy tier Prometheus and node-exporter join (default 'monitoring'). */
  readonly monitoringTier?: string;
  /** monitoring: image references; pinned defaults in src/backends/monitoring/model.ts. */
  readonly prometheusImage?: string;
  readonly nodeExporterImage?: string;
}

export interface Backend {
  /** Short lowercase name, used in diagnostics ("backend 'compose' cannot express ..."). */
  readonly name: string;
  generate(policy: Policy, options?: BackendOptions): BackendResult;
}
