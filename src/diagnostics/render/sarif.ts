// diagnostics/render: SARIF 2.1.0 for GitHub code scanning. Diagnostics + sources -> one run whose rules
// are the codes used. Spanless diagnostics become tool notifications: GitHub rejects a whole upload
// when any result lacks a location.
import type { SourceFile, Span } from '../../source/source-file.js';
import { CODES, type Code, type Severity } from '../codes.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostic.js';
import { locate } from './locate.js';

export interface SarifOptions {
  /** tierwall's version, for tool.driver.version. */
  readonly toolVersion?: string;
  readonly informationUri?: string;
}

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

/** A path as given, as a SARIF URI reference: forward slashes, each segment percent-encoded. */
export function artifactUri(path: string): string {
  let p = path.replace(/\\/g, '/').replace(/\p{Cs}/gu, '\ufffd');
  while (p.startsWith('./')) p = p.slice(2);
  const encode = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(p)) return `file:///${p.slice(0, 2)}${encode(p.slice(2))}`;
  return p.startsWith('/') ? `file://${encode(p)}` : encode(p);
}

function physicalLocation(span: Span, sources: ReadonlyMap<string, SourceFile>) {
  const at = locate(span, sources);
  const artifactLocation = { uri: artifactUri(at.file) };
  if (!at.start || !at.end) return { artifactLocation };
  const region = { startLine: at.start.line, startColumn: at.start.col, endLine: at.end.line, endColumn: at.end.col };
  return { artifactLocation, region };
}

/** Hints have no SARIF field; they follow the message so code scanning shows them. */
function messageText(d: Diagnostic): string {
  return [d.message, ...d.hints.map((h) => `hint: ${h}`)].join('\n');
}

/** Descriptors for the codes used, in code-table order; `index` maps a code to its position. */
function descriptors(used: readonly Diagnostic[]) {
  const ids = (Object.keys(CODES) as Code[]).filter((c) => used.some((d) => d.code === c));
  const list = ids.map((id) => ({
    id,
    shortDescription: { text: CODES[id].doc },
    defaultConfiguration: { level: LEVEL[CODES[id].severity] },
  }));
  return { list, index: (c: Code) => ids.indexOf(c) };
}

export function sarifLog(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: SarifOptions = {},
) {
  const sorted = sortDiagnostics(diagnostics);
  const located = sorted.filter((d) => d.span !== undefined);
  const unlocated = sorted.filter((d) => d.span === undefined);
  const rules = descriptors(located);
  const notes = descriptors(unlocated);
  const results = located.map((d) => ({
    ruleId: d.code,
    ruleIndex: rules.index(d.code),
    level: LEVEL[d.severity],
    message: { text: messageText(d) },
    locations: [{ physicalLocation: physicalLocation(d.span!, sources) }],
    ...(d.related.length === 0 ? {} : {
      relatedLocations: d.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: physicalLocation(r.span, sources),
        message: { text: r.message },
      })),
    }),
  }));
  const invocations = unlocated.length === 0 ? {} : {
    invocations: [{
      executionSuccessful: !unlocated.some((d) => d.severity === 'error'),
      toolExecutionNotifications: unlocated.map((d) => ({
        descriptor: { id: d.code, index: notes.index(d.code) },
        level: LEVEL[d.severity],
        message: { text: messageText(d) },
      })),
    }],
  };
  const driver = {
    name: 'tierwall',
    ...(options.toolVersion === undefined ? {} : { version: options.toolVersion }),
    ...(options.informationUri === undefined ? {} : { informationUri: options.informationUri }),
    rules: rules.list,
    ...(notes.list.length === 0 ? {} : { notifications: notes.list }),
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver }, ...invocations, columnKind: 'utf16CodeUnits', results }],
  };
}

export function renderSarif(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: SarifOptions = {},
): string {
  return `${JSON.stringify(sarifLog(diagnostics, sources, options), null, 2)}\n`;
}
