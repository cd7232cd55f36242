// installer: install.sh --status and --metrics. The compiled tables (rule text, tags, labels, hash)
// in TS, then the script as a root process in its own netns against stubs: `iptables -L -v -x -n`
// prints canned counters, so every number is asserted exactly; the metrics go through a Prometheus
// text-format parser (parse-prometheus-text-format).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installerModel } from '../../../src/backends/installer/backend.js';
import { promLabelValue, ruleSourceText } from '../../../src/backends/installer/monitoring.js';
import { buildSystemd } from '../../../src/backends/systemd/model.js';
import { mesh, threeTier } from './fixtures.js';
import { haveTools, sh, tempDir, which, writeInstaller, type Proc } from './support.js';
import { toolbox, type Toolbox } from './stubs.js';

interface PromSample { readonly value?: string; readonly labels?: Record<string, string> }
interface PromFamily { readonly name: string; readonly help: string; readonly type: string; readonly metrics: readonly PromSample[] }
const parseProm = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

describe('the compiled monitoring tables', () => {
  it('rebuilds each rule\'s source text from the IR', () => {
    const m = installerModel(mesh()).monitoring;
    expect(m.rules.map((r) => r.text)).toEqual([
      'line 6: allow a -> c tcp/80, tcp/8000-8010;',
      'line 7: allow b -> c udp/53;',
      'line 8: allow c -> a icmp;',
      'line 9: deny b -> a tcp/22 log;',
      'line 10: deny any -> c;',
      'line 11: default allow;',
    ]);
    expect(m.rules.map((r) => [r.tag, r.action, r.logPrefix])).toEqual([
      ['L6', 'allow', ''], ['L7', 'allow', ''], ['L8', 'allow', ''], ['L9', 'deny', 'tw:mesh:L9 '], ['L10', 'deny', ''], ['default', 'allow', ''],
    ]);
    expect(ruleSourceText(threeTier().rules[2]!)).toBe('deny frontend -> database log;');
  });

  it('hashes rules.v4 and escapes label values', () => {
    const m = installerModel(threeTier());
    expect(m.monitoring.hash).toBe(createHash('sha256').update(m.rulesV4).digest('hex'));
    expect(m.monitoring.policyInfoLabels).toBe(`policy="three-tier",hash="${m.monitoring.hash}"`);
    expect(promLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('the monitor unit writes the metrics and notifies, then verifies', () => {
    const s = buildSystemd(threeTier());
    expect(s.metricsCommand).toBe('/etc/tierwall/three-tier/install.sh --metrics /var/lib/node_exporter/textfile_collector/tierwall_three-tier.prom --notify');
  });
});

// Canned `iptables -L CHAIN -v -x -n` (iptables 1.8 layout); the counters are what the test asserts.
const HEAD = '    pkts      bytes target     prot opt in     out     source               destination         ';
const row = (pkts: number | string, bytes: number | string, target: string, rest: string): string =>
  `${String(pkts).padStart(8)} ${String(bytes).padStart(10)} ${target.padEnd(10)} 0    --  *      *       ${rest}`;
const LISTINGS: Record<string, string[]> = {
  'TW-THREE-TIER_S0': [
    row(50, 3000, 'ACCEPT', '172.20.1.0/24        172.20.1.0/24        /* three-tier:intra:frontend */'),
    row(100, 6000, 'ACCEPT', '172.20.1.0/24        172.20.2.0/24        tcp dpt:8080 /* three-tier:L8 */'),
    // The logged deny frontend -> database: 2 lines, inline (no pair chain).
    row(3, 180, 'LOG', '172.20.1.0/24        172.20.3.0/24        limit: avg 10/min burst 20 /* three-tier:L10 */ LOG flags 0 level 4 prefix "tw:three-tier:L10 "'),
    row(7, 420, 'DROP', '172.20.1.0/24        172.20.3.0/24        /* three-tier:L10 */'),
    row(2, 120, 'DROP', '172.20.1.0/24        0.0.0.0/0            /* three-tier:default */'),
  ],
  'TW-THREE-TIER_S1': [
    // Beyond 2^53: the sums are bash 64-bit integers, never floating point.
    row(5, '12345678901234567', 'ACCEPT', '172.20.2.0/24        172.20.3.0/24        tcp dpt:5432 /* three-tier:L9 */'),
    row(5, 300, 'DROP', '172.20.2.0/24        0.0.0.0/0            /* three-tier:default */'),
    row(50, 3000, 'ACCEPT', '172.20.2.0/24        172.20.2.0/24        /* three-tier:intra:backend */'),
    // Another policy's rule in our chain (hand-added): never counted for ours.
    row(999, 99900, 'ACCEPT', '0.0.0.0/0            0.0.0.0/0            /* other:L8 */'),
  ],
  'TW-THREE-TIER_S2': [
    row(6, 360, 'DROP', '172.20.3.0/24        0.0.0.0/0            /* three-tier:default */'),
  ],
};

// iptables stub: -L and -S from files in $STUB_IPT; FORWARD -> DOCKER-USER exists; anything else refused.
const IPTABLES_STUB = `#!/bin/bash
printf '%s %s\\n' iptables "$*" >>"$STUB_LOG"
[[ $1 == -w ]] && shift 2
case "$1" in
  -L) [[ -f $STUB_IPT/L.$2 ]] || exit 1; cat "$STUB_IPT/L.$2"; exit 0 ;;
  -S) f=$STUB_IPT/S\${2:+.$2}; [[ -f $f ]] || exit 1; cat "$f"; exit 0 ;;
esac
if [[ "$*" == "-C FORWARD -j DOCKER-USER" ]]; then exit 0; fi
echo "stub iptables: refusing $*" >&2
exit 97
`;

describe.skipIf(!haveTools('install.sh --status/--metrics', ['bash', 'unshare'], true))('install.sh --status and --metrics (root in own netns, stubs)', () => {
  let dir: string;
  let script: string;
  let tb: Toolbox;
  let root: string;
  const model = installerModel(threeTier());

  const run = (args: string[]): Proc =>
    sh(which('unshare')!, ['--net', '--', 'bash', script, '--root', root, ...args], {
      env: { PATH: tb.path, STUB_LOG: tb.log, STUB_IPT: join(dir, 'ipt'), STUB_NETS: join(dir, 'nets'), HOME: '/', TMPDIR: '/tmp', LC_ALL: 'C' },
    });

  beforeAll(() => {
    dir = tempDir('mon');
    script = writeInstaller(threeTier(), dir);
    tb = toolbox(join(dir, 'tb'));
    writeFileSync(join(tb.path, 'iptables'), IPTABLES_STUB, { mode: 0o755 });
    root = join(dir, 'root');
    // iptables: every chain as compiled (no chain drift), counters for some, the DOCKER-USER jump.
    const ipt = join(dir, 'ipt');
    mkdirSync(ipt, { recursive: true });
    const rules = model.rulesV4.split('\n').filter((l) => l.startsWith('-A '));
    writeFileSync(join(ipt, 'S'), [...model.chains, 'DOCKER-USER'].map((c) => `-N ${c}\n`).join(''));
    for (const c of model.chains) {
      writeFileSync(join(ipt, `S.${c}`), [`-N ${c}`, ...rules.filter((l) => l.split(' ')[1] === c)].join('\n') + '\n');
      const rows = LISTINGS[c];
      if (rows) writeFileSync(join(ipt, `L.${c}`), [`Chain ${c} (1 references)`, HEAD, ...rows].join('\n') + '\n');
    }
    writeFileSync(join(ipt, 'S.DOCKER-USER'), `-N DOCKER-USER\n-A DOCKER-USER ${model.entryRuleText}\n-A DOCKER-USER -j RETURN\n`);
    // docker: frontend and backend exist as compiled, database is missing (network drift).
    const nets = join(dir, 'nets');
    mkdirSync(nets, { recursive: true });
    for (const n of model.networks.filter((x) => x.name !== 'database')) {
      writeFileSync(join(nets, n.name), `${n.name}\nbridge\n${n.subnet} ${n.gateway};\n${n.bridge}\n${n.icc === 'true' ? '' : 'false'}\n${n.trusted}\nthree-tier\n0\n`);
    }
    // rsyslog's file: two L10 lines (RFC 3339), then a later one of an L100 that must not match L10.
    mkdirSync(join(root, 'var/log/tierwall'), { recursive: true });
    writeFileSync(join(root, 'var/log/tierwall/three-tier.log'), [
      '2026-11-29T10:00:00.123456+00:00 host kernel: [  12.345678] tw:three-tier:L10 IN=web-bridge OUT=db-bridge SRC=172.20.1.10 DST=172.20.3.10',
      '2026-11-29T11:30:00.000001+00:00 host kernel: tw:three-tier:L10 IN=web-bridge OUT=db-bridge SRC=172.20.1.10 DST=172.20.3.10',
      '2026-11-29T12:00:00.000000+00:00 host kernel: tw:three-tier:L100 IN=x',
    ].join('\n') + '\n');
    mkdirSync(join(root, 'var/lib/tierwall/three-tier'), { recursive: true });
    writeFileSync(join(root, 'var/lib/tierwall/three-tier/last-apply'), 'timestamp=1764400000\nsuccess=1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const EXPECTED = {
    L8: { packets: 100, bytes: 6000, logged: 0 },
    L9: { packets: 5, bytes: '12345678901234567', logged: 0 },
    L10: { packets: 7, bytes: 420, logged: 3 },
    default: { packets: 13, bytes: 780, logged: 0 },
  } as const;

  it('--status prints one row per rule with its counters, last logged deny and source line', () => {
    const r = run(['--status']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE +ACTION +PACKETS +BYTES +LOGGED +LAST LOGGED +SOURCE$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^L8 +allow +100 +6000 +0 +- +line 8: allow frontend -> backend tcp\/8080;$/);
    expect(lines[2]).toMatch(/^L9 +allow +5 +12345678901234567 +0 +- +line 9: allow backend -> database tcp\/5432;$/);
    expect(lines[3]).toMatch(/^L10 +deny +7 +420 +3 +2026-11-29T11:30:00\.000001\+00:00 +line 10: deny frontend -> database log;$/);
    expect(lines[4]).toMatch(/^default +deny +13 +780 +0 +- +line 12: default deny;$/);
    // Only reads: iptables -L per chain, nothing else.
    expect(tb.calls().filter((c) => !/^iptables -w 30 -L TW-THREE-TIER\S* -v -x -n$/.test(c))).toEqual([]);
  });

  it('--status --json says the same as JSON, "never" for a logged rule that never fired', () => {
    const r = run(['--status', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { policy: string; hash: string; rules: Record<string, unknown>[] };
    expect(j.policy).toBe('three-tier');
    expect(j.hash).toBe(model.monitoring.hash);
    expect(j.rules.map((x) => [x.rule, x.packets, x.bytes, x.logged_packets, x.last_logged])).toEqual([
      ['L8', 100, 6000, 0, null],
      ['L9', 5, 12345678901234567, 0, null], // JSON.parse rounds; the text is exact (below)
      ['L10', 7, 420, 3, '2026-11-29T11:30:00.000001+00:00'],
      ['default', 13, 780, 0, null],
    ]);
    expect(r.stdout).toContain('"bytes":12345678901234567,');
    expect(j.rules[2]).toMatchObject({ action: 'deny', source: 'line 10: deny frontend -> database log;', logs: true, logged_bytes: 180 });
    // Without the log file: never.
    const log = join(root, 'var/log/tierwall/three-tier.log');
    const saved = readFileSync(log);
    rmSync(log);
    try {
      expect((JSON.parse(run(['--status', '--json']).stdout) as typeof j).rules[2]!.last_logged).toBe('never');
      expect(run(['--status']).stdout).toMatch(/\nL10 +deny +7 +420 +3 +never +line 10/);
    } finally {
      writeFileSync(log, saved);
    }
  });

  // The drift check's scratch netns has only the stub iptables-restore: it compares with rules.v4 as written.
  const SCRATCH_WARNING = 'tierwall[three-tier]: warning: could not list the compiled rules in a scratch network namespace (stub iptables-restore: refusing -w 30); comparing with rules.v4 as written\n';
  const families = (text: string): Map<string, PromFamily> => new Map(parseProm(text).map((f) => [f.name, f]));
  const value = (f: PromFamily | undefined, labels: Record<string, string>): string | undefined =>
    f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v) && Object.keys(m.labels ?? {}).length === Object.keys(labels).length)?.value;

  it('--metrics prints Prometheus text: counters per rule, drift by kind, networks, last apply, policy hash', () => {
    const r = run(['--metrics']);
    expect(r.stderr).toBe(SCRATCH_WARNING);
    expect(r.status).toBe(0);
    const fams = families(r.stdout);
    expect([...fams.keys()]).toEqual([
      'tierwall_rule_packets_total', 'tierwall_rule_bytes_total', 'tierwall_rule_logged_packets_total', 'tierwall_drift', 'tierwall_drift_items',
      'tierwall_network_present', 'tierwall_last_apply_timestamp_seconds', 'tierwall_last_apply_success', 'tierwall_policy_info',
    ]);
    for (const f of fams.values()) {
      expect(f.help).not.toBe('');
      expect(f.type).toBe(f.name.endsWith('_total') ? 'COUNTER' : 'GAUGE');
    }
    // Every HELP/TYPE line names its family, once.
    expect(r.stdout.match(/^# TYPE /gm)).toHaveLength(fams.size);
    const p = 'three-tier';
    for (const [rule, e] of Object.entries(EXPECTED)) {
      const action = rule === 'L8' || rule === 'L9' ? 'allow' : 'deny';
      expect(value(fams.get('tierwall_rule_packets_total'), { policy: p, rule, action })).toBe(String(e.packets));
      expect(r.stdout).toContain(`tierwall_rule_bytes_total{policy="${p}",rule="${rule}",action="${action}"} ${e.bytes}\n`);
    }
    expect(fams.get('tierwall_rule_logged_packets_total')!.metrics).toEqual([{ labels: { policy: p, rule: 'L10', action: 'deny' }, value: '3' }]);
    expect(value(fams.get('tierwall_drift'), { policy: p })).toBe('1');
    expect(value(fams.get('tierwall_drift_items'), { policy: p, kind: 'chain' })).toBe('0');
    expect(value(fams.get('tierwall_drift_items'), { policy: p, kind: 'jump' })).toBe('0');
    expect(value(fams.get('tierwall_drift_items'), { policy: p, kind: 'network' })).toBe('1');
    expect(fams.get('tierwall_network_present')!.metrics.map((m) => [m.labels?.network, m.value])).toEqual([['frontend', '1'], ['backend', '1'], ['database', '0']]);
    expect(value(fams.get('tierwall_last_apply_timestamp_seconds'), { policy: p })).toBe('1764400000');
    expect(value(fams.get('tierwall_last_apply_success'), { policy: p })).toBe('1');
    expect(value(fams.get('tierwall_policy_info'), { policy: p, hash: model.monitoring.hash })).toBe('1');
  });

  it('--metrics FILE replaces FILE by rename and leaves no temporary file; no apply record, no apply metrics', () => {
    const out = join(dir, 'textfile', 'tierwall_three-tier.prom');
    const state = join(root, 'var/lib/tierwall/three-tier/last-apply');
    const saved = readFileSync(state);
    rmSync(state);
    try {
      const r = run(['--metrics', out]);
      expect(r.stderr).toBe(SCRATCH_WARNING);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      expect(readdirSync(join(dir, 'textfile'))).toEqual(['tierwall_three-tier.prom']);
      const text = readFileSync(out, 'utf8');
      expect(sh('stat', ['-c', '%a', out]).stdout.trim()).toBe('644');
      const fams = families(text);
      expect(fams.has('tierwall_last_apply_timestamp_seconds')).toBe(false);
      expect(value(fams.get('tierwall_rule_packets_total'), { policy: 'three-tier', rule: 'L10', action: 'deny' })).toBe('7');
    } finally {
      writeFileSync(state, saved);
    }
  });

  it('no chain drift when the live chains are as compiled; a missing chain is chain drift and counts nothing', () => {
    // frontend's source chain, which holds L8 and L10.
    const s = join(dir, 'ipt', 'S.TW-THREE-TIER_S0');
    const l = join(dir, 'ipt', 'L.TW-THREE-TIER_S0');
    const [savedS, savedL] = [readFileSync(s), readFileSync(l)];
    rmSync(s);
    rmSync(l);
    try {
      const fams = families(run(['--metrics']).stdout);
      expect(value(fams.get('tierwall_drift_items'), { policy: 'three-tier', kind: 'chain' })).toBe('1');
      expect(value(fams.get('tierwall_rule_packets_total'), { policy: 'three-tier', rule: 'L10', action: 'deny' })).toBe('0');
      expect(value(fams.get('tierwall_rule_packets_total'), { policy: 'three-tier', rule: 'L8', action: 'allow' })).toBe('0');
      expect(value(fams.get('tierwall_rule_packets_total'), { policy: 'three-tier', rule: 'default', action: 'deny' })).toBe('11');
    } finally {
      writeFileSync(s, savedS);
      writeFileSync(l, savedL);
    }
    expect(existsSync(s)).toBe(true);
  });

  it('--json only with --status', () => {
    const r = run(['--metrics', '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--json goes with --status');
  });
});
