// backends/installer: what install.sh --status and --metrics report, decided at compile time. Input:
// Policy IR and rules.v4. Output: MonitoringModel (one row per rule tag with its source text and LOG
// prefix, Prometheus label sets already escaped, the policy hash). Paths are in layout.ts.
import { createHash } from 'node:crypto';
import type { Policy, Rule, ServiceMatch } from '../../ir/types.js';
import { logPrefix, ruleTags, tagOf } from '../shared/names.js';
import { networkName } from '../shared/network-name.js';

/** The comment tag of the policy's default rule lines (names.ts ruleComment(policy, 'default')). */
export const DEFAULT_TAG = 'default';

/** One row of --status and one label set of tierwall_rule_*: a policy rule, or the default. */
export interface MonitoredRule {
  /** The comment tag every iptables line of the rule carries (`L8`, `R3`, `default`). */
  readonly tag: string;
  readonly action: 'allow' | 'deny';
  /** `line 8: allow frontend -> backend tcp/8080;` (rebuilt from the IR, not copied from the file). */
  readonly text: string;
  /** The LOG prefix of a logged rule ('' when it does not log). */
  readonly logPrefix: string;
  /** `policy="..",rule="..",action=".."`: the Prometheus label set, escaped. */
  readonly labels: string;
}

export interface MonitoringModel {
  readonly rules: readonly MonitoredRule[];
  /** `policy="..",network=".."` per tier network, in tier order. */
  readonly networkLabels: readonly string[];
  /** `policy=".."` */
  readonly policyLabels: string;
  /** `policy="..",hash=".."` for tierwall_policy_info. */
  readonly policyInfoLabels: string;
  /** sha256 of rules.v4, hex: changes exactly when the loaded ruleset does. */
  readonly hash: string;
}

/** A Prometheus label value: backslash, double quote and newline escaped (text format 0.0.4). */
export function promLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function promLabels(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}="${promLabelValue(v)}"`).join(',');
}

function serviceText(s: ServiceMatch): string {
  if (s.proto === 'icmp') return 'icmp';
  return s.lo === s.hi ? `${s.proto}/${s.lo}` : `${s.proto}/${s.lo}-${s.hi}`;
}

/** The rule as the grammar writes it: `deny frontend -> database log;`. */
export function ruleSourceText(rule: Rule): string {
  // Nets and `world` after the tiers (their written order among tiers is not kept in the IR).
  const ends = (any: boolean, names: readonly string[], external: readonly string[]): string => [...(any ? ['any'] : names), ...external].join(', ');
  const parts = [rule.action, ends(rule.sourceAny, rule.sources, rule.externalSources), '->', ends(rule.destinationAny, rule.destinations, rule.externalDestinations)];
  if (!rule.allTraffic) parts.push(rule.services.map(serviceText).join(', '));
  if (rule.log) parts.push('log');
  return `${parts.join(' ')};`;
}

export function buildMonitoring(policy: Policy, rulesV4: string): MonitoringModel {
  const tags = ruleTags(policy);
  const labels = (tag: string, action: string): string => promLabels([['policy', policy.name], ['rule', tag], ['action', action]]);
  const rules: MonitoredRule[] = policy.rules.map((r) => {
    const tag = tagOf(tags, r);
    return { tag, action: r.action, text: `line ${r.origin.line}: ${ruleSourceText(r)}`, logPrefix: r.log ? logPrefix(policy.name, tag) : '', labels: labels(tag, r.action) };
  });
  const d = policy.defaultOrigin;
  rules.push({
    tag: DEFAULT_TAG,
    action: policy.defaultAction,
    text: `${d ? `line ${d.line}` : 'implicit'}: default ${policy.defaultAction};`,
    logPrefix: '',
    labels: labels(DEFAULT_TAG, policy.defaultAction),
  });
  const hash = createHash('sha256').update(rulesV4).digest('hex');
  return {
    rules,
    policyInfoLabels: promLabels([['policy', policy.name], ['hash', hash]]),
    networkLabels: policy.tiers.map((t) => promLabels([['policy', policy.name], ['network', networkName(policy, t)]])),
    policyLabels: promLabels([['policy', policy.name]]),
    hash,
  };
}

/**
 * The metric families `install.sh --metrics` writes (templates/installer/metrics.sh.hbs). The
 * monitoring stack's alert rules are built from these names; test/backends/monitoring checks each
 * one against the families a real --metrics run prints.
 */
export const METRIC = {
  rulePackets: 'tierwall_rule_packets_total',
  ruleBytes: 'tierwall_rule_bytes_total',
  ruleLoggedPackets: 'tierwall_rule_logged_packets_total',
  drift: 'tierwall_drift',
  driftItems: 'tierwall_drift_items',
  networkPresent: 'tierwall_network_present',
  lastApplyTimestamp: 'tierwall_last_apply_timestamp_seconds',
  lastApplySuccess: 'tierwall_last_apply_success',
  policyInfo: 'tierwall_policy_info',
} as const;
