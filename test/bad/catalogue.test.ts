// test/bad: the hostile-input catalogue. Every committed case (NN-name.policy, pinned in expected.json)
// and every generated one (generated.ts) goes through the front end in-process and must get exactly its
// diagnostics; fmt and compile must answer without throwing. A sample then goes through the real CLI
// process: exit status, no stack trace, printable output, CPU time and peak memory within bounds.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { analyze } from '../../src/pipeline.js';
import { compile } from '../../src/compile.js';
import { format } from '../../src/syntax/format.js';
import { SourceFile } from '../../src/source/source-file.js';
import { GENERATED } from './generated.js';
import { CRASH_SIGNS, RAW_CONTROL, comparableIr, entry, invariantViolations, meteredCli, type Entry } from './support.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const manifest = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Record<string, Entry[]> };
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.policy')).sort();

/** Read as the CLI reads a file: UTF-8, invalid bytes become U+FFFD. */
const load = (file: string): SourceFile => new SourceFile(file, readFileSync(join(DIR, file), 'utf8'));

/** Codes that no policy text reaches through analyze, and where each is tested instead. */
const NOT_FROM_TEXT: Readonly<Record<string, string>> = {
  'io-error': 'the CLI, for a file it cannot read (below)',
  'backend-unsupported': 'compile only (test/backends, and the 1000-tier limit)',
  'validation-failed': "compile's self-check of the generated ruleset (test/validate)",
  'k8s-external-ends': 'compile --target k8s only (test/backends/k8s/external.test.ts)',
  'unknown-target': 'the CLI option --target (below)',
  'monitoring-tier-missing': 'compile --target monitoring only (test/backends/monitoring)',
  'monitoring-scrape-denied': 'compile --target monitoring only (test/backends/monitoring)',
  'internal-error': 'a bug: it must never appear (every test here asserts so)',
};

describe('the committed catalogue', () => {
  test('has at least 60 cases, each named NN-short-name.policy, numbered from 01 without gaps', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(60);
    FILES.forEach((f, i) => expect(f).toMatch(new RegExp(`^${String(i + 1).padStart(2, '0')}-[a-z0-9]+(-[a-z0-9]+)*\\.policy$`)));
  });

  test('every case has a manifest entry and every entry a case', () => {
    expect(Object.keys(manifest.cases).sort()).toEqual(FILES);
  });

  test('every code a policy text can trigger has at least one case', () => {
    const covered = new Set<string>();
    for (const entries of Object.values(manifest.cases)) for (const [code] of entries) covered.add(code);
    for (const g of GENERATED) for (const code of Object.keys(g.counts)) covered.add(code);
    for (const code of Object.keys(NOT_FROM_TEXT)) expect(Object.keys(CODES)).toContain(code); // no stale exemption
    const missing = Object.keys(CODES).filter((c) => !covered.has(c) && !(c in NOT_FROM_TEXT));
    expect(missing).toEqual([]);
  });

  test.each(FILES)('%s: exactly the expected diagnostics, in order, with their spans', (file) => {
    const source = load(file);
    const a = analyze(source);
    expect(invariantViolations(source, a.diagnostics)).toEqual([]);
    expect(a.diagnostics.map((d) => entry(source, d))).toEqual(manifest.cases[file]);
  });

  test.each(FILES)('%s: fmt and compile answer without throwing', async (file) => {
    const source = load(file);
    const broken = hasErrors(analyze(source).diagnostics);
    const formatted = format(source);
    if (hasErrors(formatted.diagnostics)) {
      expect(formatted.text).toBe(source.text); // a file that does not parse is left exactly as it is
    } else {
      expect(format(new SourceFile(file, formatted.text)).text).toBe(formatted.text);
      if (!broken) {
        const again = analyze(new SourceFile(file, formatted.text));
        expect(comparableIr(again.policy)).toEqual(comparableIr(analyze(source).policy));
      }
    }
    const c = await compile(source);
    expect(invariantViolations(source, c.diagnostics, { tableSeverity: false })).toEqual([]);
    // Compile refuses on any error, and emits everything otherwise.
    expect(c.artifacts.length === 0).toBe(hasErrors(c.diagnostics));
    if (broken) expect(c.artifacts).toEqual([]);
  });
});

describe('generated cases (10 MB, 100k lines, 10,000 repetitions)', () => {
  test.each(GENERATED)('$name: the expected diagnostics, nothing else', (g) => {
    const source = new SourceFile(`${g.name}.policy`, g.text());
    const a = analyze(source);
    expect(invariantViolations(source, a.diagnostics)).toEqual([]);
    const counts: Record<string, number> = {};
    for (const d of a.diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
    expect(counts).toEqual(g.counts);
    expect(a.diagnostics.slice(0, g.first.length).map((d) => entry(source, d))).toEqual(g.first);
  }, 60_000);
});

// ---- the real process ----

/** Committed cases run through `tierwall check`: control characters, encodings, metacharacters, checks. */
const CLI_SAMPLE = [
  'bom-middle', 'cr-only', 'nul-between-tokens', 'esc-bel-in-comment', 'esc-in-string', 'rtl-override-string',
  'bidi-in-comment', 'emoji-name', 'invalid-utf8', 'shell-metachar-names', 'metachar-values-valid', 'string-bad-escapes',
  'service-unclosed-eof', 'rule-shadowed', 'publish-conflict',
].map((name) => {
  const file = FILES.find((f) => f.slice(3) === `${name}.policy`);
  if (!file) throw new Error(`no case named ${name}`);
  return file;
});

/** Bounds for one `check` run: CPU seconds and peak RSS (the V8 heap is capped at 512 MB as well). */
const SMALL = { cpu: 5, rssMb: 400 };
const BIG = { cpu: 10, rssMb: 700 };

interface JsonOut {
  diagnostics: { code: string; file: string | null; start: { line: number; col: number } | null; end: { line: number; col: number } | null }[];
}

function expectCleanRun(r: ReturnType<typeof meteredCli>, status: number, bound: { cpu: number; rssMb: number }): void {
  expect(r.signal, r.stderr).toBeNull(); // not killed (timeout, OOM)
  expect(r.stderr).not.toMatch(CRASH_SIGNS);
  expect(r.status, r.stderr.slice(0, 2000)).toBe(status);
  if (r.cpu !== undefined) expect(r.cpu).toBeLessThan(bound.cpu);
  else expect(r.wall).toBeLessThan(bound.cpu * 6); // no /usr/bin/time: wall time, loosely
  if (r.maxRssMb !== undefined) expect(r.maxRssMb).toBeLessThan(bound.rssMb);
}

describe('through the CLI process', () => {
  // One process checks the whole sample (check takes several files): a spawn costs more than a case.
  test('check --format json on the sample: exit 1, no stack trace, the same diagnostics per file', () => {
    const paths = CLI_SAMPLE.map((f) => join(DIR, f));
    const r = meteredCli(['check', '--format', 'json', ...paths]);
    expectCleanRun(r, 1, SMALL);
    const got = new Map<string, string[]>(CLI_SAMPLE.map((f) => [f, []]));
    for (const d of (JSON.parse(r.stdout) as JsonOut).diagnostics) {
      const file = CLI_SAMPLE.find((f) => d.file === join(DIR, f));
      expect(file, `diagnostic for an unknown file ${d.file}`).toBeDefined();
      got.get(file!)!.push(`${d.code} ${d.start && d.end ? `${d.start.line}:${d.start.col}-${d.end.line}:${d.end.col}` : '-'}`);
    }
    for (const f of CLI_SAMPLE) expect(got.get(f), f).toEqual(manifest.cases[f]!.map(([code, span]) => `${code} ${span}`));
  });

  test('check (text) prints nothing raw: no control or bidi characters reach the terminal', () => {
    const hostile = CLI_SAMPLE.filter((f) => /nul|esc|rtl|bidi|emoji|utf8|metachar/.test(f));
    const r = meteredCli(['check', ...hostile.map((f) => join(DIR, f))]);
    expectCleanRun(r, 1, SMALL);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('U+001B'); // the escape is shown, as a code point
  });

  test('a file without errors exits 0', () => {
    const clean = FILES.filter((f) => manifest.cases[f]!.length === 0);
    expect(clean.length).toBeGreaterThan(5);
    expectCleanRun(meteredCli(['check', ...clean.map((f) => join(DIR, f))]), 0, SMALL);
  });

  test('unreadable inputs are io-error with exit 1, an unknown target is refused, never a crash', () => {
    const missing = meteredCli(['check', join(DIR, 'no-such-case.policy')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error\[io-error\]: .*no such file/);
    const dir = meteredCli(['check', DIR]);
    expect(dir.status).toBe(1);
    expect(dir.stderr).toMatch(/^error\[io-error\]: .*is a directory/);
    const out = mkdtempSync(join(tmpdir(), 'tw-bad-'));
    try {
      const target = meteredCli(['compile', join(DIR, FILES[0]!), '-o', out, '--target', '$(touch x)']);
      expect(target.stderr).not.toMatch(CRASH_SIGNS);
      expect(target.stderr).toContain('unknown-target');
      expect([1, 2]).toContain(target.status);
      expect(readdirSync(out)).toEqual([]); // nothing written
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  describe('generated cases', () => {
    let dir: string;
    beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tw-bad-gen-')); });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test.each(GENERATED.filter((g) => g.cli))('check --format json $name: bounded CPU and memory, no crash', (g) => {
      const file = join(dir, `${g.name}.policy`);
      writeFileSync(file, g.text());
      const r = meteredCli(['check', '--format', 'json', file]);
      const errors = Object.keys(g.counts).some((code) => CODES[code as keyof typeof CODES].severity === 'error');
      expectCleanRun(r, errors ? 1 : 0, BIG);
      expect((JSON.parse(r.stdout) as JsonOut).diagnostics.length).toBe(Object.values(g.counts).reduce((a, b) => a + b, 0));
      console.log(`cli ${g.name}: ${r.cpu?.toFixed(2) ?? '?'} s CPU, ${r.maxRssMb?.toFixed(0) ?? '?'} MB peak, ${r.wall.toFixed(1)} s wall`);
    }, 120_000);
  });
});
