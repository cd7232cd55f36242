// backends/installer: where a policy's files live on the Docker host, and under which artifact path
// each one is emitted. Input: policy name. Output: absolute host paths (install.sh prefixes --root).
// Shared by the installer (which installs them) and the systemd units (which run the installed script).
import { unitBaseName } from '../shared/names.js';

/** Absolute paths on the host; install.sh puts `--root DIR` in front of every one. */
export interface HostLayout {
  /** /etc/tierwall/<policy>: the installed copy of install.sh and rules.v4. */
  readonly stateDir: string;
  readonly script: string;
  readonly rules: string;
  /** rules.v6, installed only by a policy with dual-stack tiers. */
  readonly rules6: string;
  readonly unitDir: string;
  readonly rsyslogConf: string;
  readonly logrotateConf: string;
  /** Where rsyslog writes the policy's kernel LOG lines. */
  readonly logFile: string;
  /** flock(1) target serialising apply, verify and cleanup of one policy. */
  readonly lockFile: string;
  /** Where the monitor unit writes metrics: node-exporter's textfile collector reads *.prom there. */
  readonly metricsFile: string;
  /** apply records `timestamp=` and `success=` of its last run here, for --metrics. */
  readonly applyStateFile: string;
  /** install.sh --alert-webhook / --alert-command store the alert delivery here (0600). */
  readonly alertConfigFile: string;
  /** The monitor's --notify records what it last saw here, to alert once per change. */
  readonly alertStateFile: string;
}

export function hostLayout(policyName: string): HostLayout {
  const base = unitBaseName(policyName);
  const stateDir = `/etc/tierwall/${policyName}`;
  return {
    stateDir,
    script: `${stateDir}/install.sh`,
    rules: `${stateDir}/rules.v4`,
    rules6: `${stateDir}/rules.v6`,
    unitDir: '/etc/systemd/system',
    // 30-: after the distribution's own drop-ins that load modules, before 50-default.conf, so
    // `stop` keeps the lines out of syslog/kern.log.
    rsyslogConf: `/etc/rsyslog.d/30-${base}.conf`,
    logrotateConf: `/etc/logrotate.d/${base}`,
    logFile: `/var/log/tierwall/${policyName}.log`,
    lockFile: `/run/lock/${base}.lock`,
    metricsFile: `/var/lib/node_exporter/textfile_collector/tierwall_${policyName}.prom`,
    applyStateFile: `/var/lib/tierwall/${policyName}/last-apply`,
    alertConfigFile: `${stateDir}/alerts.conf`,
    alertStateFile: `/var/lib/tierwall/${policyName}/alert-state`,
  };
}

/** The systemd unit names of a policy. */
export interface UnitNames {
  readonly service: string;
  readonly monitorService: string;
  readonly monitorTimer: string;
}

export function unitNames(policyName: string): UnitNames {
  const base = unitBaseName(policyName);
  return { service: `${base}.service`, monitorService: `${base}-monitor.service`, monitorTimer: `${base}-monitor.timer` };
}

/** Artifact paths (relative to the compile output directory). */
export const ARTIFACT_INSTALLER = 'install.sh';
export const artifactUnit = (unit: string): string => `systemd/${unit}`;
export const artifactRsyslog = (policyName: string): string => `rsyslog/30-${unitBaseName(policyName)}.conf`;
export const artifactLogrotate = (policyName: string): string => `logrotate/${unitBaseName(policyName)}`;
