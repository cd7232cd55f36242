// backends/iptables: renders the model as iptables-restore input (filter table, our chains only).
// Input: IptablesModel. Output: rules.v4 text; the template only places the lines built here.
import type { IptablesModel } from './model-types.js';
import { render } from '../shared/render.js';

/** rules.v4 for `iptables-restore -w --noflush` (rules.v6: the same for ip6tables-restore, its own template): `:CHAIN - [0:0]` per owned chain, its `-A` lines, COMMIT. */
export function restoreText(model: IptablesModel, template = 'iptables/rules.v4.hbs'): string {
  // One array of lines joined once, not a template loop or a string per chain: large policies
  // have hundreds of thousands of lines.
  const appends: string[] = [];
  for (const c of model.chains) for (const r of c.rules) appends.push(`-A ${c.name} ${r}`);
  return render(template, {
    mainChain: model.mainChain,
    declarations: model.chains.map((c) => `:${c.name} - [0:0]`).join('\n'),
    appends: appends.join('\n'),
  });
}
