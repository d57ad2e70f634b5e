import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { at, joined, MEETING_ID, person, TENANT_ID } from '../support/attendanceEvents.js';
import { describeStoreContract } from './storeContract.js';

describeStoreContract('SQLite', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'attendance-sqlite-'));
  const path = join(folder, 'nested', 'attendance.db');
  return {
    open: async (clock) => new SqliteStore(path, clock),
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
});

describe('SQLite store: what is particular to it', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'attendance-sqlite-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('dates the meetings of a database from before retention by their last event or record, when it migrates', async () => {
    const path = join(folder, 'attendance.db');
    const clock = { now: new Date('2025-11-26T09:00:00.000Z') };
    let store = new SqliteStore(path, () => clock.now);
    await store.appendEvents([joined(person('ana'), at('09:00:00.000'))]);
    clock.now = new Date('2025-11-26T09:30:00.000Z');
    await store.appendEvents([joined(person('bob'), at('09:00:00.000'), { meetingId: 'events-only' })]);
    clock.now = new Date('2025-11-26T10:00:00.000Z');
    await store.saveMeeting({ tenantId: TENANT_ID, meetingId: MEETING_ID, title: 'Physics 101' });
    await store.close();

    // Back to the schema before retention: no activity table.
    const db = new Database(path);
    db.exec('DROP TABLE meeting_activity');
    db.pragma('user_version = 3');
    db.close();

    store = new SqliteStore(path);
    const idle = async (cutoff: string) => (await store.listMeetingsIdleSince(new Date(cutoff), 10)).map((meeting) => meeting.meetingId).sort();
    assert.deepEqual(await idle('2025-11-26T09:30:00.000Z'), []);
    assert.deepEqual(await idle('2025-11-26T09:30:00.001Z'), ['events-only'], 'the other one was last saved at 10:00');
    assert.deepEqual(await idle('2025-11-26T10:00:00.001Z'), ['events-only', MEETING_ID].sort());
    await store.close();
  });
});
