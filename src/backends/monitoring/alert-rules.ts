// backends/monitoring: the Prometheus alert rules of one policy, pure. Input: policy name and the
// monitor's period. Output: AlertRule[] (PromQL over the metric names install.sh --metrics writes,
// and node-exporter's textfile mtime). templates/monitoring/alerts.yml.hbs places them.
import { METRIC } from '../installer/monitoring.js';
import { hostLayout, unitNames } from '../installer/layout.js';

/** One rule of alerts.yml; every field is plain text (the model quotes it for YAML). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration, or '' for none (fires at the first evaluation that matches). */
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
}

/** The monitor's textfile is stale after this many timer periods (one run may fail or be late). */
export const STALE_PERIODS = 3;
/** Logged denies count when the counter grew within this many periods (a step every period). */
export const DENY_WINDOW_PERIODS = 2;

/** Seconds as a Prometheus duration: whole minutes where possible ("45m"), else seconds. */
export function promDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** A PromQL double-quoted string (Go escapes: backslash and quote). */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A regular expression matching `text` literally (RE2 metacharacters escaped). */
function regexLiteral(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The rules for one policy. Every expression selects `policy="<name>"`, so the files of several
 * policies can be loaded into one Prometheus. `periodSeconds` is the monitor timer's interval.
 */
export function alertRules(policy: string, periodSeconds: number): AlertRule[] {
  const sel = `{policy=${promString(policy)}}`;
  const window = promDuration(DENY_WINDOW_PERIODS * periodSeconds);
  const stale = STALE_PERIODS * periodSeconds;
  // node-exporter labels each textfile with its name (before 1.7) or full path (1.7 and later).
  const base = hostLayout(policy).metricsFile.split('/').pop()!;
  // A raw (backtick) PromQL string keeps the regex readable; file names never hold a backtick.
  const file = `{file=~\`(.*/)?${regexLiteral(base)}\`}`;
  return [
    {
      alert: 'TierwallLoggedDeny',
      expr: `increase(${METRIC.ruleLoggedPackets}{policy=${promString(policy)},action="deny"}[${window}]) > 0`,
      for: '',
      severity: 'warning',
      summary: 'A logged deny rule of policy {{ $labels.policy }} dropped traffic',
      description: `Rule {{ $labels.rule }} logged denied packets in the last ${window}; the policy's log file has the lines, install.sh --status the counters.`,
    },
    {
      alert: 'TierwallDrift',
      expr: `${METRIC.drift}${sel} == 1`,
      for: '',
      severity: 'critical',
      summary: 'The live firewall or networks differ from policy {{ $labels.policy }}',
      description: 'tierwall_drift_items says which kind (chain, jump, network); install.sh --verify lists the differences, running install.sh again restores the policy.',
    },
    {
      alert: 'TierwallApplyFailed',
      expr: `${METRIC.lastApplySuccess}${sel} == 0`,
      for: '',
      severity: 'critical',
      summary: 'The last apply of policy {{ $labels.policy }} failed',
      description: `The apply rolled back to what it found; journalctl -u ${unitNames(policy).service} (or the output of install.sh) says why.`,
    },
    {
      alert: 'TierwallNotApplied',
      expr: `${METRIC.policyInfo}${sel} unless on(policy) ${METRIC.lastApplyTimestamp}${sel}`,
      for: promDuration(periodSeconds),
      severity: 'critical',
      summary: 'Policy {{ $labels.policy }} has never been applied on this host',
      description: 'The monitor runs, but no apply of this policy has been recorded here: run its install.sh.',
    },
    {
      alert: 'TierwallMonitorStale',
      expr: `time() - node_textfile_mtime_seconds${file} > ${stale}`,
      for: '',
      severity: 'warning',
      summary: `The tierwall monitor of policy ${policy} has not written its metrics for ${promDuration(stale)}`,
      description: `The textfile is older than ${STALE_PERIODS} monitor periods: see systemctl status ${unitNames(policy).monitorTimer} and its service's journal.`,
    },
    {
      alert: 'TierwallMetricsMissing',
      expr: `absent(node_textfile_mtime_seconds${file})`,
      for: promDuration(stale),
      severity: 'warning',
      summary: `node-exporter has no tierwall metrics file for policy ${policy}`,
      description: `No ${base} in the textfile directory for ${promDuration(stale)}: is the monitor timer enabled, and node-exporter's textfile directory mounted?`,
    },
  ];
}
