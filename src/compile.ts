// compile: front end + the target's backends, all in memory. The CLI writes the artifacts.
// Input: a SourceFile and a target name. Output: artifacts (empty when anything is an error).
import type { SourceFile } from './source/source-file.js';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { Artifact, BackendOptions } from './backends/types.js';
import { DEFAULT_TARGET, TARGETS, loadTarget } from './backends/registry.js';
import { analyze, internalError, type Analysis, type StageTimings } from './pipeline.js';
import { validateIptables, validationDiagnostics } from './validate/index.js';
import { RULES_FILE } from './backends/iptables/backend.js';
import { entryRuleOf } from './backends/iptables/model.js';
import { ipv6Projection, RULES_V6_FILE, rulesV6AsV4 } from './backends/iptables/ipv6.js';
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
  for (const b of backends) {
    const r = b.generate(analysis.policy, options);
    for (const a of r.artifacts) artifacts.push(a);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  timings.emit = performance.now() - t0;
  // Every compile proves its own output: an independent reader of rules.v4 must decide every
  // flow class as the evaluator does, or nothing is written.
  const rules = artifacts.find((a) => a.path === RULES_FILE);
  if (rules && !options.noValidate && !hasErrors(diagnostics)) {
    const t1 = performance.now();
    try {
      for (const d of validationDiagnostics(validateIptables(analysis.policy, rules.content, entryRuleOf(analysis.policy.name)))) diagnostics.push(d);
      // rules.v6, renamed back to the IPv4 stand-ins of its projection (iptables/ipv6.ts), gets the same proof.
      const v6 = artifacts.find((a) => a.path === RULES_V6_FILE);
      if (v6) {
        const projected = ipv6Projection(analysis.policy);
        const back = rulesV6AsV4(analysis.policy, v6.content);
        for (const d of validationDiagnostics(validateIptables(projected, back, entryRuleOf(projected.name)))) {
          diagnostics.push(d.code === 'validation-failed' ? { ...d, message: d.message.replace(/^rules\.v4/, RULES_V6_FILE) } : d);
        }
      }
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
