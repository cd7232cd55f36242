// compile: front end + the target's backends, all in memory. The CLI writes the artifacts.
// Input: a SourceFile and a target name. Output: artifacts (empty when anything is an error).
import type { SourceFile } from './source/source-file.js';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { Artifact, BackendOptions } from './backends/types.js';
import { DEFAULT_TARGET, TARGETS, loadTarget } from './backends/registry.js';
import { analyze, type Analysis, type StageTimings } from './pipeline.js';

export interface CompileResult {
  readonly analysis: Analysis;
  readonly artifacts: readonly Artifact[];
  readonly diagnostics: readonly Diagnostic[];
  readonly timings: StageTimings;
}

export async function compile(source: SourceFile, target = DEFAULT_TARGET, options: BackendOptions = {}): Promise<CompileResult> {
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
    artifacts.push(...r.artifacts);
    diagnostics.push(...r.diagnostics);
  }
  timings.emit = performance.now() - t0;
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A backend that cannot express part of the policy reports an error: emit nothing then.
  const ok = !hasErrors(diagnostics);
  return { analysis, artifacts: ok ? artifacts : [], diagnostics: sortDiagnostics(diagnostics), timings };
}
