/**
 * The store with meetings held in memory (meetings/materialisedStore.ts), on real SQLite files: what it serves
 * is always the replay of what the store holds, whether this instance wrote (concurrently with reads) or another
 * writer did (a second store on the same file standing in for another instance), and it holds no more than its
 * limits allow.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { AttendanceEvent } from '../../bot/src/attendance/events.js';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import type { HoldingLimits } from '../../bot/src/meetings/holdingLimits.js';
import { MaterialisedStore } from '../../bot/src/meetings/materialisedStore.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { ana, at, bob, joined, left, MEETING_ID, meetingEnded, meetingStarted, TENANT_ID } from '../support/attendanceEvents.js';
import { deliveryArb } from '../support/ledgerFacts.js';

const KEY = { tenantId: TENANT_ID, meetingId: MEETING_ID };
const WIDE: HoldingLimits = { maxMeetings: 100, maxEvents: 10_000, endedIdleMs: 60_000, liveIdleMs: 60_000 };

describe('the store with meetings held in memory (MaterialisedStore) on SQLite', function () {
  this.timeout(120_000);
  let folder: string;
  const opened: { close(): Promise<void> }[] = [];
  const open = <T extends { close(): Promise<void> }>(store: T): T => {
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'attendance-materialised-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the replay of what the store holds after every step, whoever wrote, with reads racing its own writes (fast-check)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(deliveryArb, fc.array(fc.constantFrom('ours', 'ours', 'another instance'), { minLength: 40, maxLength: 40 }), async (batches, writers) => {
        const path = join(folder, `run-${(run += 1)}.db`);
        const ours = new MaterialisedStore(new SqliteStore(path), () => new Date(), WIDE);
        const other = new SqliteStore(path);
        try {
          await ours.appendEvents([meetingStarted(at('08:59:00.000'))]);
          for (const [index, batch] of batches.entries()) {
            const writer = writers[index % writers.length] === 'ours' ? ours : other;
            // A read racing the write: it may see the meeting before or after it, never something else.
            const [, racing] = await Promise.all([writer.appendEvents(batch), ours.attendance(KEY)]);
            const stored = await other.readEvents(KEY);
            const after = await ours.attendance(KEY);
            assert.deepEqual(after.sessions, buildSessions(stored));
            assert.ok(racing.ledger.size <= stored.length);
          }
        } finally {
          await ours.close();
          await other.close();
        }
      }),
      { numRuns: 10 },
    );
  });

  it('adds its own events without reading the store again, and reads again when another instance wrote', async () => {
    const path = join(folder, 'attendance.db');
    const inner = open(new SqliteStore(path));
    let eventReads = 0;
    const counting = new Proxy(inner, {
      get: (target, property, receiver) => {
        if (property === 'readEvents') eventReads += 1;
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const ours = new MaterialisedStore(counting, () => new Date(), WIDE);
    const other = open(new SqliteStore(path));
    await ours.appendEvents([meetingStarted(at('09:00:00.000')), joined(ana, at('09:00:01.000'))]);
    await ours.attendance(KEY);
    assert.equal(eventReads, 1, 'the first read loads the meeting');
    await ours.appendEvents([joined(bob, at('09:00:02.000')), left(ana, at('09:05:00.000'))]);
    await ours.appendEvents([joined(bob, at('09:00:02.000'))]);
    const afterOwn = await ours.attendance(KEY);
    assert.equal(eventReads, 1, 'own writes are added in memory');
    assert.equal(afterOwn.ledger.size, 4);
    await other.appendEvents([left(bob, at('09:06:00.000'))]);
    const afterOther = await ours.attendance(KEY);
    assert.equal(eventReads, 2, "another instance's write is noticed by its mark");
    assert.deepEqual(afterOther.sessions, buildSessions(await other.readEvents(KEY)));
    await ours.attendance(KEY);
    assert.equal(eventReads, 2, 'nothing new: no read');
  });

  it('forgets a meeting another instance deleted, and one it deleted itself', async () => {
    const path = join(folder, 'attendance.db');
    const ours = open(new MaterialisedStore(new SqliteStore(path), () => new Date(), WIDE));
    const other = open(new SqliteStore(path));
    await ours.appendEvents([meetingStarted(at('09:00:00.000')), joined(ana, at('09:00:01.000'))]);
    assert.equal((await ours.attendance(KEY)).sessions.length, 1);
    await other.deleteMeeting(KEY);
    assert.deepEqual((await ours.attendance(KEY)).sessions, []);
    await ours.appendEvents([meetingStarted(at('10:00:00.000'))]);
    assert.equal((await ours.attendance(KEY)).sessions.length, 1);
    await ours.deleteMeeting(KEY);
    assert.deepEqual((await ours.attendance(KEY)).sessions, []);
    assert.deepEqual(ours.holding(), { meetings: 0, events: 0 });
  });

  it('holds at most its limits: the least recently read goes first, a meeting too large is not held, idle ones are let go', async () => {
    const clock = { now: Date.parse(at('09:00:00.000')) };
    const limits: HoldingLimits = { maxMeetings: 2, maxEvents: 6, endedIdleMs: 60_000, liveIdleMs: 600_000 };
    const ours = open(new MaterialisedStore(new SqliteStore(join(folder, 'attendance.db')), () => new Date(clock.now), limits));
    const meeting = (id: string) => ({ tenantId: TENANT_ID, meetingId: id });
    const events = (id: string, count: number, ended = false): AttendanceEvent[] => [
      meetingStarted(at('09:00:00.000'), { meetingId: id }),
      ...Array.from({ length: count - (ended ? 2 : 1) }, (_, index) => joined(bob, at(`09:0${index}:30.000`), { meetingId: id })),
      ...(ended ? [meetingEnded(at('09:30:00.000'), { meetingId: id })] : []),
    ];
    await ours.appendEvents([...events('m1', 2), ...events('m2', 3, true), ...events('m3', 2), ...events('big', 7)]);
    await ours.attendance(meeting('m1'));
    await ours.attendance(meeting('m2'));
    assert.deepEqual(ours.holding(), { meetings: 2, events: 5 });
    await ours.attendance(meeting('m3'));
    assert.deepEqual(ours.holding(), { meetings: 2, events: 5 }, 'm1, read least recently, was let go');
    const big = await ours.attendance(meeting('big'));
    assert.equal(big.ledger.size, 7, 'a meeting too large to hold is still served, from the store');
    assert.deepEqual(ours.holding(), { meetings: 2, events: 5 });
    clock.now += 120_000;
    await ours.attendance(meeting('m3'));
    assert.deepEqual(ours.holding(), { meetings: 1, events: 2 }, 'm2 ended and nobody read it for two minutes');
  });
});
