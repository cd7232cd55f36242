// backends/compose: the compose backend. Input: Policy. Output: compose.yml (services in their tiers'
// external networks, hardened) + diagnostics. Decisions live in model.ts, layout in the template.
import type { Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { render } from '../shared/render.js';
import { composeModel, type ComposeModel } from './model.js';

export { composeModel, type ComposeModel } from './model.js';

/** Fills templates/compose/compose.yml.hbs; nothing here decides anything. */
export function emitCompose(model: ComposeModel): string {
  return render('compose/compose.yml.hbs', model);
}

export const backend: Backend = {
  name: 'compose',
  generate(policy: Policy): BackendResult {
    const { model, diagnostics } = composeModel(policy);
    return { artifacts: [{ path: 'compose.yml', content: emitCompose(model), mode: 0o644 }], diagnostics };
  },
};
