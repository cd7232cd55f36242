// backends/iptables: the 'iptables' backend. Input: Policy IR. Output: rules.v4 (iptables-restore
// input for tierwall's own chains) or a backend-unsupported diagnostic.
import type { Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { diag } from '../../diagnostics/diagnostic.js';
import { MAX_TIERS } from '../shared/names.js';
import { buildIptables } from './model.js';
import { restoreText } from './restore.js';

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
    const content = restoreText(buildIptables(policy));
    return { artifacts: [{ path: RULES_FILE, content, mode: 0o644 }], diagnostics: [] };
  },
};
