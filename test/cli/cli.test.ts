// CLI tests: the real process, its exit codes, streams and formats.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import Ajv07 from 'ajv';
import { tierwall, ROOT } from '../support/cli.js';

const THREE = 'policies/three-tier.policy';
const BAD = 'tier a 10.0.0.0/16;\ntier b 10.0.1.0/24;\nallow a -> c tcp/80;\n';

describe('tierwall --version / --help', () => {
  it('prints the package version', () => {
    const r = tierwall(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
  it.each(['check', 'compile', 'fmt', 'query', 'ir'])('%s --help exits 0 and shows usage', (cmd) => {
    const r = tierwall([cmd, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: tierwall ${cmd}`);
  });
  it('usage errors exit 2', () => {
    expect(tierwall(['frobnicate']).status).toBe(2);
    expect(tierwall(['check']).status).toBe(2);
    expect(tierwall(['check', THREE, '--format', 'xml']).status).toBe(2);
    expect(tierwall(['compile', THREE]).status).toBe(2); // -o is required
  });
});

describe('tierwall check', () => {
  it('exits 0 on a clean example', () => {
    const r = tierwall(['check', THREE]);
    expect(r.stderr).not.toContain('error[');
    expect(r.status).toBe(0);
  });
  it('exits 1 with rustc-style diagnostics, no stack trace', () => {
    const r = tierwall(['check', '-'], { input: BAD });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[cidr-overlap]');
    expect(r.stderr).toContain('error[unknown-tier]');
    expect(r.stderr).toMatch(/--> <stdin>:2:8/);
    expect(r.stderr).toMatch(/\^+/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });
  it('--strict fails on warnings', () => {
    const warn = 'tier a 172.20.1.0/24;\ntier b 10.1.0.0/24;\nallow a -> b;\n';
    expect(tierwall(['check', '-'], { input: warn }).status).toBe(0);
    expect(tierwall(['check', '--strict', '-'], { input: warn }).status).toBe(1);
  });
  it('json format validates against its schema and carries codes and positions', () => {
    const r = tierwall(['check', '--format', 'json', '-'], { input: BAD });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    const ajv = new Ajv2020.default({ allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/diagnostics.schema.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const overlap = report.diagnostics.find((d: { code: string }) => d.code === 'cidr-overlap');
    expect(overlap.start).toMatchObject({ line: 2, col: 8 });
  });
  it('sarif and github formats', () => {
    const sarif = JSON.parse(tierwall(['check', '--format', 'sarif', '-'], { input: BAD }).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('unknown-tier');
    const gh = tierwall(['check', '--format', 'github', '-'], { input: BAD }).stdout;
    expect(gh).toMatch(/^::error file=<stdin>,line=3,/m);
  });
  it('a missing file is a diagnostic, exit 1', () => {
    const r = tierwall(['check', 'no/such.policy']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no such file');
  });
});

describe('tierwall compile', () => {
  it('writes artifacts, then writes nothing when nothing changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-cli-'));
    try {
      const r1 = tierwall(['compile', THREE, '-o', dir]);
      expect(r1.status, r1.stderr).toBe(0);
      const files = readdirSync(dir, { recursive: true }) as string[];
      expect(files).toContain('install.sh');
      expect(files).toContain('rules.v4');
      expect(statSync(join(dir, 'install.sh')).mode & 0o777).toBe(0o755);
      const mtime = statSync(join(dir, 'rules.v4')).mtimeMs;
      const r2 = tierwall(['compile', THREE, '-o', dir]);
      expect(r2.stderr).toMatch(/0 written/);
      expect(statSync(join(dir, 'rules.v4')).mtimeMs).toBe(mtime);
      expect(readdirSync(dir).filter((f) => f.startsWith('.tierwall-'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses to emit when the policy has errors and leaves the directory untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-cli-'));
    try {
      writeFileSync(join(dir, 'keep.txt'), 'mine');
      const r = tierwall(['compile', '-', '-o', dir], { input: BAD });
      expect(r.status).toBe(1);
      expect(readdirSync(dir)).toEqual(['keep.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('an unknown target is a diagnostic', () => {
    const r = tierwall(['compile', THREE, '-o', join(tmpdir(), 'tw-none'), '--target', 'nft']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown-target');
  });
});

describe('tierwall query', () => {
  it('names the deciding rule with its line', () => {
    const r = tierwall(['query', THREE, 'frontend', 'database', 'tcp/5432']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/frontend -> database tcp\/5432: deny \(logged\), rule at policies\/three-tier.policy:10:1/);
  });
  it('accepts addresses and explains default and intra-tier verdicts', () => {
    expect(tierwall(['query', THREE, '172.20.2.7', '172.20.3.9', 'tcp/5432']).stdout).toMatch(/allow, rule at .*:9:1/);
    expect(tierwall(['query', THREE, 'backend', 'frontend', 'tcp/80']).stdout).toMatch(/deny, no rule matches: the policy default/);
    expect(tierwall(['query', THREE, 'database', 'database', 'tcp/5432']).stdout).toMatch(/deny, traffic inside an isolated tier/);
  });
  it('without a service lists every class of the pair', () => {
    const r = tierwall(['query', THREE, 'frontend', 'backend']);
    expect(r.stdout).toContain('tcp/1-8079: deny');
    expect(r.stdout).toContain('tcp/8080: allow');
    expect(r.stdout).toContain('tcp/8081-65535: deny');
  });
  it('rejects unknown endpoints with exit 2', () => {
    const r = tierwall(['query', THREE, 'frontend', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'nowhere' is neither a tier");
  });
});

describe('tierwall ir', () => {
  it('prints IR valid against schemas/ir.schema.json', () => {
    const r = tierwall(['ir', THREE]);
    expect(r.status).toBe(0);
    const validate = new Ajv07.default({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/ir.schema.json'), 'utf8')));
    const ir = JSON.parse(r.stdout);
    expect(validate(ir), JSON.stringify(validate.errors)).toBe(true);
    expect(ir.tiers.map((t: { name: string }) => t.name)).toEqual(['frontend', 'backend', 'database']);
  });
});
