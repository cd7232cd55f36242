// validate: translation validation of generated rulesets against the evaluator (public entry points).
// Input: Policy IR + the backend's output. Output: ValidationResult and its diagnostics.
export { validateIptables, type ValidateOptions } from './validate.js';
export { describeProblem, problemDiagnostic, validationDiagnostics } from './report.js';
export { MAX_PROBLEMS } from './collector.js';
export type * from './types.js';
