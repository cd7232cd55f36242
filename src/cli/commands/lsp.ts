// cli: `tierwall lsp`: the language server on stdin/stdout (src/lsp/). Resolves with the exit code
// once the client sends `exit` (0 after `shutdown`, else 1), closes stdin, or its process is gone.
import { format } from 'node:util';
import { startServer } from '../../lsp/server.js';

export async function runLsp(): Promise<number> {
  // stdout carries the protocol: a stray console.log would corrupt it, so console goes to stderr.
  const toStderr = (...args: unknown[]): void => void process.stderr.write(`${format(...args)}\n`);
  console.log = console.info = console.warn = console.error = console.debug = toStderr;
  const server = startServer(process.stdin, process.stdout);
  const code = await server.exited;
  // A client may keep the pipe open after `exit`; an open stdin would keep the process alive.
  process.stdin.destroy();
  return code;
}
