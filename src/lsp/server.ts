// lsp: the language server's wiring: one JSON-RPC connection over two streams, the open documents,
// and the request handlers. Input: a readable and a writable stream (stdio for `tierwall lsp`).
// Output: diagnostics, hovers, definitions and completions; `exited` settles with the exit code.
import {
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type WatchDog,
} from 'vscode-languageserver';
// Not 'vscode-languageserver/node': loading it starts an interval timer (when --clientProcessId is
// passed) that keeps the process alive after `exit`. The protocol's node entry has no side effects.
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../cli/version.js';
import { internalError } from '../pipeline.js';
import { AnalysisCache } from './documents.js';
import { toLspDiagnostic, toLspDiagnostics } from './diagnostics.js';
import { hover } from './hover.js';
import { definition } from './definition.js';
import { complete } from './completion.js';

export interface ServerOptions {
  /** How long a document must stay unchanged before it is re-analysed (typing bursts). */
  readonly debounceMs?: number;
}

export interface RunningServer {
  /** 0 after `shutdown` then `exit`; 1 when the client exits or disappears without `shutdown`. */
  readonly exited: Promise<number>;
}

/** How often to check that the client process named in `initialize` is still alive. */
const PARENT_POLL_MS = 3000;

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions = {}): RunningServer {
  const debounceMs = options.debounceMs ?? 50;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let shutdownReceived = false;
  let finished = false;
  let parentPoll: NodeJS.Timeout | undefined;
  const pending = new Map<string, NodeJS.Timeout>();

  // vscode-languageserver's own node watchdog calls process.exit(); this one settles `exited`
  // instead, so the CLI decides how the process ends (and tests can run servers in-process).
  const watchDog: WatchDog = {
    get shutdownReceived() {
      return shutdownReceived;
    },
    set shutdownReceived(value: boolean) {
      shutdownReceived = value;
    },
    initialize(params) {
      const pid = params.processId;
      if (typeof pid !== 'number' || parentPoll) return;
      parentPoll = setInterval(() => {
        if (!processAlive(pid)) finish(shutdownReceived ? 0 : 1);
      }, PARENT_POLL_MS);
      parentPoll.unref();
    },
    exit: (code) => finish(code),
  };
  const connection = createConnection(
    (logger) => createProtocolConnection(new StreamMessageReader(input), new StreamMessageWriter(output), logger),
    watchDog,
  );

  function finish(code: number): void {
    if (finished) return;
    finished = true;
    clearInterval(parentPoll);
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
    connection.dispose();
    resolveExit(code);
  }
  input.on('end', () => finish(shutdownReceived ? 0 : 1));
  input.on('close', () => finish(shutdownReceived ? 0 : 1));

  const documents = new TextDocuments(TextDocument);
  const cache = new AnalysisCache();
  let linkSupport = false;

  function publish(uri: string): void {
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc || finished) return;
    let diagnostics: LspDiagnostic[];
    try {
      diagnostics = toLspDiagnostics(cache.get(doc));
    } catch (e) {
      // A bug in the compiler: say so in the editor rather than going silent.
      diagnostics = [toLspDiagnostic(doc, internalError(e))];
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  function schedule(uri: string): void {
    clearTimeout(pending.get(uri));
    if (debounceMs <= 0) return publish(uri);
    pending.set(uri, setTimeout(() => publish(uri), debounceMs));
  }

  connection.onInitialize((params): InitializeResult => {
    linkSupport = params.capabilities.textDocument?.definition?.linkSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ['>', ','] },
      },
      serverInfo: { name: 'tierwall', version: VERSION },
    };
  });

  // Fires on open too.
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    cache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? hover(cache.get(doc), doc.offsetAt(position)) : null;
  });
  connection.onDefinition(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? definition(cache.get(doc), doc.offsetAt(position), linkSupport) : null;
  });
  connection.onCompletion(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? complete(doc, doc.offsetAt(position)) : [];
  });

  documents.listen(connection);
  connection.listen();
  return { exited };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
