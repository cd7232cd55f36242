// backends/k8s: the Kubernetes NetworkPolicy backend. Input: Policy (+ K8sOptions). Output:
// k8s/tiers/<tier>.yaml per tier, k8s/kustomization.yaml, diagnostics. Decisions live in model.ts.
import type { Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { render } from '../shared/render.js';
import { k8sModel, OUT_DIR, type K8sManifest, type K8sModel, type K8sOptions } from './model.js';

export { k8sModel, DEFAULT_NAMESPACE, TIER_LABEL, type K8sModel, type K8sOptions } from './model.js';

/** Fills templates/k8s/networkpolicy.yaml.hbs; nothing here decides anything. */
export function emitNetworkPolicy(manifest: K8sManifest): string {
  return render('k8s/networkpolicy.yaml.hbs', manifest);
}

export function emitKustomization(model: K8sModel): string {
  return render('k8s/kustomization.yaml.hbs', model);
}

/** Pure: the same policy and options always give the same artifacts. */
export function generateK8s(policy: Policy, options: K8sOptions = {}): BackendResult {
  const { model, diagnostics } = k8sModel(policy, options);
  const artifacts = [
    ...model.manifests.map((m) => ({ path: m.path, content: emitNetworkPolicy(m), mode: 0o644 })),
    { path: `${OUT_DIR}/kustomization.yaml`, content: emitKustomization(model), mode: 0o644 },
  ];
  return { artifacts, diagnostics };
}

/** `generate(policy, options?)`: callers that know no options get namespace "default", no DNS. */
export const backend: Backend & { generate(policy: Policy, options?: K8sOptions): BackendResult } = {
  name: 'k8s',
  generate: generateK8s,
};
