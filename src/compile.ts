// compile: front end + the target's backends, all in memory. The CLI writes the artifacts.
// Input: a SourceFile and a target name. Output: artifacts (empty when anything is an error).
import type { SourceFile } from './source/source-file.js';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { Artifact, BackendOptions } from './backends/types.js';
import { DEFAULT_TARGET, TARGETS, loadTarget } from './backends/registry.js';
import { analyze, internalError, type Analysis, type StageTimings } from './pipeline.js';
import { bundledWorker, startValidation, type PendingValidation } from './validate/parallel.js';
import { RULES_FILE } from './backends/iptables/backend.js';
import { RULES_V6_FILE } from './backends/iptables/ipv6.js';
import { k8sValidationDiagnostics, KUSTOMIZATION, validateK8s } from './validate/k8s/index.js';

export interface CompileOptions extends BackendOptions {
  /** Skip translation validation of rules.v4 and of the k8s manifests (emergencies only; the CLI says so loudly). */
  readonly noValidate?: boolean;
}

export interface CompileResult {
  readonly analysis: Analysis;
  readonly artifacts: readonly Artifact[];
  readonly diagnostics: readonly Diagnostic[];
  readonly timings: StageTimings;
}

export async function compile(source: SourceFile, target = DEFAULT_TARGET, options: CompileOptions = {}): Promise<CompileResult> {
  const analysis = analyze(source);
  const diagnostics = [...analysis.diagnostics];
  const timings: StageTimings = { ...analysis.timings };
  const backends = await loadTarget(target);
  if (!backends) {
    diagnostics.push(diag('unknown-target', { target, known: Object.keys(TARGETS).join(', ') }, undefined));
  }
  if (!backends || hasErrors(diagnostics)) {
    return { analysis, artifacts: [], diagnostics: sortDiagnostics(diagnostics), timings };
  }
  const t0 = performance.now();
  const artifacts: Artifact[] = [];
  // Every compile proves its own output: an independent reader of rules.v4 (and rules.v6) must
  // decide every flow class as the evaluator does, or nothing is written. The proof starts as soon as
  // the rulesets exist, on a worker thread for large ones (validate/parallel.ts), while the other
  // backends run.
  let proof: PendingValidation | undefined;
  backends.forEach((b, k) => {
    const r = b.generate(analysis.policy, options);
    for (const a of r.artifacts) artifacts.push(a);
    for (const d of r.diagnostics) diagnostics.push(d);
    const rules = artifacts.find((a) => a.path === RULES_FILE);
    if (!proof && rules && !options.noValidate && !hasErrors(diagnostics)) {
      // With no backend left to run alongside (--target iptables) a worker would only add its start.
      const worker = k < backends.length - 1 ? bundledWorker() : undefined;
      proof = startValidation(analysis.policy, rules.content, artifacts.find((a) => a.path === RULES_V6_FILE)?.content, worker);
    }
  });
  timings.emit = performance.now() - t0;
  if (proof) {
    // What the proof adds to the compile: all of it in-thread, the wait after emit on a worker.
    const t1 = performance.now();
    try {
      // As before the worker: a compile whose backends failed is not proven (nothing is written).
      if (hasErrors(diagnostics)) proof.cancel();
      else for (const d of await proof.result()) diagnostics.push(d);
    } catch (e) {
      diagnostics.push(internalError(e)); // a validator bug must not let unproven rules through
    }
    timings.validate = performance.now() - t1;
  }
  // The same proof for the Kubernetes output, read back from the manifests' text.
  if (artifacts.some((a) => a.path === KUSTOMIZATION) && !options.noValidate && !hasErrors(diagnostics)) {
    const t1 = performance.now();
    try {
      const files = new Map(artifacts.map((a) => [a.path, a.content]));
      for (const d of k8sValidationDiagnostics(validateK8s(analysis.policy, files, options))) diagnostics.push(d);
    } catch (e) {
      diagnostics.push(internalError(e));
    }
    timings.validate = (timings.validate ?? 0) + performance.now() - t1;
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A backend that cannot express part of the policy reports an error: emit nothing then.
  const ok = !hasErrors(diagnostics);
  return { analysis, artifacts: ok ? artifacts : [], diagnostics: sortDiagnostics(diagnostics), timings };
}
