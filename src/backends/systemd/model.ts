// backends/systemd: every decision of the policy's units, pure. Input: Policy IR. Output: SystemdModel
// (unit names, descriptions, ExecStart lines, timer intervals); backend.ts only renders it.
import type { Policy } from '../../ir/types.js';
import { hostLayout, unitNames } from '../installer/layout.js';

/** The first drift check runs this long after boot, then every MONITOR_INTERVAL after the last one. */
export const MONITOR_BOOT_DELAY = '5min';
/** The monitor's period in seconds: the alert rules' windows and staleness are multiples of it. */
export const MONITOR_INTERVAL_SECONDS = 900;
export const MONITOR_INTERVAL = `${MONITOR_INTERVAL_SECONDS / 60}min`;

export interface SystemdModel {
  readonly policy: string;
  /** tierwall-<policy>.service: re-applies after boot and after every dockerd (re)start. */
  readonly service: string;
  readonly monitorService: string;
  readonly monitorTimer: string;
  /** Absolute ExecStart command lines (systemd requires absolute paths). */
  readonly applyCommand: string;
  readonly verifyCommand: string;
  /** Writes the policy's Prometheus metrics for node-exporter's textfile collector, then notifies. */
  readonly metricsCommand: string;
  readonly bootDelay: string;
  readonly interval: string;
}

export function buildSystemd(policy: Policy): SystemdModel {
  const names = unitNames(policy.name);
  const layout = hostLayout(policy.name);
  const script = layout.script;
  return {
    policy: policy.name,
    ...names,
    // --no-persist: the unit runs the installed copy; it must not rewrite itself or its units.
    applyCommand: `${script} --no-persist`,
    verifyCommand: `${script} --verify`,
    // --notify: alerts per change, when the operator configured delivery at install time.
    metricsCommand: `${script} --metrics ${layout.metricsFile} --notify`,
    bootDelay: MONITOR_BOOT_DELAY,
    interval: MONITOR_INTERVAL,
  };
}
