// backends/logging: the 'logging' backend. Input: Policy IR. Output: an rsyslog drop-in routing the
// policy's kernel LOG lines to /var/log/tierwall/<policy>.log, and its logrotate file.
import type { Artifact, Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { render } from '../shared/render.js';
import { artifactLogrotate, artifactRsyslog } from '../installer/layout.js';
import { buildLogging } from './model.js';

/** The rsyslog drop-in and the logrotate file; the installer embeds exactly these artifacts. */
export function loggingArtifacts(policy: Policy): Artifact[] {
  const m = buildLogging(policy);
  return [
    { path: artifactRsyslog(policy.name), content: render('logging/rsyslog.conf.hbs', m), mode: 0o644 },
    { path: artifactLogrotate(policy.name), content: render('logging/logrotate.hbs', m), mode: 0o644 },
  ];
}

export const backend: Backend = {
  name: 'logging',
  generate(policy: Policy): BackendResult {
    return { artifacts: loggingArtifacts(policy), diagnostics: [] };
  },
};
