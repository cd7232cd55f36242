// docker tests: install.sh --metrics and --status against real counters, and --notify's alerts (an
// --alert-command given at apply) for a logged deny and for drift. One lab (test/lab/lab.ts: its own
// namespaces and dockerd), three-tier applied, one allowed flow (frontend -> backend tcp/8080, L8) and one
// denied logged flow (frontend -> database tcp/5432, L10); the metrics must equal `iptables-save -c`.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, requireLabPrerequisites, startLab, type Lab } from '../lab/lab.js';
import { installerModel } from '../../src/backends/installer/backend.js';
import { threeTier } from '../backends/installer/fixtures.js';
import { tempDir, writeInstaller } from '../backends/installer/support.js';
import { installer } from './installer-lab.js';

interface PromFamily { readonly name: string; readonly metrics: readonly { readonly value?: string; readonly labels?: Record<string, string> }[] }
const parseProm = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

const POLICY = threeTier();
const MODEL = installerModel(POLICY);

/** Per comment tag of the policy: [packets, bytes] of its verdict lines and of its LOG lines, from `iptables-save -c`. */
function savedCounters(save: string): Map<string, { pkts: bigint; bytes: bigint; logPkts: bigint }> {
  const out = new Map<string, { pkts: bigint; bytes: bigint; logPkts: bigint }>();
  for (const line of save.split('\n')) {
    const m = /^\[(\d+):(\d+)\] -A (\S+) .*--comment "?three-tier:([^" ]+)"? .*-j (\S+)/.exec(line);
    if (!m || !MODEL.chains.includes(m[3]!)) continue;
    const e = out.get(m[4]!) ?? { pkts: 0n, bytes: 0n, logPkts: 0n };
    if (m[5] === 'LOG') e.logPkts += BigInt(m[1]!);
    else { e.pkts += BigInt(m[1]!); e.bytes += BigInt(m[2]!); }
    out.set(m[4]!, e);
  }
  return out;
}

const ready = requireLabPrerequisites();
const eng = ready ? engines().find((e) => e.name === '20.10') ?? engines()[0] : undefined;

describe.skipIf(!eng)('install.sh --metrics/--status against a real dockerd and kernel counters', () => {
  let lab: Lab;
  let dir: string;
  let root: string;
  let script: string;
  let sink: string;
  let command: string;
  /** What the --alert-command received so far, one JSON alert per line. */
  const alerts = (): { event: string; state?: string; items?: string[]; rules?: { rule: string; logged_packets: number }[] }[] =>
    existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

  beforeAll(async () => {
    dir = tempDir('mon-docker');
    root = join(dir, 'root');
    script = writeInstaller(POLICY, dir);
    sink = join(dir, 'alerts.jsonl');
    command = join(dir, 'alert-cmd');
    writeFileSync(command, `#!/bin/bash\ncat >>${sink}\n`, { mode: 0o755 });
    lab = await startLab(eng!);
    await lab.buildProbeImage();
  }, 180_000);

  afterAll(() => {
    try { lab?.stop(); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('apply records its time and success; the counters of an allowed and a denied logged flow are the metrics', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const a = await installer(lab, script, ['--root', root, '--alert-command', command]);
    expect(a.status, a.stderr).toBe(0);
    const conf = join(root, 'etc/tierwall/three-tier/alerts.conf');
    expect(readFileSync(conf, 'utf8')).toMatch(new RegExp(`^webhook=\n^command=${command}\n`, 'm'));
    expect(statSync(conf).mode & 0o777).toBe(0o600);
    const out = join(root, 'var/lib/node_exporter/textfile_collector/tierwall_three-tier.prom');
    // The monitor's first run after the apply: the baseline, nothing to deliver.
    const base = await installer(lab, script, ['--root', root, '--metrics', out, '--notify']);
    expect(base.status, base.stderr).toBe(0);
    expect(alerts()).toEqual([]);
    const state = readFileSync(join(root, 'var/lib/tierwall/three-tier/last-apply'), 'utf8');
    const ts = Number(/^timestamp=(\d+)$/m.exec(state)?.[1]);
    expect(ts).toBeGreaterThanOrEqual(t0);
    expect(state).toContain('success=1\n');

    await lab.runContainer('frontend-10', 'frontend', { ip: '172.20.1.10', tcp: [81] });
    const be = await lab.runContainer('backend-11', 'backend', { ip: '172.20.2.11', tcp: [8080] });
    const db = await lab.runContainer('database-11', 'database', { ip: '172.20.3.11', tcp: [5432] });
    expect(await lab.probe('frontend-10', be.ip, 'tcp', 8080)).toBe('open');
    expect(await lab.probe('frontend-10', db.ip, 'tcp', 5432)).toBe('closed');

    const m = await installer(lab, script, ['--root', root, '--metrics', out, '--notify']);
    expect(m.status, m.stderr).toBe(0);
    const st = await installer(lab, script, ['--root', root, '--status', '--json']);
    expect(st.status, st.stderr).toBe(0);
    const save = (await lab.exec('iptables-save', ['-c', '-t', 'filter'])).stdout;
    const live = savedCounters(save);

    const fams = new Map(parseProm(readFileSync(out, 'utf8')).map((f) => [f.name, f]));
    const sample = (name: string, rule: string): string | undefined => fams.get(name)?.metrics.find((x) => x.labels?.rule === rule)?.value;
    // The flows hit the rules they should: L8 accepted the SYN, L10 logged and dropped the retries.
    expect(live.get('L8')!.pkts).toBeGreaterThan(0n);
    expect(live.get('L10')!.pkts).toBeGreaterThan(0n);
    expect(live.get('L10')!.logPkts).toBeGreaterThan(0n);
    for (const rule of ['L8', 'L9', 'L10', 'default']) {
      const e = live.get(rule) ?? { pkts: 0n, bytes: 0n, logPkts: 0n };
      expect(sample('tierwall_rule_packets_total', rule), rule).toBe(String(e.pkts));
      expect(sample('tierwall_rule_bytes_total', rule), rule).toBe(String(e.bytes));
    }
    expect(sample('tierwall_rule_logged_packets_total', 'L10')).toBe(String(live.get('L10')!.logPkts));
    // The denied flow was logged since the baseline: exactly one alert, with the kernel's LOG count.
    expect(alerts().map((x) => [x.event, x.rules?.map((r) => [r.rule, String(r.logged_packets)])])).toEqual([['denied', [['L10', String(live.get('L10')!.logPkts)]]]]);
    const again = await installer(lab, script, ['--root', root, '--metrics', out, '--notify']);
    expect(again.status, again.stderr).toBe(0);
    expect(alerts()).toHaveLength(1);
    expect(fams.get('tierwall_drift')!.metrics[0]!.value).toBe('0');
    expect(fams.get('tierwall_network_present')!.metrics.map((x) => x.value)).toEqual(['1', '1', '1']);
    expect(fams.get('tierwall_last_apply_timestamp_seconds')!.metrics[0]!.value).toBe(String(ts));
    expect(fams.get('tierwall_last_apply_success')!.metrics[0]!.value).toBe('1');
    expect(fams.get('tierwall_policy_info')!.metrics[0]!.labels?.hash).toBe(MODEL.monitoring.hash);

    const j = JSON.parse(st.stdout) as { rules: { rule: string; packets: number; logged_packets: number; last_logged: string | null }[] };
    const l10 = j.rules.find((r) => r.rule === 'L10')!;
    expect(BigInt(l10.packets)).toBe(live.get('L10')!.pkts);
    // No rsyslog in the lab: the log file does not exist.
    expect(existsSync(join(root, 'var/log/tierwall/three-tier.log'))).toBe(false);
    expect(l10.last_logged).toBe('never');
  }, 300_000);

  it('drift shows in the metrics: the DOCKER-USER jump deleted by hand is jump drift', async () => {
    const del = await lab.exec('iptables', ['-w', '5', '-D', 'DOCKER-USER', ...MODEL.entryRule]);
    expect(del.status).toBe(0);
    const m = await installer(lab, script, ['--root', root, '--metrics']);
    expect(m.status, m.stderr).toBe(0);
    const fams = new Map(parseProm(m.stdout).map((f) => [f.name, f]));
    expect(fams.get('tierwall_drift')!.metrics[0]!.value).toBe('1');
    expect(fams.get('tierwall_drift_items')!.metrics.map((x) => [x.labels?.kind, x.value])).toEqual([['chain', '0'], ['jump', '1'], ['network', '0']]);
    // The monitor delivers the drift once.
    const out = join(root, 'var/lib/node_exporter/textfile_collector/tierwall_three-tier.prom');
    for (let i = 0; i < 2; i++) expect((await installer(lab, script, ['--root', root, '--metrics', out, '--notify'])).status).toBe(0);
    const drift = alerts().filter((x) => x.event === 'drift');
    expect(drift.map((x) => [x.state, x.items?.length])).toEqual([['detected', 1]]);
    expect(drift[0]!.items![0]).toMatch(/^jump: /);
  }, 120_000);
});
