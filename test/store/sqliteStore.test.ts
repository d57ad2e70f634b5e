import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AttendanceEvent } from '../../bot/src/attendance/events.js';
import { openDatabase, PAGE_CACHE_KIB } from '../../bot/src/store/sqliteSchema.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { commitTogether, SqliteWrites } from '../../bot/src/store/sqliteWrites.js';
import { ana, at, bob, joined, MEETING_ID, person, TENANT_ID } from '../support/attendanceEvents.js';
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

  it("keeps each connection's page cache at SQLite's 2 MB, not better-sqlite3's built-in 16 MB", () => {
    const db = openDatabase(join(folder, 'attendance.db'));
    try {
      assert.equal(PAGE_CACHE_KIB, 2000);
      assert.equal(db.pragma('cache_size', { simple: true }), -PAGE_CACHE_KIB);
      const unset = new Database(':memory:');
      assert.equal(unset.pragma('cache_size', { simple: true }), -16000, "better-sqlite3's default changed: is the setting still needed?");
      unset.close();
    } finally {
      db.close();
    }
  });

  it('dates the meetings of a database from before retention by their last event or record, when it migrates', async () => {
    const path = join(folder, 'attendance.db');
    const clock = { now: new Date('2025-11-26T09:00:00.000Z') };
    let store = new SqliteStore(path, () => clock.now);
    await store.appendEvents([joined(person('ana'), at('09:00:00.000'))]);
    clock.now = new Date('2025-11-26T09:30:00.000Z');
    await store.appendEvents([joined(person('bob'), at('09:00:00.000'), { meetingId: 'events-only' })]);
    clock.now = new Date('2025-11-26T10:00:00.000Z');
    await store.saveMeeting({
      tenantId: TENANT_ID,
      meetingId: MEETING_ID,
      title: 'Physics 101',
      chatId: '19:meeting_old@thread.v2',
      trackingSince: '2025-11-26T09:00:00.000Z',
    });
    await store.close();

    // Back to the schema before retention: no activity table (nor the later LMS indexes, webhook and register tables).
    const db = new Database(path);
    db.exec(`DROP TABLE meeting_activity; DROP TABLE meeting_aliases; DROP TABLE people;
      DROP INDEX meetings_by_time; DROP INDEX meetings_by_organizer;
      ALTER TABLE meetings DROP COLUMN listed_at; ALTER TABLE meetings DROP COLUMN organizer_id;
      DROP TABLE webhook_deliveries; DROP TABLE disabled_webhook_endpoints;
      DROP TABLE roster_facts; DROP TABLE meeting_rules; DROP TABLE corrections; DROP TABLE chat_meetings;`);
    db.pragma('user_version = 3');
    db.close();

    store = new SqliteStore(path);
    const idle = async (cutoff: string) => (await store.listMeetingsIdleSince(new Date(cutoff), 10)).map((meeting) => meeting.meetingId).sort();
    assert.deepEqual(await idle('2025-11-26T09:30:00.000Z'), []);
    assert.deepEqual(await idle('2025-11-26T09:30:00.001Z'), ['events-only'], 'the other one was last saved at 10:00');
    assert.deepEqual(await idle('2025-11-26T10:00:00.001Z'), ['events-only', MEETING_ID].sort());
    // The LMS indexes are filled from the records already there: the chat thread, and the listing by time.
    assert.deepEqual(await store.findMeetingByAlias(TENANT_ID, { kind: 'thread', value: '19:meeting_old@thread.v2' }), {
      tenantId: TENANT_ID,
      meetingId: MEETING_ID,
    });
    assert.deepEqual((await store.listMeetings({ tenantId: TENANT_ID, limit: 10 })).meetings.map((meeting) => meeting.meetingId), [MEETING_ID]);
    await store.close();
  });

  it("lists the chat of every meeting recorded before the register, when it migrates", async () => {
    const path = join(folder, 'attendance.db');
    let store = new SqliteStore(path);
    await store.saveMeeting({ tenantId: TENANT_ID, meetingId: MEETING_ID, chatId: '19:class@thread.v2' });
    await store.saveMeeting({ tenantId: TENANT_ID, meetingId: 'no-chat' });
    await store.close();
    const db = new Database(path);
    // Back to the schema before the register's step (the one before the people's dates, the last).
    const steps = db.pragma('user_version', { simple: true }) as number;
    db.exec(`DROP INDEX people_by_last_seen; ALTER TABLE people DROP COLUMN last_seen_at;
      DROP TABLE roster_facts; DROP TABLE meeting_rules; DROP TABLE corrections; DROP TABLE chat_meetings`);
    db.pragma(`user_version = ${steps - 2}`);
    db.close();
    store = new SqliteStore(path);
    assert.deepEqual(await store.listChatMeetings(TENANT_ID, '19:class@thread.v2'), [{ tenantId: TENANT_ID, meetingId: MEETING_ID }]);
    await store.close();
  });

  it('dates the people stored before their dates existed as seen at the migration, so retention deletes them a period later', async () => {
    const path = join(folder, 'attendance.db');
    let store = new SqliteStore(path, () => new Date('2025-11-26T09:00:00.000Z'));
    await store.savePeople([{ tenantId: TENANT_ID, id: 'ana-id', displayName: 'Ana Teacher', userPrincipalName: 'ana@contoso.test' }]);
    await store.close();
    const db = new Database(path);
    // Back to the schema before the people's dates, the last step.
    const steps = db.pragma('user_version', { simple: true }) as number;
    db.exec('DROP INDEX people_by_last_seen; ALTER TABLE people DROP COLUMN last_seen_at');
    db.pragma(`user_version = ${steps - 1}`);
    db.close();

    const before = Date.now();
    store = new SqliteStore(path);
    const after = Date.now();
    const ana = await store.findPerson(TENANT_ID, 'ANA@contoso.test');
    assert.equal(ana?.displayName, 'Ana Teacher');
    const seen = Date.parse(ana?.lastSeenAt ?? '');
    assert.ok(seen >= before - 1000 && seen <= after + 1000, `seen at the migration, not ${ana?.lastSeenAt}`);
    assert.equal(await store.deletePeopleSeenBefore(new Date(before - 60_000), 10), 0, 'not older than the migration');
    assert.equal(await store.deletePeopleSeenBefore(new Date(after + 60_000), 10), 2, 'her id and her UPN');
    assert.equal(await store.findPerson(TENANT_ID, 'ana-id'), undefined);
    await store.close();
  });

  it('commits together the writes asked for at once, each all or nothing: a failed one leaves no row, the others are kept', async () => {
    const path = join(folder, 'attendance.db');
    const db = openDatabase(path);
    const writes = new SqliteWrites(db);
    const meeting = { tenantId: TENANT_ID, meetingId: MEETING_ID };
    const mark = (value: string) => ({ writerId: 'this-test', mark: value });
    // JSON cannot hold a BigInt: the second event of this write fails after its first is inserted.
    const failsHalfway = [joined(person('carol'), at('09:02:00.000')), { ...joined(person('dan'), at('09:02:00.000')), size: 1n }];
    const outcomes = commitTogether(db, writes, [
      { operation: 'appendEvents', args: [[joined(ana, at('09:00:00.000'))], at('09:00:00.100'), mark('1')] },
      { operation: 'appendEvents', args: [failsHalfway as unknown as AttendanceEvent[], at('09:02:00.100'), mark('2')] },
      { operation: 'scheduleWork', args: [{ ...meeting, kind: 'reconcile', dueAt: 'not a date', attempts: 0, firstScheduledAt: at('09:00:00.000') }] },
      { operation: 'appendEvents', args: [[joined(bob, at('09:01:00.000'))], at('09:01:00.100'), mark('3')] },
    ]);
    db.close();

    assert.deepEqual(
      outcomes.map((outcome) => outcome.ok),
      [true, false, false, true],
    );
    assert.deepEqual(outcomes[0], { ok: true, value: 1 });
    assert.match(outcomes[1]?.ok === false ? outcomes[1].message : '', /BigInt/);
    const store = new SqliteStore(path);
    try {
      const stored = (await store.readEvents(meeting)).map((event) => (event.kind === 'participantJoined' ? event.participant.key : event.kind));
      assert.deepEqual(stored.sort(), [ana.key, bob.key].sort(), "nothing of the failed write, all of the others'");
      assert.deepEqual(await store.listDueWork('reconcile', new Date('2030-01-01T00:00:00.000Z'), 10), []);
    } finally {
      await store.close();
    }
  });

  it('answers writes made together with the result of each, commits what was asked before close, and refuses writes after', async () => {
    const store = new SqliteStore(join(folder, 'attendance.db'));
    const meeting = { tenantId: TENANT_ID, meetingId: MEETING_ID };
    const results = await Promise.all([
      store.appendEvents([joined(ana, at('09:00:00.000'))]),
      store.appendEvents([joined(ana, at('09:00:00.000'))]),
      store.claimOnce(meeting, 'notice'),
      store.claimOnce(meeting, 'notice'),
      store.saveMeeting({ ...meeting, title: 'Physics 101' }),
    ]);
    assert.deepEqual(results.slice(0, 4), [{ added: 1 }, { added: 0 }, true, false]);
    assert.equal((await store.getMeeting(meeting))?.title, 'Physics 101');
    // Asked for just before closing: close() commits it before it stops the writer thread.
    const lastWrite = store.appendEvents([joined(bob, at('09:01:00.000'))]);
    await store.close();
    assert.deepEqual(await lastWrite, { added: 1 });
    await assert.rejects(store.appendEvents([joined(bob, at('09:02:00.000'))]), /the SQLite store is closed/);
    const reopened = new SqliteStore(join(folder, 'attendance.db'));
    assert.equal((await reopened.readEvents(meeting)).length, 2);
    await reopened.close();
  });
});
