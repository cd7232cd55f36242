// test/injection (b): what lowering accepts reaches the artifacts intact and inert. Env values and
// command arguments carry every shell, YAML, Compose and systemd payload (each would create a canary file
// if run); names are the strangest valid ones (YAML 1.1 booleans, null, 63 characters, numeric and dotted
// bridges). The real CLI compiles the policies with the default target; then:
// - the payloads reach compose.yml only, and round-trip exactly through YAML (1.2 and 1.1) and Compose's
//   own interpolation (`docker compose config` when the plugin is there), and the compose-spec schema;
// - install.sh passes bash -n and shellcheck, and `--help` and `--dry-run` run (as nobody when we are
//   root) with recording stubs first on PATH: no stub is called, no canary appears, nothing is written;
// - the systemd units pass systemd-analyze verify, the rsyslog drop-in rsyslogd -N1, logrotate -d.
// In CI a missing tool fails (haveTools); locally the test is skipped with a note.
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { tierwall } from '../support/cli.js';
import { haveTools, sh, tempDir, which } from '../backends/installer/support.js';
import { STUBBED, toolbox } from '../backends/installer/stubs.js';
import { composeConfig, composeUnavailable, IN_CI, schemaErrors } from '../backends/compose/validators.js';
import { FORMAT_PAYLOADS, quote, shellPayloads } from './payloads.js';

/** Written only in policy comments. */
const COMMENT_MARK = 'comment-mark-7e57';

let dir: string;
let canaryDir: string;
let canary: string;

/** Every payload, each the value of one env variable (names include YAML-reserved words). */
function hostileEnv(): { name: string; value: string }[] {
  const values = [...shellPayloads(canary), ...FORMAT_PAYLOADS];
  const names = ['y', 'on', 'NULL', 'True', '_', 'No'];
  return values.map((value, i) => ({ name: i < names.length ? names[i]! : `P${i}`, value }));
}

/** A policy with the strangest valid names, and every payload in env values and command arguments. */
function yamlishPolicy(): string {
  const env = hostileEnv().map((e) => `  env ${e.name} ${quote(e.value)};\n`).join('');
  const command = shellPayloads(canary).map(quote).join(', ');
  return [
    `# ${COMMENT_MARK} $(touch ${canary}) \`touch ${canary}\` '; touch ${canary}; ' %n \${HOME}`,
    'policy yes;',
    'tier yes 10.41.1.0/24 bridge a.b_C-1;',
    'tier no 10.41.2.0/24 bridge 123 isolated;',
    'tier null 10.41.3.0/24 gateway 10.41.3.254;',
    'tier on 10.41.4.0/24;',
    `allow yes -> no tcp/80 log;  // ${COMMENT_MARK} $(touch ${canary})`,
    'deny on -> null log;',
    'allow any -> on udp/53;',
    'default deny;',
    'service y {',
    '  image "registry.example.com:5000/team/app:1.2.3";',
    '  tiers yes, no;',
    '  address yes 10.41.1.10;',
    '  user "1000:1000";',
    `${env}  command ${command}, "%n", "\${HOME}", "$$";`,
    '  tmpfs "/run/app:size=64m,mode=1777", "/tmp";',
    '  cap_add NET_BIND_SERVICE, CAP_CHOWN;',
    '  publish 127.0.0.1:8080 -> tcp/80;',
    '}',
    'service true { image "nginx"; tiers null; }',
    '',
  ].join('\n');
}

/** 63-character names everywhere (chains, log prefixes, units and paths are shortened or hashed). */
function longPolicy(): string {
  const n = (c: string) => `${c}${'-0'.repeat(31)}`; // 63 characters, digits and dashes
  return [
    `policy ${n('p')};`,
    `tier ${n('a')} 10.42.1.0/24 bridge abcdefghijklmno;`,
    `tier ${n('b')} 10.42.2.0/24 isolated;`,
    `allow ${n('a')} -> ${n('b')} tcp/1-65535, udp/1-65535, icmp log;`,
    `deny ${n('b')} -> ${n('a')} log;`,
    `service ${n('s')} { image "nginx"; tiers ${n('a')}; env A ${quote(`$(touch ${canary})`)}; }`,
    '',
  ].join('\n');
}

const POLICIES = { yamlish: yamlishPolicy, long: longPolicy } as const;
type Name = keyof typeof POLICIES;
const out = (name: Name): string => join(dir, 'out', name);
const artifact = (name: Name, path: string): string => readFileSync(join(out(name), path), 'utf8');

/** Every file under d, relative. */
function files(d: string, prefix = ''): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

beforeAll(() => {
  dir = tempDir('injection');
  canaryDir = join(dir, 'canary');
  mkdirSync(canaryDir);
  chmodSync(canaryDir, 0o777); // writable by nobody too: an injected touch must be able to succeed
  canary = join(canaryDir, 'CANARY');
  for (const name of Object.keys(POLICIES) as Name[]) {
    const file = join(dir, `${name}.policy`);
    writeFileSync(file, POLICIES[name]());
    const r = tierwall(['compile', file, '-o', out(name)]);
    if (r.status !== 0) throw new Error(`compile ${name} failed:\n${r.stderr}`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compiling hostile but valid policies (the real CLI)', () => {
  it.each(Object.keys(POLICIES) as Name[])('%s: writes every artifact, and no canary yet', (name) => {
    expect(files(out(name)).sort()).toEqual(expect.arrayContaining(['install.sh', 'compose.yml', 'rules.v4', 'REPORT.md']));
    expect(statSync(join(out(name), 'install.sh')).mode & 0o777).toBe(0o755);
    expect(existsSync(canary)).toBe(false);
  });

  it.each(Object.keys(POLICIES) as Name[])('%s: env and command payloads reach compose.yml only', (name) => {
    const carrying = files(out(name)).filter((f) => artifact(name, f).includes(canaryDir));
    expect(carrying).toEqual(['compose.yml']);
    // Comments never reach an artifact.
    for (const f of files(out(name))) expect(artifact(name, f)).not.toContain(COMMENT_MARK);
  });
});

describe('compose.yml', () => {
  const svc = (doc: unknown, key: string) => (doc as { services: Record<string, Record<string, unknown>> }).services[key]!;
  /** Compose's escaping undone: `$$` is one literal `$` (strings, in arrays and mappings). */
  const unDollar = (v: unknown): unknown =>
    typeof v === 'string' ? v.replace(/\$\$/g, '$')
      : Array.isArray(v) ? v.map(unDollar)
        : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unDollar(x)]))
          : v;

  it('parses as YAML 1.2 without error or warning, every key unique', () => {
    const doc = parseDocument(artifact('yamlish', 'compose.yml'), { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it.each([['1.2'], ['1.1']] as const)('YAML %s gives back exactly the policy values (after Compose $$ escaping)', (version) => {
    const doc = parse(artifact('yamlish', 'compose.yml'), { version }) as { name: unknown; networks: Record<string, unknown>; services: object };
    expect(doc.name).toBe('yes');
    expect(Object.keys(doc.networks)).toEqual(['yes', 'no', 'null', 'on']);
    const y = svc(doc, 'y');
    expect(Object.keys(doc.services)).toEqual(['y', 'true']);
    const env = unDollar(y.environment) as Record<string, unknown>;
    expect(Object.entries(env).map(([name, value]) => ({ name, value }))).toEqual(hostileEnv());
    expect(unDollar(y.command)).toEqual([...shellPayloads(canary), '%n', '${HOME}', '$$']);
    expect(y.networks).toEqual({ yes: { ipv4_address: '10.41.1.10' }, no: {} });
    expect(y.read_only).toBe(true);
    expect(y.cap_drop).toEqual(['ALL']);
  });

  it('validates against the compose-spec schema', () => {
    for (const name of Object.keys(POLICIES) as Name[]) expect(schemaErrors(parse(artifact(name, 'compose.yml')))).toEqual([]);
  });

  const missing = composeUnavailable();
  it.skipIf(missing !== undefined && !IN_CI)('docker compose config reads the same values, interpolates nothing, runs nothing', () => {
    if (missing) throw new Error(`validator missing in CI: ${missing}`);
    const r = composeConfig(artifact('yamlish', 'compose.yml'), ['--format', 'json'], { HOME: '/INTERPOLATED', TIERWALL_PROBE: 'INTERPOLATED' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('INTERPOLATED');
    const y = svc(JSON.parse(r.stdout), 'y');
    // `config` prints a loadable file, so a literal '$' comes back as '$$'.
    expect(unDollar(y.environment)).toEqual(Object.fromEntries(hostileEnv().map((e) => [e.name, e.value])));
    expect(unDollar(y.command)).toEqual([...shellPayloads(canary), '%n', '${HOME}', '$$']);
    expect(existsSync(canary)).toBe(false);
  }, 60_000);
});

describe.skipIf(!haveTools('install.sh static checks', ['bash', 'shellcheck']))('install.sh static checks', () => {
  // The long-name policy's install.sh differs only in names; test/backends/installer shellchecks one.
  it.each(['yamlish'] as Name[])('%s: bash -n and shellcheck -x -S style find nothing', (name) => {
    const file = join(out(name), 'install.sh');
    expect(sh('bash', ['-n', file])).toMatchObject({ status: 0, stderr: '' });
    const sc = sh('shellcheck', ['-x', '-S', 'style', file], { cwd: out(name) });
    expect(sc.stdout + sc.stderr).toBe('');
    expect(sc.status).toBe(0);
  });
});

const asRoot = process.getuid?.() === 0;
const runTools = ['bash', 'mktemp', 'flock', ...(asRoot ? ['setpriv'] : [])];

describe.skipIf(!haveTools('install.sh as a process', runTools))('install.sh --help and --dry-run, against stubs', () => {
  /** Runs install.sh in an empty directory, as nobody when we are root, with only stubs for docker & co. */
  function run(name: Name, args: string[]) {
    const work = join(dir, `run-${name}-${args.join('').replace(/[^a-z]/g, '')}`);
    mkdirSync(work, { recursive: true });
    chmodSync(work, 0o777);
    const tb = toolbox(join(work, 'tb'));
    const cwd = join(work, 'cwd');
    mkdirSync(cwd);
    chmodSync(cwd, 0o777);
    const env = { PATH: tb.path, STUB_LOG: tb.log, HOME: cwd, TMPDIR: work, LC_ALL: 'C' };
    const script = join(out(name), 'install.sh');
    const cmd = asRoot ? [which('setpriv')!, '--reuid=65534', '--regid=65534', '--clear-groups', '--', 'bash', script, ...args] : ['bash', script, ...args];
    const r = sh(cmd[0]!, cmd.slice(1), { env, cwd });
    return { ...r, calls: tb.calls(), cwdFiles: readdirSync(cwd) };
  }

  it('has only recording stubs on PATH for docker, iptables & co. (never the real binaries)', () => {
    const tb = toolbox(join(dir, 'stub-check'));
    for (const cmd of STUBBED) {
      const r = sh('bash', ['-c', 'command -v "$1"', 'bash', cmd], { env: { PATH: tb.path } });
      expect(r.stdout.trim()).toBe(join(tb.path, cmd));
      expect(readFileSync(r.stdout.trim(), 'utf8')).toMatch(/^#!\/bin\/bash\nme=\$\(basename "\$0"\)\n/);
    }
  });

  it.each(Object.keys(POLICIES) as Name[])('%s: --help runs nothing and lists the networks', (name) => {
    const r = run(name, ['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: install\.sh /);
    expect(r.calls).toEqual([]);
    expect(r.cwdFiles).toEqual([]);
    expect(existsSync(canary)).toBe(false);
  });

  it.each(Object.keys(POLICIES) as Name[])('%s: --dry-run prints the commands, calls no stub, creates nothing', (name) => {
    const root = join(dir, `dry-root-${name}`);
    const r = run(name, ['--dry-run', '--root', root]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('+ docker network create --driver bridge');
    expect(r.stdout).toContain('+ iptables-restore -w 30 --noflush');
    expect(r.calls).toEqual([]);
    expect(r.cwdFiles).toEqual([]);
    expect(existsSync(root)).toBe(false);
    expect(existsSync(canary)).toBe(false);
  });

  it('the YAML-ish names are passed as single, quoted words', () => {
    const r = run('yamlish', ['--dry-run']);
    expect(r.stdout).toContain('-o com.docker.network.bridge.name=a.b_C-1 --label tierwall.policy=yes yes\n');
    expect(r.stdout).toContain('-o com.docker.network.bridge.name=123 -o com.docker.network.bridge.enable_icc=false');
  });
});

describe.skipIf(!haveTools('systemd units and log routing', ['systemd-analyze', 'rsyslogd', 'logrotate']))('systemd units and log routing', () => {
  it.each(Object.keys(POLICIES) as Name[])('%s: systemd-analyze verify, rsyslogd -N1 and logrotate -d accept them', (name) => {
    // A root tree like install.sh --root leaves it, with the distribution's units to resolve against.
    const root = join(dir, `units-${name}`);
    mkdirSync(join(root, 'lib/systemd'), { recursive: true });
    cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const docker = join(root, 'lib/systemd/system/docker.service');
    if (!existsSync(docker)) writeFileSync(docker, '[Unit]\nDescription=stand-in for docker.service\n[Service]\nExecStart=/bin/true\n');
    const units = files(out(name)).filter((f) => f.startsWith('systemd/'));
    expect(units).toHaveLength(3);
    const policyName = parse(artifact(name, 'compose.yml')).name as string;
    const stateDir = join(root, 'etc/tierwall', policyName);
    mkdirSync(stateDir, { recursive: true });
    cpSync(join(out(name), 'install.sh'), join(stateDir, 'install.sh'));
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    const placed = units.map((u) => {
      const at = `/etc/systemd/system/${u.slice('systemd/'.length)}`;
      writeFileSync(join(root, at), artifact(name, u));
      return at;
    });
    const v = sh('systemd-analyze', ['verify', `--root=${root}`, ...placed]);
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);

    const [rsyslog] = files(out(name)).filter((f) => f.startsWith('rsyslog/'));
    expect(sh('rsyslogd', ['-N1', '-f', join(out(name), rsyslog!)]).status).toBe(0);
    const [rotate] = files(out(name)).filter((f) => f.startsWith('logrotate/'));
    const lr = sh('logrotate', ['-d', '-s', join(root, 'logrotate.state'), join(out(name), rotate!)]);
    expect(lr.status, lr.stderr).toBe(0);
    expect(lr.stdout + lr.stderr).not.toMatch(/error/i);
  }, 60_000);
});
