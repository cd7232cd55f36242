// backends/monitoring: every decision of the optional monitoring stack, pure. Input: Policy + options
// (tier, images). Output: MonitoringStackModel (compose services on the monitoring tier's network,
// prometheus.yml scrape targets, alert rules; every scalar already quoted for YAML) + diagnostics.
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { Evaluator } from '../../eval/evaluate.js';
import type { Policy, Tier } from '../../ir/types.js';
import { isValidImage } from '../../ir/validate-names.js';
import { suggest } from '../../ir/suggest.js';
import { CAP_DROP, SECURITY_OPT } from '../compose/model.js';
import { composeString, yamlKey, yamlString } from '../compose/yaml-quote.js';
import { hostLayout } from '../installer/layout.js';
import { networkName } from '../shared/network-name.js';
import { MONITOR_INTERVAL_SECONDS } from '../systemd/model.js';
import { alertRules } from './alert-rules.js';

/** Defaults, pinned: a stack that changes under the operator on `docker compose pull` is not reproducible. */
export const DEFAULT_MONITORING_TIER = 'monitoring';
export const DEFAULT_PROMETHEUS_IMAGE = 'prom/prometheus:v2.53.3';
export const DEFAULT_NODE_EXPORTER_IMAGE = 'prom/node-exporter:v1.8.2';
export const PROMETHEUS_PORT = 9090;
export const NODE_EXPORTER_PORT = 9100;
/** Compose service names; node-exporter is scraped by this name through Docker's DNS on the tier network. */
export const PROMETHEUS_SERVICE = 'prometheus';
export const NODE_EXPORTER_SERVICE = 'node-exporter';
/** Artifact paths; the compose file mounts the other two from its own directory. */
export const ARTIFACT_COMPOSE = 'compose.yml';
export const ARTIFACT_PROMETHEUS = 'prometheus.yml';
export const ARTIFACT_ALERTS = 'alerts.yml';
/** Prometheus evaluates and scrapes every minute: the monitor writes far less often. */
export const SCRAPE_INTERVAL = '1m';

export interface MonitoringStackOptions {
  readonly monitoringTier?: string;
  readonly prometheusImage?: string;
  readonly nodeExporterImage?: string;
}

export interface StackVolume {
  readonly type: string;
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** One compose service; string fields are YAML scalars. */
export interface StackService {
  readonly key: string;
  readonly image: string;
  readonly user: string | null;
  readonly command: readonly string[];
  readonly networkKey: string;
  /** Published on the host's loopback only, or null. */
  readonly port: { readonly hostIp: string; readonly published: number; readonly target: number } | null;
  readonly volumes: readonly StackVolume[];
  readonly capDrop: readonly string[];
  readonly securityOpt: readonly string[];
}

export interface StackAlert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string | null;
  readonly severity: string;
  readonly summary: string;
  readonly description: string;
}

export interface MonitoringStackModel {
  readonly policy: string;
  readonly project: string;
  readonly tier: string;
  readonly networkKey: string;
  readonly networkName: string;
  readonly dataVolume: string;
  readonly services: readonly StackService[];
  /** Comment lines: the tiers the policy lets reach each port of the stack (the evaluator's verdicts). */
  readonly reach: readonly string[];
  readonly scrapeInterval: string;
  readonly scrapeJobs: readonly { readonly job: string; readonly target: string }[];
  readonly alertsFile: string;
  readonly group: string;
  readonly alerts: readonly StackAlert[];
}

function imageOption(value: string | undefined, fallback: string, option: string, ds: Diagnostic[]): string {
  const image = value ?? fallback;
  if (!isValidImage(image)) ds.push(diag('invalid-image', { image }, undefined, { hints: [`given by ${option}`] }));
  return image;
}

/** Which tiers the policy lets open tcp/port in the monitoring tier (intra-tier included). */
function reachers(ev: Evaluator, policy: Policy, tier: Tier, port: number): string[] {
  return policy.tiers.filter((t) => ev.evaluate({ src: t.name, dst: tier.name, proto: 'tcp', port }).action === 'allow').map((t) => t.name);
}

function findTier(policy: Policy, name: string, ds: Diagnostic[]): Tier | undefined {
  const tier = policy.tiers.find((t) => t.name === name);
  if (tier) return tier;
  const suggestion = suggest(name, policy.tiers.map((t) => t.name)) ?? '';
  ds.push(diag('monitoring-tier-missing', { tier: name, suggestion }, undefined, {
    hints: [
      `declare it like any tier, e.g. 'tier ${name} 10.99.0.0/24;', and write the rules that say which tiers it may scrape`,
      'or name an existing tier with --monitoring-tier NAME',
    ],
  }));
  return undefined;
}

export function buildMonitoringStack(policy: Policy, options: MonitoringStackOptions = {}): { model: MonitoringStackModel | undefined; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const prometheusImage = imageOption(options.prometheusImage, DEFAULT_PROMETHEUS_IMAGE, '--prometheus-image', ds);
  const nodeExporterImage = imageOption(options.nodeExporterImage, DEFAULT_NODE_EXPORTER_IMAGE, '--node-exporter-image', ds);
  const tier = findTier(policy, options.monitoringTier ?? DEFAULT_MONITORING_TIER, ds);
  if (!tier) return { model: undefined, diagnostics: ds };

  // Prometheus reaches node-exporter inside the tier: the evaluator decides whether that is allowed.
  const ev = new Evaluator(policy);
  const scrape = ev.evaluate({ src: tier.name, dst: tier.name, proto: 'tcp', port: NODE_EXPORTER_PORT });
  if (scrape.action !== 'allow') {
    const reason = scrape.reason.kind === 'intra-tier' && scrape.reason.isolated ? 'the tier is isolated' : 'a rule or the default denies it';
    ds.push(diag('monitoring-scrape-denied', { tier: tier.name, port: NODE_EXPORTER_PORT, reason }, tier.origin.span, {
      hints: [`remove 'isolated' from tier '${tier.name}', or give the stack a tier of its own with --monitoring-tier NAME`],
    }));
  }

  const textfileDir = hostLayout(policy.name).metricsFile.replace(/\/[^/]*$/, '');
  const ro = (source: string, target: string): StackVolume => ({ type: 'bind', source: composeString(source), target: composeString(target), readOnly: true });
  const common = { networkKey: yamlKey(tier.name), capDrop: CAP_DROP.map(composeString), securityOpt: SECURITY_OPT.map(composeString) };
  const dataVolume = 'prometheus-data';
  const services: StackService[] = [
    {
      key: PROMETHEUS_SERVICE,
      image: composeString(prometheusImage),
      // The image's own user (nobody); its data lives in the named volume.
      user: null,
      command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', `--web.listen-address=:${PROMETHEUS_PORT}`].map(composeString),
      port: { hostIp: composeString('127.0.0.1'), published: PROMETHEUS_PORT, target: PROMETHEUS_PORT },
      volumes: [
        ro(`./${ARTIFACT_PROMETHEUS}`, `/etc/prometheus/${ARTIFACT_PROMETHEUS}`),
        ro(`./${ARTIFACT_ALERTS}`, `/etc/prometheus/${ARTIFACT_ALERTS}`),
        { type: 'volume', source: composeString(dataVolume), target: composeString('/prometheus'), readOnly: false },
      ],
      ...common,
    },
    {
      key: NODE_EXPORTER_SERVICE,
      image: composeString(nodeExporterImage),
      user: composeString('65534:65534'),
      // On the tier's network instead of the host's: scraping stays inside the tier. The host's
      // /proc and /sys give the host's CPU, memory and disks; network counters are the container's.
      command: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--collector.textfile.directory=/textfile', `--web.listen-address=:${NODE_EXPORTER_PORT}`].map(composeString),
      port: null,
      volumes: [ro('/proc', '/host/proc'), ro('/sys', '/host/sys'), ro(textfileDir, '/textfile')],
      ...common,
    },
  ];
  const reach = [
    `${PROMETHEUS_SERVICE} tcp/${PROMETHEUS_PORT}: ${reachers(ev, policy, tier, PROMETHEUS_PORT).join(', ') || 'no tier'} (and the host's 127.0.0.1:${PROMETHEUS_PORT})`,
    `${NODE_EXPORTER_SERVICE} tcp/${NODE_EXPORTER_PORT}: ${reachers(ev, policy, tier, NODE_EXPORTER_PORT).join(', ') || 'no tier'}`,
  ];
  const model: MonitoringStackModel = {
    policy: policy.name,
    project: composeString(`${policy.name}-monitoring`),
    tier: tier.name,
    networkKey: yamlKey(tier.name),
    networkName: composeString(networkName(policy, tier)),
    dataVolume: yamlKey(dataVolume),
    services,
    reach,
    scrapeInterval: yamlString(SCRAPE_INTERVAL),
    scrapeJobs: [
      { job: yamlString('prometheus'), target: yamlString(`localhost:${PROMETHEUS_PORT}`) },
      { job: yamlString('node'), target: yamlString(`${NODE_EXPORTER_SERVICE}:${NODE_EXPORTER_PORT}`) },
    ],
    alertsFile: yamlString(ARTIFACT_ALERTS),
    group: yamlString(`tierwall-${policy.name}`),
    alerts: alertRules(policy.name, MONITOR_INTERVAL_SECONDS).map((r) => ({
      alert: yamlString(r.alert),
      expr: yamlString(r.expr),
      for: r.for ? yamlString(r.for) : null,
      severity: yamlString(r.severity),
      summary: yamlString(r.summary),
      description: yamlString(r.description),
    })),
  };
  return { model, diagnostics: ds };
}
