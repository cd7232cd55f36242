// backends/iptables: the 'iptables' backend. Input: Policy IR. Output: rules.v4 (iptables-restore
// input for tierwall's own chains), rules.v6 for dual-stack tiers (ipv6.ts), or a backend-unsupported diagnostic.
import type { Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { diag } from '../../diagnostics/diagnostic.js';
import { MAX_TIERS } from '../shared/names.js';
import { RULES_V6_FILE } from './ipv6.js';
import { rulesetsOf } from './rulesets.js';

export const RULES_FILE = 'rules.v4';

export const backend: Backend = {
  name: 'iptables',
  generate(policy: Policy): BackendResult {
    // Sub-chains are numbered by tier; more tiers would not fit iptables' 28-character chain names.
    const extra = policy.tiers[MAX_TIERS];
    if (extra) {
      const feature = `more than ${MAX_TIERS} tiers (tier '${extra.name}')`;
      return { artifacts: [], diagnostics: [diag('backend-unsupported', { backend: 'iptables', feature }, extra.origin.span)] };
    }
    const { v4, v6 } = rulesetsOf(policy);
    const artifacts = [{ path: RULES_FILE, content: v4.text, mode: 0o644 }];
    // Only a policy with dual-stack tiers has rules.v6: an IPv4-only policy's output is unchanged.
    if (v6) artifacts.push({ path: RULES_V6_FILE, content: v6.text, mode: 0o644 });
    return { artifacts, diagnostics: [] };
  },
};
