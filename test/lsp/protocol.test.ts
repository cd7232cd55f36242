// `tierwall lsp` driven as an editor drives it: the server bundled like the CLI, spawned, and spoken
// to over stdio with Content-Length framed JSON-RPC. Every wait is bounded (client.ts). Once the
// command is wired into src/cli/main.ts and dist/ is built, the session also runs on bin/tierwall.js.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { BIN, ROOT } from '../support/cli.js';
import { bundleServer } from './bundle-server.js';
import { LspClient } from './client.js';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface PublishedDiagnostic {
  range: Range;
  severity: number;
  code: string;
  source: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}
interface Published { uri: string; version?: number; diagnostics: PublishedDiagnostic[] }

const URI = 'file:///work/policies/lab.policy';

// Clean: subnets outside Docker's pools, no anomalies, nothing published on 0.0.0.0.
const CLEAN = [
  'policy lab;',
  'tier web 10.0.1.0/24;',
  'tier app 10.0.2.0/24 isolated;',
  'allow web -> app tcp/8080;',
  'default deny;',
  'service api {',
  '  image "node:20-alpine";',
  '  tiers app;',
  '}',
  '',
].join('\n');

// Two errors: a tier declared twice (with a related span) and a rule naming an unknown tier.
const BROKEN = CLEAN.replace('tier app 10.0.2.0/24 isolated;', 'tier app 10.0.2.0/24 isolated;\ntier web 10.0.3.0/24;')
  .replace('allow web -> app tcp/8080;', 'allow web -> apq tcp/8080;');

/** The 0-based position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function pos(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

const range = (text: string, needle: string, nth = 0): Range => ({ start: pos(text, needle, 0, nth), end: pos(text, needle, needle.length, nth) });

let server: { file: string; dispose: () => void };
const clients: LspClient[] = [];

beforeAll(async () => {
  server = await bundleServer();
}, 60_000);
afterAll(() => server?.dispose());
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
});

/** The arguments to node that start a server: the test bundle, or the real CLI as editors run it. */
type Launch = () => string[];
// The arguments vscode-languageclient adds: the server must still exit cleanly with them.
const clientArgs = ['--stdio', `--clientProcessId=${process.pid}`];
const bundled: Launch = () => [server.file, ...clientArgs];
const cli: Launch = () => [BIN, 'lsp', ...clientArgs];
const cliWired = buildProgram(() => {}).commands.some((c) => c.name() === 'lsp') && existsSync(`${ROOT}dist/tierwall.js`);

async function started(capabilities: object = {}, launch: Launch = bundled): Promise<{ client: LspClient; init: { capabilities: Record<string, unknown>; serverInfo: { name: string } } }> {
  const client = new LspClient(process.execPath, launch());
  clients.push(client);
  const init = await client.request<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities,
  }, 30_000); // a cold start on a loaded machine
  client.notify('initialized', {});
  return { client, init };
}

describe.each([
  { name: 'the bundled server', launch: bundled, skip: false },
  { name: 'bin/tierwall.js lsp --stdio', launch: cli, skip: !cliWired },
])('$name', ({ launch, skip }) => {
  test.skipIf(skip)('a session: diagnostics, fix, hover, definition, completion, shutdown and exit', async () => {
    const { client, init } = await started({}, launch);
    expect(init.serverInfo.name).toBe('tierwall');
    expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, completionProvider: {} });

    // didOpen a document with errors -> its diagnostics, with codes, ranges and related spans.
    const opened = client.nextNotification<Published>('textDocument/publishDiagnostics', (p) => p.uri === URI);
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'tierwall', version: 1, text: BROKEN } });
    const first = await opened;
    expect(first.version).toBe(1);
    expect(first.diagnostics.map((d) => d.code)).toEqual(['duplicate-tier', 'unknown-tier']);
    const [duplicate, unknown] = first.diagnostics as [PublishedDiagnostic, PublishedDiagnostic];
    expect(duplicate).toMatchObject({ severity: 1, source: 'tierwall', range: range(BROKEN, 'web', 1) });
    expect(duplicate.relatedInformation).toEqual([{ location: { uri: URI, range: range(BROKEN, 'web', 0) }, message: 'first declared here' }]);
    expect(unknown.range).toEqual(range(BROKEN, 'apq'));
    expect(unknown.message).toMatch(/^unknown tier 'apq'; did you mean 'app'\?/);

    // didChange fixing it -> empty diagnostics for the new version.
    const fixed = client.nextNotification<Published>('textDocument/publishDiagnostics', (p) => p.uri === URI && p.version === 2);
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: CLEAN }] });
    expect((await fixed).diagnostics).toEqual([]);

    // Hover on a tier name in a rule: its subnet, isolation and services.
    const hover = await client.request<{ contents: { kind: string; value: string }; range: Range }>('textDocument/hover', {
      textDocument: { uri: URI },
      position: pos(CLEAN, '-> app', 4),
    });
    expect(hover.contents.kind).toBe('markdown');
    expect(hover.contents.value).toContain('tier app 10.0.2.0/24');
    expect(hover.contents.value).toContain('| isolated | yes');
    expect(hover.contents.value).toContain('`api`');
    expect(hover.range).toEqual(range(CLEAN, 'app', 1));

    // Definition from the rule's tier name to the declaration's name.
    const definition = await client.request<{ uri: string; range: Range }[]>('textDocument/definition', {
      textDocument: { uri: URI },
      position: pos(CLEAN, 'allow web', 7),
    });
    expect(definition).toEqual([{ uri: URI, range: range(CLEAN, 'web') }]);

    // Completion after `allow ` lists the tiers (and `any`), in declaration order.
    const typing = `${CLEAN}allow `;
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: pos(CLEAN, '', CLEAN.length), end: pos(CLEAN, '', CLEAN.length) }, text: 'allow ' }],
    });
    const completion = await client.request<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', {
      textDocument: { uri: URI },
      position: pos(typing, 'allow ', 6, 1),
    });
    const items = Array.isArray(completion) ? completion : completion.items;
    expect(items.map((i) => i.label)).toEqual(['web', 'app', 'any', 'world']);

    // shutdown, then exit -> the process ends with 0.
    expect(await client.request('shutdown', null)).toBeNull();
    client.notify('exit', null);
    expect(await client.exited()).toBe(0);
    expect(client.error).toBeUndefined();
  });
});

describe('tierwall lsp over stdio', () => {
  test('definition answers with a LocationLink when the client supports links', async () => {
    const { client } = await started({ textDocument: { definition: { linkSupport: true } } });
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'tierwall', version: 1, text: CLEAN } });
    const links = await client.request<unknown[]>('textDocument/definition', { textDocument: { uri: URI }, position: pos(CLEAN, 'tiers app', 7) });
    expect(links).toEqual([{
      originSelectionRange: range(CLEAN, 'app', 2),
      targetUri: URI,
      targetRange: range(CLEAN, 'tier app 10.0.2.0/24 isolated;'),
      targetSelectionRange: range(CLEAN, 'app'),
    }]);
    await client.request('shutdown', null);
    client.notify('exit', null);
    expect(await client.exited()).toBe(0);
  });

  test('closing a document clears its diagnostics', async () => {
    const { client } = await started();
    const opened = client.nextNotification<Published>('textDocument/publishDiagnostics', (p) => p.uri === URI);
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'tierwall', version: 1, text: BROKEN } });
    expect((await opened).diagnostics).toHaveLength(2);
    const cleared = client.nextNotification<Published>('textDocument/publishDiagnostics', (p) => p.uri === URI);
    client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    expect((await cleared).diagnostics).toEqual([]);
    client.child.stdin.end();
    expect(await client.exited()).toBe(1); // the pipe closed without shutdown
  });

  test('exit without shutdown ends with 1', async () => {
    const { client } = await started();
    client.notify('exit', null);
    expect(await client.exited()).toBe(1);
  });
});
