// backends/installer: the 'installer' backend. Input: Policy IR. Output: install.sh (0755), a standalone
// bash script embedding rules.v4, the systemd units and the log routing of the other backends.
import type { Artifact, Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { diag } from '../../diagnostics/diagnostic.js';
import { MAX_TIERS } from '../shared/names.js';
import { rulesetsOf } from '../iptables/rulesets.js';
import { systemdArtifacts } from '../systemd/backend.js';
import { loggingArtifacts } from '../logging/backend.js';
import { ARTIFACT_INSTALLER } from './layout.js';
import { buildInstaller, type InstallerModel } from './model.js';
import { renderInstaller } from './emit.js';

/** The installer model of a policy, with the iptables, systemd and logging content it embeds. */
export function installerModel(policy: Policy): InstallerModel {
  const { v4, v6 } = rulesetsOf(policy);
  return buildInstaller(policy, {
    iptables: v4.model,
    rulesV4: v4.text,
    ...(v6 ? { ip6tables: v6.model, rulesV6: v6.text } : {}),
    units: systemdArtifacts(policy),
    logging: loggingArtifacts(policy),
  });
}

export function installerArtifact(policy: Policy): Artifact {
  return { path: ARTIFACT_INSTALLER, content: renderInstaller(installerModel(policy)), mode: 0o755 };
}

export const backend: Backend = {
  name: 'installer',
  generate(policy: Policy): BackendResult {
    // The embedded ruleset has the iptables backend's limit (chain names number tiers).
    const extra = policy.tiers[MAX_TIERS];
    if (extra) {
      const feature = `more than ${MAX_TIERS} tiers (tier '${extra.name}')`;
      return { artifacts: [], diagnostics: [diag('backend-unsupported', { backend: 'installer', feature }, extra.origin.span)] };
    }
    return { artifacts: [installerArtifact(policy)], diagnostics: [] };
  },
};
