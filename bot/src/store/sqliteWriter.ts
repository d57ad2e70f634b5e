/**
 * The main thread's side of the SQLite writer thread (sqliteWriterThread.ts): each write is a message there,
 * and its promise settles once the writer's commit is on disk (better-sqlite3 is synchronous, so an fsync
 * made on the main thread would stop every other request while it lasts).
 */
import { Worker } from 'node:worker_threads';
import type { WriteOperation, WriteOperations, WriteOutcome, WriteRequest } from './sqliteWrites.js';

export interface WriterStart {
  path: string;
}
export interface WriterWrite {
  id: number;
  request: WriteRequest;
}
export type WriterMessage = { kind: 'writes'; writes: WriterWrite[] } | { kind: 'close' };
export interface WriterReply {
  id: number;
  outcome: WriteOutcome;
}

/** An error SQLite reported in the writer thread, with its code (e.g. SQLITE_BUSY). */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SqliteWriteError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class SqliteWriter {
  private readonly thread: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Writes asked for in this turn of the event loop: posted together at its end, one message instead of many. */
  private outbox: WriterWrite[] = [];
  private stopped: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(path: string) {
    this.thread = startWriterThread({ path });
    this.thread.on('message', (replies: WriterReply[]) => {
      for (const reply of replies) this.settle(reply);
    });
    this.thread.on('error', (error) => this.stop(new Error(`the SQLite writer thread failed: ${error.message}`)));
    this.exited = new Promise((resolve) => {
      this.thread.once('exit', (code) => {
        this.stop(new Error(`the SQLite writer thread stopped (exit code ${code})`));
        resolve();
      });
    });
    // Only waiting writes keep the process alive, as a synchronous store would.
    this.thread.unref();
  }

  /** Why writing is impossible now (the thread failed or was closed), or undefined while it works. */
  get problem(): string | undefined {
    return this.stopped?.message;
  }

  write<K extends WriteOperation>(operation: K, ...args: Parameters<WriteOperations[K]>): Promise<ReturnType<WriteOperations[K]>> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.thread.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.outbox.push({ id, request: { operation, args } as WriteRequest });
      if (this.outbox.length === 1) setImmediate(() => this.post());
    });
  }

  private post(): void {
    // Already posted by close() when it runs before this turn's end.
    if (this.outbox.length === 0) return;
    const writes = this.outbox;
    this.outbox = [];
    this.thread.postMessage({ kind: 'writes', writes } satisfies WriterMessage);
  }

  /** Lets the writes already sent finish, then stops the thread (which closes its connection). */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.stopped = new Error('the SQLite store is closed');
      if (this.outbox.length > 0) this.post();
      this.thread.postMessage({ kind: 'close' } satisfies WriterMessage);
    }
    this.thread.ref();
    await this.exited;
  }

  private settle(reply: WriterReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.thread.unref();
    if (reply.outcome.ok) waiting.resolve(reply.outcome.value);
    else waiting.reject(new SqliteWriteError(reply.outcome.message, reply.outcome.code));
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const waiting of this.pending.values()) waiting.reject(this.stopped);
    this.pending.clear();
  }
}

/**
 * The thread runs the compiled sqliteWriterThread.js beside this file. From the TypeScript source (tests,
 * benchmarks, the demo, all under tsx) a worker does not inherit tsx's loader (privatenumber/tsx#354), so
 * the thread registers it before loading the .ts file.
 */
function startWriterThread(start: WriterStart): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./sqliteWriterThread.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: start });
  const bootstrap = `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry.href)}))`;
  return new Worker(bootstrap, { eval: true, workerData: start });
}
