// validate: the proof every compile runs on its iptables output, as one function the compile stage
// calls in-thread or on a worker (parallel.ts). Input: Policy IR, rules.v4 and (for dual-stack
// policies) rules.v6 text. Output: the validator's diagnostics (none when every flow class agrees).
import type { Policy } from '../ir/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { entryRuleOf } from '../backends/iptables/model.js';
import { ipv6Projection, RULES_V6_FILE, rulesV6AsV4 } from '../backends/iptables/ipv6.js';
import { validateIptables } from './validate.js';
import { validationDiagnostics } from './report.js';

export function validateRulesets(policy: Policy, rulesV4: string, rulesV6: string | undefined): Diagnostic[] {
  const out = validationDiagnostics(validateIptables(policy, rulesV4, entryRuleOf(policy.name)));
  // rules.v6, renamed back to the IPv4 stand-ins of its projection (iptables/ipv6.ts), gets the same proof.
  if (rulesV6 !== undefined) {
    const projected = ipv6Projection(policy);
    const back = rulesV6AsV4(policy, rulesV6);
    for (const d of validationDiagnostics(validateIptables(projected, back, entryRuleOf(projected.name)))) {
      out.push(d.code === 'validation-failed' ? { ...d, message: d.message.replace(/^rules\.v4/, RULES_V6_FILE) } : d);
    }
  }
  return out;
}
