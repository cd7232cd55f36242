// test support: policy text -> IR through the real front end; throws when it has errors, so a
// test never silently works on a half-lowered policy.
import { analyzeText } from '../../src/pipeline.js';
import type { Policy } from '../../src/ir/types.js';

export function loadPolicy(text: string, file = 'test.policy'): Policy {
  const a = analyzeText(file, text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`policy has errors:\n${errors.map((d) => `  ${d.code}: ${d.message}`).join('\n')}`);
  }
  return a.policy;
}
