// validate/k8s: translation validation of the Kubernetes NetworkPolicy output (public entry points).
// Input: Policy IR + the k8s artifacts' text + the options. Output: K8sValidationResult and its diagnostics.
export { validateK8s, KUSTOMIZATION, type K8sValidateOptions } from './validate.js';
export { describeK8sProblem, k8sProblemDiagnostic, k8sValidationDiagnostics } from './report.js';
export { Cluster, portsMatch, selects, sideAllows } from './cluster.js';
export { readNetworkPolicy, readNetworkPolicyText, readKustomization, ReadError } from './read.js';
export type * from './model.js';
export type * from './types.js';
