// test/fuzz: the properties themselves, shared by the CI tests (fixed seed) and bench/fuzz-long (random
// seed, many runs). Input: a policy text. Output: throws (an expect failure) when the property breaks.
import { readFileSync } from 'node:fs';
import Ajv07 from 'ajv';
import { expect } from 'vitest';
import { compile } from '../../src/compile.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { analyze } from '../../src/pipeline.js';
import { SourceFile } from '../../src/source/source-file.js';
import { format } from '../../src/syntax/format.js';
import { ROOT } from '../support/cli.js';
import { comparableIr, invariantViolations } from '../bad/support.js';

/** Warnings a generated valid policy may carry (test/support/arbitrary-policy.ts says why). */
export const WARNINGS_OF_VALID: ReadonlySet<string> = new Set(['service-bridges-deny']);

const validateIr = new Ajv07.default({ allErrors: true }).compile(JSON.parse(readFileSync(`${ROOT}schemas/ir.schema.json`, 'utf8')) as object);

/** What `tierwall ir` prints for a policy, parsed back: the document the schema describes. */
export function irDocument(policy: unknown): unknown {
  return JSON.parse(JSON.stringify({ irVersion: 2, ...(policy as object) }));
}

/** The IR document's schema errors ([] when it validates). */
export function irSchemaErrors(doc: unknown): string[] {
  return validateIr(doc) ? [] : (validateIr.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/**
 * A valid policy: accepted (no error, only the expected warnings), fmt idempotent and meaning-preserving
 * (same IR after formatting), IR valid against schemas/ir.schema.json, and the default target compiles it.
 */
export async function validPolicyHolds(text: string, allowedWarnings: ReadonlySet<string> = WARNINGS_OF_VALID): Promise<void> {
  const source = new SourceFile('fuzz.policy', text);
  const a = analyze(source);
  expect(invariantViolations(source, a.diagnostics)).toEqual([]);
  expect(a.diagnostics.filter((d) => !(d.severity === 'warning' && allowedWarnings.has(d.code))).map((d) => `${d.code}: ${d.message}`)).toEqual([]);

  const once = format(source);
  expect(once.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(format(new SourceFile('fuzz.policy', once.text)).text).toBe(once.text);
  const reparsed = analyze(new SourceFile('fuzz.policy', once.text));
  expect(comparableIr(reparsed.policy)).toEqual(comparableIr(a.policy));

  expect(irSchemaErrors(irDocument(a.policy))).toEqual([]);

  const c = await compile(source);
  expect(c.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  expect(c.artifacts.length).toBeGreaterThan(0);
  for (const art of c.artifacts) expect(art.content.endsWith('\n'), art.path).toBe(true);
}

/**
 * Any text: the front end, fmt and compile answer with diagnostics only. No exception; every diagnostic
 * inside the text with a known code; compile emits nothing when there is an error; fmt leaves a broken
 * file untouched, and on a good one is idempotent and keeps the meaning.
 */
export async function answersWithDiagnosticsOnly(text: string): Promise<void> {
  const source = new SourceFile('fuzz.policy', text);
  const a = analyze(source);
  expect(invariantViolations(source, a.diagnostics)).toEqual([]);
  const f = format(source);
  if (hasErrors(f.diagnostics)) expect(f.text).toBe(text);
  else expect(format(new SourceFile('fuzz.policy', f.text)).text).toBe(f.text);
  if (!hasErrors(a.diagnostics)) {
    // A mutant that is still a valid policy: formatting it must not change what it says.
    expect(comparableIr(analyze(new SourceFile('fuzz.policy', f.text)).policy)).toEqual(comparableIr(a.policy));
  }
  const c = await compile(source);
  expect(invariantViolations(source, c.diagnostics, { tableSeverity: false })).toEqual([]);
  if (hasErrors(a.diagnostics)) expect(c.artifacts).toEqual([]);
  else expect(c.artifacts.length > 0 || hasErrors(c.diagnostics)).toBe(true);
}
