// monitoring backend (--target monitoring): compose.yml checked by the compose-spec schema (ajv) and by
// Compose v2 (`docker compose config -q`); prometheus.yml and alerts.yml by promtool (check config,
// check rules) and the alert expressions by `promtool test rules` with alerts.promtest.yml; the
// diagnostics for a missing or isolated monitoring tier and for bad image options.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '../../../src/compile.js';
import { METRIC } from '../../../src/backends/installer/monitoring.js';
import { hostLayout } from '../../../src/backends/installer/layout.js';
import { DEFAULT_NODE_EXPORTER_IMAGE, DEFAULT_PROMETHEUS_IMAGE } from '../../../src/backends/monitoring/model.js';
import { SourceFile } from '../../../src/source/source-file.js';
import { composeConfig, composeUnavailable, IN_CI, schemaErrors } from '../compose/validators.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const WEB = readFileSync('policies/web-platform.policy', 'utf8');
const LAB_CACHE = process.env.TIERWALL_LAB_CACHE ?? '/var/cache/tierwall-lab';

/** promtool on PATH, else where scripts/setup-system.sh unpacks it. */
function promtool(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, 'promtool'))) return join(dir, 'promtool');
  const cached = join(LAB_CACHE, 'prometheus/root/usr/bin/promtool');
  return existsSync(cached) ? cached : undefined;
}
const PROMTOOL = promtool();

async function build(text: string, options: Parameters<typeof compile>[2] = {}) {
  const r = await compile(new SourceFile('p.policy', text), 'monitoring', options);
  return { files: new Map(r.artifacts.map((a) => [a.path, a.content])), artifacts: r.artifacts, diagnostics: r.diagnostics };
}

type Compose = { name: string; services: Record<string, Record<string, unknown>>; networks: Record<string, unknown>; volumes: Record<string, unknown> };

describe('the monitoring stack of policies/web-platform.policy', async () => {
  const { files, artifacts, diagnostics } = await build(WEB);
  const compose = parse(files.get('compose.yml')!, { uniqueKeys: true }) as Compose;
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  /** The three artifacts (and extra files) in a fresh directory, as the operator deploys them. */
  const deployed = (extra: Record<string, string> = {}): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-monstack-'));
    dirs.push(dir);
    for (const [p, c] of [...files, ...Object.entries(extra)]) writeFileSync(join(dir, p), c);
    return dir;
  };

  it('emits compose.yml, prometheus.yml and alerts.yml (0644) and no errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(artifacts.map((a) => [a.path, a.mode])).toEqual([['alerts.yml', 0o644], ['compose.yml', 0o644], ['prometheus.yml', 0o644]]);
  });

  it('puts Prometheus and node-exporter on the tier network the installer creates, and nothing else', () => {
    expect(compose.name).toBe('web-platform-monitoring');
    expect(compose.networks).toEqual({ monitoring: { name: 'monitoring', external: true } });
    expect(Object.keys(compose.services)).toEqual(['prometheus', 'node-exporter']);
    for (const s of Object.values(compose.services)) {
      expect(s.networks).toEqual({ monitoring: {} });
      expect(s.network_mode).toBeUndefined();
      expect(s.cap_drop).toEqual(['ALL']);
      expect(s.security_opt).toEqual(['no-new-privileges:true']);
      expect(s.read_only).toBe(true);
    }
    // Only Prometheus is published, and only on the host's loopback.
    expect(compose.services.prometheus!.ports).toEqual([{ host_ip: '127.0.0.1', published: 9090, target: 9090, protocol: 'tcp' }]);
    expect(compose.services['node-exporter']!.ports).toBeUndefined();
  });

  it('pins both images by default; node-exporter reads the host /proc, /sys and the textfile directory read-only', () => {
    expect(compose.services.prometheus!.image).toBe(DEFAULT_PROMETHEUS_IMAGE);
    expect(compose.services['node-exporter']!.image).toBe(DEFAULT_NODE_EXPORTER_IMAGE);
    for (const image of [DEFAULT_PROMETHEUS_IMAGE, DEFAULT_NODE_EXPORTER_IMAGE]) expect(image).toMatch(/:v\d+\.\d+\.\d+$/);
    const textfileDir = hostLayout('web-platform').metricsFile.replace(/\/[^/]+$/, '');
    expect(compose.services['node-exporter']!.volumes).toEqual([
      { type: 'bind', source: '/proc', target: '/host/proc', read_only: true },
      { type: 'bind', source: '/sys', target: '/host/sys', read_only: true },
      { type: 'bind', source: textfileDir, target: '/textfile', read_only: true },
    ]);
    expect(compose.services['node-exporter']!.command).toContain('--collector.textfile.directory=/textfile');
  });

  it('states, from the evaluator, which tiers may reach the stack', () => {
    expect(files.get('compose.yml')).toContain('#   prometheus tcp/9090: monitoring (and the host');
    expect(files.get('compose.yml')).toContain('#   node-exporter tcp/9100: monitoring\n');
  });

  it('is valid for the compose-spec schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  const noCompose = composeUnavailable();
  it.skipIf(noCompose !== undefined && !IN_CI)(`passes docker compose config -q${noCompose ? ` (skipped: ${noCompose})` : ''}`, () => {
    const r = composeConfig(files.get('compose.yml')!, ['-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('scrapes itself and node-exporter by its service name, and loads alerts.yml', () => {
    const prom = parse(files.get('prometheus.yml')!) as { rule_files: string[]; scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    expect(prom.rule_files).toEqual(['alerts.yml']);
    expect(prom.scrape_configs.map((j) => [j.job_name, j.static_configs[0]!.targets])).toEqual([['prometheus', ['localhost:9090']], ['node', ['node-exporter:9100']]]);
  });

  it('builds the alert rules from the metric names install.sh --metrics writes', () => {
    const alerts = files.get('alerts.yml')!;
    for (const m of [METRIC.ruleLoggedPackets, METRIC.drift, METRIC.lastApplySuccess, METRIC.policyInfo, METRIC.lastApplyTimestamp]) expect(alerts).toContain(m);
    const names = (parse(alerts) as { groups: { rules: { alert: string }[] }[] }).groups[0]!.rules.map((r) => r.alert);
    expect(names).toEqual(['TierwallLoggedDeny', 'TierwallDrift', 'TierwallApplyFailed', 'TierwallNotApplied', 'TierwallMonitorStale', 'TierwallMetricsMissing']);
  });

  const promSkip = PROMTOOL === undefined && !IN_CI;
  const run = (args: string[], cwd: string) => spawnSync(PROMTOOL!, args, { cwd, encoding: 'utf8', timeout: 60_000 });

  it.skipIf(promSkip)('promtool check config and check rules accept them', () => {
    const dir = deployed();
    const c = run(['check', 'config', 'prometheus.yml'], dir);
    expect(c.stdout + c.stderr).toContain('SUCCESS: 1 rule files found');
    expect(c.status).toBe(0);
    const r = run(['check', 'rules', 'alerts.yml'], dir);
    expect(r.stdout + r.stderr).toContain('SUCCESS: 6 rules found');
    expect(r.status).toBe(0);
  });

  it.skipIf(promSkip)('promtool test rules: every alert fires when it should and not otherwise', () => {
    const dir = deployed();
    copyFileSync(join(HERE, 'alerts.promtest.yml'), join(dir, 'alerts.promtest.yml'));
    const r = run(['test', 'rules', 'alerts.promtest.yml'], dir);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
    // The unit tests can fail: with the deny window shrunk to nothing, the logged-deny alert never fires.
    writeFileSync(join(dir, 'alerts.yml'), files.get('alerts.yml')!.replace('[30m]', '[1m]'));
    const broken = run(['test', 'rules', 'alerts.promtest.yml'], dir);
    expect(broken.status).not.toBe(0);
    expect(broken.stdout + broken.stderr).toContain('TierwallLoggedDeny');
  });
});

describe('monitoring target options and diagnostics', () => {
  const THREE = readFileSync('policies/three-tier.policy', 'utf8');

  it('a policy without the monitoring tier: monitoring-tier-missing with a hint, nothing emitted', async () => {
    const r = await build(THREE);
    const d = r.diagnostics.find((x) => x.code === 'monitoring-tier-missing');
    expect(d?.severity).toBe('error');
    expect(d?.message).toBe("the policy has no tier 'monitoring' for the monitoring stack");
    expect(d?.hints.join('\n')).toContain('--monitoring-tier NAME');
    expect(r.artifacts).toEqual([]);
  });

  it('--monitoring-tier names another tier; a near miss gets a did-you-mean', async () => {
    const ok = await build(THREE, { monitoringTier: 'backend' });
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parse(ok.files.get('compose.yml')!).networks).toEqual({ backend: { name: 'backend', external: true } });
    const near = await build(THREE, { monitoringTier: 'backen' });
    expect(near.diagnostics.find((d) => d.code === 'monitoring-tier-missing')?.message).toContain("did you mean 'backend'?");
  });

  it('an isolated tier: the evaluator denies the scrape, monitoring-scrape-denied points at the tier', async () => {
    const r = await build(THREE, { monitoringTier: 'database' });
    const d = r.diagnostics.find((x) => x.code === 'monitoring-scrape-denied');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain("(tcp/9100) inside tier 'database'");
    expect(d?.span && THREE.slice(d.span.start, d.span.end)).toMatch(/^tier database /);
    expect(r.artifacts).toEqual([]);
  });

  it('images are configurable; an invalid reference is invalid-image with the option in the hint', async () => {
    const ok = await build(WEB, { prometheusImage: 'registry.example.com/prom/prometheus:v2.55.1', nodeExporterImage: 'quay.io/prometheus/node-exporter:v1.9.0' });
    const doc = parse(ok.files.get('compose.yml')!) as Compose;
    expect(doc.services.prometheus!.image).toBe('registry.example.com/prom/prometheus:v2.55.1');
    expect(doc.services['node-exporter']!.image).toBe('quay.io/prometheus/node-exporter:v1.9.0');
    const bad = await build(WEB, { nodeExporterImage: 'node exporter' });
    const d = bad.diagnostics.find((x) => x.code === 'invalid-image');
    expect(d?.hints).toEqual(['given by --node-exporter-image']);
    expect(bad.artifacts).toEqual([]);
  });
});
