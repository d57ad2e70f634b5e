/**
 * The SQLite writer thread (started by sqliteWriter.ts): owns the one connection that writes. Requests that
 * arrive while a commit is being made wait for the next one, and each commit takes all that are waiting, so
 * under load one fsync serves many activities, and the main thread never waits for the disk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './sqliteSchema.js';
import { commitTogether, SqliteWrites } from './sqliteWrites.js';
import type { WriterMessage, WriterReply, WriterStart, WriterWrite } from './sqliteWriter.js';

if (!parentPort) throw new Error('sqliteWriterThread runs as a worker thread (see sqliteWriter.ts)');
const port = parentPort;
const db = openDatabase((workerData as WriterStart).path);
const writes = new SqliteWrites(db);

let waiting: WriterWrite[] = [];

function commitWaiting(): void {
  const batch = waiting;
  waiting = [];
  const outcomes = commitTogether(
    db,
    writes,
    batch.map((entry) => entry.request),
  );
  port.postMessage(batch.map((entry, index): WriterReply => ({ id: entry.id, outcome: outcomes[index] ?? { ok: false, message: 'no outcome' } })));
}

port.on('message', (message: WriterMessage) => {
  if (message.kind === 'close') {
    if (waiting.length > 0) commitWaiting();
    db.close();
    port.close();
    return;
  }
  if (waiting.length === 0) setImmediate(commitWaiting);
  waiting.push(...message.writes);
});
