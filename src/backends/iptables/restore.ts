// backends/iptables: renders the model as iptables-restore input (filter table, our chains only).
// Input: IptablesModel. Output: rules.v4 text; the template only places the lines built here.
import type { IptablesModel } from './model-types.js';
import { render } from '../shared/render.js';

/** rules.v4 for `iptables-restore -w --noflush`: `:CHAIN - [0:0]` per owned chain, its `-A` lines, COMMIT. */
export function restoreText(model: IptablesModel): string {
  return render('iptables/rules.v4.hbs', {
    mainChain: model.mainChain,
    declarations: model.chains.map((c) => `:${c.name} - [0:0]`).join('\n'),
    // One joined block, not a template loop: large policies have a million lines.
    appends: model.chains.map((c) => c.rules.map((r) => `-A ${c.name} ${r}`).join('\n')).filter((b) => b !== '').join('\n'),
  });
}
