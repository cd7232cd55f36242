// backends/systemd: the 'systemd' backend. Input: Policy IR. Output: tierwall-<policy>.service,
// -monitor.service and -monitor.timer under systemd/ (install.sh installs the same text).
import type { Artifact, Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { render } from '../shared/render.js';
import { artifactUnit } from '../installer/layout.js';
import { buildSystemd } from './model.js';

/** The three units; the installer embeds exactly these artifacts. */
export function systemdArtifacts(policy: Policy): Artifact[] {
  const m = buildSystemd(policy);
  return [
    { path: artifactUnit(m.service), content: render('systemd/apply.service.hbs', m), mode: 0o644 },
    { path: artifactUnit(m.monitorService), content: render('systemd/monitor.service.hbs', m), mode: 0o644 },
    { path: artifactUnit(m.monitorTimer), content: render('systemd/monitor.timer.hbs', m), mode: 0o644 },
  ];
}

export const backend: Backend = {
  name: 'systemd',
  generate(policy: Policy): BackendResult {
    return { artifacts: systemdArtifacts(policy), diagnostics: [] };
  },
};
