// installer alert delivery: the monitor's `install.sh --metrics FILE --notify`, as root in a network
// namespace of its own with stubbed iptables/docker (canned counters and networks), against an
// --alert-command that appends each alert to a file and a webhook served by socat on 127.0.0.1 inside
// that namespace. One delivery per state change, none without a change, none when unconfigured.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installerModel } from '../../../src/backends/installer/backend.js';
import { METRIC } from '../../../src/backends/installer/monitoring.js';
import { threeTier } from '../installer/fixtures.js';
import { haveTools, sh, tempDir, which, writeInstaller, type Proc } from '../installer/support.js';
import { toolbox, type Toolbox } from '../installer/stubs.js';

const HEAD = '    pkts      bytes target     prot opt in     out     source               destination         ';
const row = (pkts: number, target: string, rest: string): string =>
  `${String(pkts).padStart(8)} ${String(pkts * 60).padStart(10)} ${target.padEnd(10)} 0    --  *      *       ${rest}`;

// iptables stub: -L and -S from files in $STUB_IPT; FORWARD -> DOCKER-USER exists; anything else refused.
const IPTABLES_STUB = `#!/bin/bash
[[ $1 == -w ]] && shift 2
case "$1" in
  -L) [[ -f $STUB_IPT/L.$2 ]] || exit 1; cat "$STUB_IPT/L.$2"; exit 0 ;;
  -S) f=$STUB_IPT/S\${2:+.$2}; [[ -f $f ]] || exit 1; cat "$f"; exit 0 ;;
esac
if [[ "$*" == "-C FORWARD -j DOCKER-USER" ]]; then exit 0; fi
echo "stub iptables: refusing $*" >&2
exit 97
`;

interface Alert { policy: string; hash: string; host: string; time: number; event: string; state?: string; items?: string[]; apply_time?: number; rules?: { rule: string; source: string; logged_packets: number }[] }

const ready = haveTools('alert delivery', ['bash', 'unshare', 'curl', 'socat', 'timeout', 'ip'], true);

describe.skipIf(!ready)('install.sh --metrics FILE --notify (root in own netns, stubs)', () => {
  const policy = threeTier();
  const model = installerModel(policy);
  let dir: string;
  let script: string;
  let tb: Toolbox;
  let root: string;
  let sink: string;
  let command: string;
  const prom = () => join(root, 'var/lib/node_exporter/textfile_collector/tierwall_three-tier.prom');
  const config = () => join(root, 'etc/tierwall/three-tier/alerts.conf');
  const state = () => join(root, 'var/lib/tierwall/three-tier/alert-state');
  const env = () => ({ PATH: tb.path, STUB_LOG: tb.log, STUB_IPT: join(dir, 'ipt'), STUB_NETS: join(dir, 'nets'), HOME: '/', TMPDIR: '/tmp', LC_ALL: 'C' });

  /** The L10 LOG line's counter (the logged deny frontend -> database, inline in frontend's source chain). */
  const setLogged = (n: number): void => {
    const c = 'TW-THREE-TIER_S0';
    writeFileSync(join(dir, 'ipt', `L.${c}`), [`Chain ${c} (1 references)`, HEAD,
      row(0, 'ACCEPT', '172.20.1.0/24        172.20.1.0/24        /* three-tier:intra:frontend */'),
      row(0, 'ACCEPT', '172.20.1.0/24        172.20.2.0/24        tcp dpt:8080 /* three-tier:L8 */'),
      row(n, 'LOG', '172.20.1.0/24        172.20.3.0/24        limit: avg 10/min burst 20 /* three-tier:L10 */ LOG flags 0 level 4 prefix "tw:three-tier:L10 "'),
      row(n, 'DROP', '172.20.1.0/24        172.20.3.0/24        /* three-tier:L10 */'),
      row(0, 'DROP', '172.20.1.0/24        0.0.0.0/0            /* three-tier:default */')].join('\n') + '\n');
  };
  const netFile = (name: string) => join(dir, 'nets', name);
  const setNetwork = (name: string, present: boolean): void => {
    const n = model.networks.find((x) => x.name === name)!;
    if (!present) return rmSync(netFile(name), { force: true });
    writeFileSync(netFile(name), `${n.name}\nbridge\n${n.subnet} ${n.gateway};\n${n.bridge}\n${n.icc === 'true' ? '' : 'false'}\n${n.trusted}\nthree-tier\n0\n`);
  };
  const setApply = (ts: number, ok: 0 | 1): void => {
    mkdirSync(join(root, 'var/lib/tierwall/three-tier'), { recursive: true });
    writeFileSync(join(root, 'var/lib/tierwall/three-tier/last-apply'), `timestamp=${ts}\nsuccess=${ok}\n`);
  };
  const configure = (lines: string): void => {
    mkdirSync(join(root, 'etc/tierwall/three-tier'), { recursive: true });
    writeFileSync(config(), lines, { mode: 0o600 });
  };
  const monitor = (): Proc => sh(which('unshare')!, ['--net', '--', 'bash', script, '--root', root, '--metrics', prom(), '--notify'], { env: env() });
  const delivered = (): Alert[] => (existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert) : []);
  /** Runs the monitor once and returns what it delivered in that run. */
  const step = (): Alert[] => {
    rmSync(sink, { force: true });
    const r = monitor();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/alert (command|not delivered)/);
    return delivered();
  };

  beforeAll(() => {
    dir = tempDir('notify');
    script = writeInstaller(policy, dir);
    tb = toolbox(join(dir, 'tb'));
    writeFileSync(join(tb.path, 'iptables'), IPTABLES_STUB, { mode: 0o755 });
    for (const t of ['curl', 'timeout']) symlinkSync(which(t)!, join(tb.path, t));
    const ipt = join(dir, 'ipt');
    mkdirSync(ipt, { recursive: true });
    const rules = model.rulesV4.split('\n').filter((l) => l.startsWith('-A '));
    writeFileSync(join(ipt, 'S'), [...model.chains, 'DOCKER-USER'].map((c) => `-N ${c}\n`).join(''));
    for (const c of model.chains) writeFileSync(join(ipt, `S.${c}`), [`-N ${c}`, ...rules.filter((l) => l.split(' ')[1] === c)].join('\n') + '\n');
    writeFileSync(join(ipt, 'S.DOCKER-USER'), `-N DOCKER-USER\n-A DOCKER-USER ${model.entryRuleText}\n-A DOCKER-USER -j RETURN\n`);
    mkdirSync(join(dir, 'nets'), { recursive: true });
    sink = join(dir, 'delivered.jsonl');
    // The operator's command: one line per alert, from stdin; its arguments must be none.
    command = join(dir, 'alert-cmd');
    writeFileSync(command, `#!/bin/bash\n[[ $# -eq 0 ]] || exit 9\ncat >>${sink}\n`, { mode: 0o755 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    root = join(dir, `root-${Math.random().toString(36).slice(2)}`);
    setLogged(3);
    for (const n of model.networks) setNetwork(n.name, true);
    setApply(1764400000, 1);
  });

  it('unconfigured: metrics are written, nothing is delivered and no state is kept', () => {
    const r = monitor();
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(prom())).toBe(true);
    expect(existsSync(state())).toBe(false);
    expect(delivered()).toEqual([]);
    setNetwork('database', false);
    expect(monitor().status).toBe(0);
    expect(delivered()).toEqual([]);
    expect(existsSync(state())).toBe(false);
  });

  it('the state it compares is the metrics it writes (same counters, drift and apply record)', () => {
    configure(`webhook=\ncommand=${command}\n`);
    step();
    const text = readFileSync(prom(), 'utf8');
    expect(text).toContain(`${METRIC.ruleLoggedPackets}{policy="three-tier",rule="L10",action="deny"} 3\n`);
    expect(readFileSync(state(), 'utf8')).toBe('drift=0\napply=1764400000:1\nlog.L10=3\n');
    // Every metric family the alert rules and docs name is one --metrics really writes.
    for (const m of Object.values(METRIC)) expect(text).toContain(`# TYPE ${m} `);
  });

  it('--alert-command: one delivery per change, none when nothing changed', () => {
    configure(`# comment\nwebhook=\ncommand=${command}\n`);
    // First run: the baseline. No drift, apply ok, counters as they are: nothing to say.
    expect(step()).toEqual([]);
    expect(step()).toEqual([]);

    // Two more packets hit the logged deny: one alert with the difference.
    setLogged(5);
    const [denied, ...rest1] = step();
    expect(rest1).toEqual([]);
    expect(denied).toMatchObject({ policy: 'three-tier', hash: model.monitoring.hash, event: 'denied', rules: [{ rule: 'L10', source: 'line 10: deny frontend -> database log;', logged_packets: 2 }] });
    expect(step()).toEqual([]);

    // The chains were reloaded (counter back to 1): the 1 is new.
    setLogged(1);
    expect(step().map((a) => [a.event, a.rules?.[0]?.logged_packets])).toEqual([['denied', 1]]);
    expect(step()).toEqual([]);

    // Drift appears (a network is gone), stays, and clears: two alerts.
    setNetwork('database', false);
    const [drift, ...rest2] = step();
    expect(rest2).toEqual([]);
    expect(drift!.event).toBe('drift');
    expect(drift!.state).toBe('detected');
    expect(drift!.items).toHaveLength(1);
    expect(drift!.items![0]).toMatch(/^network: .*database/);
    expect(step()).toEqual([]);
    setNetwork('database', true);
    expect(step().map((a) => [a.event, a.state, a.items])).toEqual([['drift', 'cleared', []]]);
    expect(step()).toEqual([]);

    // An apply fails, then succeeds.
    setApply(1764401000, 0);
    expect(step().map((a) => [a.event, a.apply_time])).toEqual([['apply-failed', 1764401000]]);
    expect(step()).toEqual([]);
    setApply(1764402000, 1);
    expect(step().map((a) => [a.event, a.apply_time])).toEqual([['apply-recovered', 1764402000]]);
    expect(step()).toEqual([]);
    // A second success after a success says nothing.
    setApply(1764403000, 1);
    expect(step()).toEqual([]);

    // Two changes in one run: two deliveries.
    setLogged(4);
    setNetwork('backend', false);
    expect(step().map((a) => a.event).sort()).toEqual(['denied', 'drift']);
  }, 240_000);

  it('a failed apply found on the first run is delivered; a broken command is a warning, not a failed monitor', () => {
    setApply(1764401000, 0);
    configure(`command=${command}\n`);
    expect(step().map((a) => a.event)).toEqual(['apply-failed']);
    const failing = join(dir, 'failing-cmd');
    writeFileSync(failing, '#!/bin/bash\nexit 3\n', { mode: 0o755 });
    configure(`command=${failing}\n`);
    setNetwork('database', false);
    const r = monitor();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`alert command ${failing} failed (exit 3)`);
    // At most once: the change is recorded although the delivery failed.
    expect(readFileSync(state(), 'utf8')).toMatch(/^drift=1$/m);
  });

  it('an invalid value in the stored config is ignored with a warning, never run', () => {
    configure('webhook=file:///etc/passwd\ncommand=relative/cmd\n');
    const r = monitor();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('ignoring an invalid webhook');
    expect(r.stderr).toContain('ignoring an invalid command');
    expect(existsSync(state())).toBe(false);
  });

  it('--alert-webhook: curl POSTs each alert once to a listener on 127.0.0.1 in the namespace', () => {
    const got = join(dir, 'webhook');
    mkdirSync(got, { recursive: true });
    // The listener: one handler per connection saves the request line and body, answers 204.
    const handler = join(dir, 'handler.sh');
    writeFileSync(handler, `#!/bin/bash
n=$(mktemp ${got}/req.XXXXXX)
IFS= read -r line; printf '%s\\n' "\${line%$'\\r'}" >"$n.line"
len=0
while IFS= read -r h; do h=\${h%$'\\r'}; [[ -z $h ]] && break; [[ \${h,,} == content-length:* ]] && len=\${h#*: }; done
head -c "$len" >"$n.body"
printf 'HTTP/1.1 204 No Content\\r\\nConnection: close\\r\\n\\r\\n'
`, { mode: 0o755 });
    const url = 'http://127.0.0.1:18099/hook?token=a$(id)b';
    configure(`webhook=${url}\n`);
    const runner = join(dir, 'in-netns.sh');
    // Inside one fresh netns: loopback up, socat listening, the monitor three times (baseline, a
    // change, no change), then socat is stopped by its PID.
    writeFileSync(runner, `#!/bin/bash
set -u
${which('ip')} link set lo up
${which('socat')} TCP-LISTEN:18099,bind=127.0.0.1,reuseaddr,fork EXEC:${handler} &
pid=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/18099) 2>/dev/null && break; sleep 0.1; done
rm -f ${got}/req.*
run() { PATH=${tb.path} STUB_LOG=${tb.log} STUB_IPT=${join(dir, 'ipt')} STUB_NETS=${join(dir, 'nets')} bash ${script} --root ${root} --metrics ${prom()} --notify; }
run; echo "rc1=$?"
rm -f ${netFile('database')}
run; echo "rc2=$?"
run; echo "rc3=$?"
sleep 0.3
kill "$pid"; wait "$pid" 2>/dev/null
exit 0
`, { mode: 0o755 });
    const r = sh(which('unshare')!, ['--net', '--', 'bash', runner], { timeoutMs: 60_000 });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('rc'))).toEqual(['rc1=0', 'rc2=0', 'rc3=0']);
    expect(r.stderr).not.toContain('not delivered');
    const lines = sh('sh', ['-c', `cat ${got}/req.*.line 2>/dev/null`]).stdout.split('\n').filter(Boolean);
    // The baseline run and the unchanged run send nothing; the drift sends one POST, to the URL as given.
    expect(lines).toEqual(['POST /hook?token=a$(id)b HTTP/1.1']);
    const body = JSON.parse(sh('sh', ['-c', `cat ${got}/req.*.body`]).stdout) as Alert;
    expect(body).toMatchObject({ policy: 'three-tier', event: 'drift', state: 'detected' });
  }, 120_000);
});

describe.skipIf(!haveTools('install.sh alert options', ['bash'], false))('install.sh alert options: checked before anything runs', () => {
  let dir: string;
  let script: string;
  beforeAll(() => {
    dir = tempDir('alert-opts');
    script = writeInstaller(threeTier(), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]): Proc => sh('bash', [script, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });

  it.each([
    [['--alert-webhook', 'ftp://host/x'], 'needs an http:// or https:// URL'],
    [['--alert-webhook', 'https://host/a b'], 'needs an http:// or https:// URL'],
    [['--alert-webhook', 'https://host/a\nb'], 'needs an http:// or https:// URL'],
    [['--alert-webhook', '-Khttps://x'], 'needs an http:// or https:// URL'],
    [['--alert-webhook'], '--alert-webhook needs a value'],
    [['--alert-command', 'mail -s x'], 'needs an absolute path'],
    [['--alert-command', '/usr/bin/x\n/bin/y'], 'needs an absolute path'],
    [['--verify', '--alert-command', '/bin/true'], 'go with an apply'],
    [['--no-persist', '--alert-webhook', 'http://x'], 'not with --no-persist'],
    [['--no-alerts', '--alert-webhook', 'http://x'], 'exclude each other'],
    [['--metrics', '--notify'], '--notify goes with --metrics FILE'],
    [['--status', '--notify'], '--notify goes with --metrics FILE'],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('--dry-run shows where the delivery would be stored, the URL as one word', () => {
    const r = run(['--dry-run', '--alert-webhook', 'https://hooks.example.com/x?t=$(id)&a=`b`', '--alert-command', '/bin/true']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('+ write /etc/tierwall/three-tier/alerts.conf (mode 0600): webhook=https://hooks.example.com/x?t=$(id)&a=`b` command=/bin/true\n');
    expect(run(['--dry-run', '--no-alerts']).stdout).toContain('+ rm -f -- /etc/tierwall/three-tier/alerts.conf\n');
  });
});
