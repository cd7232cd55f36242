// SARIF renderer: valid against the SARIF 2.1.0 schema (from @microsoft/jest-sarif), and shaped for
// GitHub code scanning: rules per used code, levels, URIs, exclusive end columns, related locations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SourceFile } from '../../src/source/source-file.js';
import { diag } from '../../src/diagnostics/diagnostic.js';
import { CODES } from '../../src/diagnostics/codes.js';
import { artifactUri, renderSarif } from '../../src/diagnostics/render/sarif.js';
import { at, overlap, sourceMap, spanOf, X } from './fixtures.js';

// The schema is draft-04 (`id`); ajv 8 reads it as draft-07, which differs only in that keyword here.
// One of its patterns is not valid with the u flag (a stray ']'), hence unicodeRegExp: false.
const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormatsModule.default(ajv);
const validate = ajv.compile({ ...schema, $id: id });

type Json = any;
function sarif(...args: Parameters<typeof renderSarif>): Json {
  const text = renderSarif(...args);
  expect(text.endsWith('}\n')).toBe(true);
  const log = JSON.parse(text);
  expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  return log;
}

const noSpan = diag('io-error', { path: 'p.policy', reason: 'ENOENT' }, undefined);
const warn = diag('docker-pool-overlap', { subnet: '172.17.0.0/16', pool: '172.17.0.0/16' }, spanOf(X, 'tier a'));

describe('sarif', () => {
  it('is a valid SARIF 2.1.0 log for every kind of diagnostic, and when empty', () => {
    sarif([overlap(), warn, noSpan, at(X.span(0, 0), 'info'), at({ file: 'gone.policy', start: 0, end: 1 })], sourceMap(X), {
      toolVersion: '0.1.0',
      informationUri: 'https://example.invalid/tierwall',
    });
    const empty = sarif([], new Map());
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver).toEqual({ name: 'tierwall', rules: [] });
  });

  it('has one run with the driver and one rule per code used, in code-table order', () => {
    const log = sarif([overlap(), warn, overlap()], sourceMap(X), { toolVersion: '1.2.3', informationUri: 'https://example.invalid/t' });
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0].tool;
    expect(driver.name).toBe('tierwall');
    expect(driver.version).toBe('1.2.3');
    expect(driver.informationUri).toBe('https://example.invalid/t');
    expect(driver.rules).toEqual([
      { id: 'cidr-overlap', shortDescription: { text: CODES['cidr-overlap'].doc }, defaultConfiguration: { level: 'error' } },
      { id: 'docker-pool-overlap', shortDescription: { text: CODES['docker-pool-overlap'].doc }, defaultConfiguration: { level: 'warning' } },
    ]);
    for (const r of log.runs[0].results) expect(driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('maps severities to levels (info -> note), keeping overrides per result', () => {
    const log = sarif([at(X.span(0, 1), 'info'), at(X.span(1, 2), 'warning'), at(X.span(2, 3))], sourceMap(X));
    expect(log.runs[0].results.map((r: Json) => r.level)).toEqual(['note', 'warning', 'error']);
    expect(log.runs[0].tool.driver.rules[0].defaultConfiguration.level).toBe('error');
  });

  it('locates results with 1-based columns, exclusive end columns and related locations', () => {
    const [r] = sarif([overlap()], sourceMap(X)).runs[0].results;
    expect(r.message.text).toBe("subnet 10.0.0.0/16 of tier 'b' overlaps 10.0.1.0/24 of tier 'a'\nhint: give tier 'b' a subnet disjoint from 10.0.1.0/24");
    expect(r.locations).toEqual([{
      physicalLocation: {
        artifactLocation: { uri: 'policies/x.policy' },
        region: { startLine: 4, startColumn: 8, endLine: 4, endColumn: 19 },
      },
    }]);
    expect(r.relatedLocations).toEqual([{
      id: 1,
      physicalLocation: {
        artifactLocation: { uri: 'policies/x.policy' },
        region: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 19 },
      },
      message: { text: 'first declared here' },
    }]);
  });

  it('declares UTF-16 columns and keeps an empty span as an insertion point', () => {
    const f = new SourceFile('u.policy', 'a 😀 b');
    const run = sarif([at(spanOf(f, 'b')), at(f.span(6, 6))], sourceMap(f)).runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.results[0].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 6, endLine: 1, endColumn: 7 });
    expect(run.results[1].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 7, endLine: 1, endColumn: 7 });
  });

  it('gives every result a location with a URI (GitHub rejects the whole upload otherwise)', () => {
    const log = sarif([overlap(), noSpan, at({ file: 'gone.policy', start: 0, end: 1 })], sourceMap(X));
    const { results, invocations, tool } = log.runs[0];
    expect(results).toHaveLength(2);
    for (const r of results) expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/\.policy$/);
    expect(results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'gone.policy' } });
    // The spanless io-error is a tool execution notification instead.
    expect(invocations).toEqual([{
      executionSuccessful: false,
      toolExecutionNotifications: [{ descriptor: { id: 'io-error', index: 0 }, level: 'error', message: { text: 'p.policy: ENOENT' } }],
    }]);
    expect(tool.driver.notifications.map((n: Json) => n.id)).toEqual(['io-error']);
    expect(tool.driver.rules.map((n: Json) => n.id)).toEqual(['syntax-error', 'cidr-overlap']);
  });

  it('writes artifact URIs with forward slashes, percent-encoded segments', () => {
    expect(artifactUri('policies\\x.policy')).toBe('policies/x.policy');
    expect(artifactUri('./policies/my policy#1.policy')).toBe('policies/my%20policy%231.policy');
    expect(artifactUri('a:b/c.policy')).toBe('a%3Ab/c.policy'); // not a URI scheme
    expect(artifactUri('/srv/p.policy')).toBe('file:///srv/p.policy');
    expect(artifactUri('C:\\work\\p.policy')).toBe('file:///C:/work/p.policy');
    expect(artifactUri('tiers/ünï.policy')).toBe('tiers/%C3%BCn%C3%AF.policy');
  });

  it('checks against a schema that does reject malformed logs', () => {
    const log = JSON.parse(renderSarif([overlap()], sourceMap(X)));
    expect(validate(log)).toBe(true);
    log.runs[0].results[0].level = 'info';
    expect(validate(log)).toBe(false);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('is deterministic', () => {
    const ds = [warn, overlap(), noSpan];
    expect(renderSarif([...ds].reverse(), sourceMap(X))).toBe(renderSarif(ds, sourceMap(X)));
  });
});
