// test support: a minimal LSP client over a child process's stdio: Content-Length framing,
// requests with ids, notifications, and a bounded wait for every answer. It parses strictly, so
// anything else the server prints on stdout fails the test.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Message {
  readonly jsonrpc: '2.0';
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { code: number; message: string };
}

interface Waiter {
  readonly match: (m: Message) => boolean;
  readonly resolve: (m: Message) => void;
}

/** Every wait is bounded: a server that hangs fails the test instead of stalling the run. */
export const WAIT_MS = 10_000;

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every message received, in order (notifications included). */
  readonly received: Message[] = [];
  stderr = '';
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private waiters: Waiter[] = [];
  private protocolError: Error | undefined;
  private readonly exit: Promise<number | null>;

  constructor(command: string, args: readonly string[]) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exit = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /^Content-Length: (\d+)$/im.exec(header);
      if (!length || !/^(?:[A-Za-z-]+: [^\r\n]*\r\n)*[A-Za-z-]+: [^\r\n]*$/.test(header)) {
        this.protocolError = new Error(`not an LSP header on stdout: ${JSON.stringify(header.slice(0, 200))}`);
        return;
      }
      const bodyStart = headerEnd + 4;
      const bodyEnd = bodyStart + Number(length[1]);
      if (this.buffer.length < bodyEnd) return;
      const message = JSON.parse(this.buffer.subarray(bodyStart, bodyEnd).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(bodyEnd);
      this.received.push(message);
      for (const w of this.waiters.filter((w) => w.match(message))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** The first message (already received or still to come) that matches, within `ms`. */
  waitFor(what: string, match: (m: Message) => boolean, ms = WAIT_MS, from = 0): Promise<Message> {
    if (this.protocolError) return Promise.reject(this.protocolError);
    const seen = this.received.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}${this.protocolError ? ` (${this.protocolError.message})` : ''}; stderr: ${this.stderr}`));
      }, ms);
      const waiter: Waiter = { match, resolve: (m) => (clearTimeout(timer), resolve(m)) };
      this.waiters.push(waiter);
    });
  }

  async request<T = unknown>(method: string, params: unknown, ms = WAIT_MS): Promise<T> {
    const id = this.nextId++;
    this.send({ id, method, params });
    const response = await this.waitFor(`the response to ${method}`, (m) => m.id === id && m.method === undefined, ms);
    if (response.error) throw new Error(`${method} failed: ${response.error.message}`);
    return response.result as T;
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The next notification of `method` received after this call whose params match. */
  nextNotification<P>(method: string, match: (params: P) => boolean = () => true, ms = WAIT_MS): Promise<P> {
    const from = this.received.length;
    return this.waitFor(`notification ${method}`, (m) => m.method === method && match(m.params as P), ms, from).then((m) => m.params as P);
  }

  /** The exit code, or a rejection if the process is still running after `ms`. */
  exited(ms = WAIT_MS): Promise<number | null> {
    return Promise.race([
      this.exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`server still running after ${ms} ms; stderr: ${this.stderr}`)), ms).unref()),
    ]);
  }

  /** Ends the process if a test left it running (by its own pid only). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  get error(): Error | undefined {
    return this.protocolError;
  }
}
