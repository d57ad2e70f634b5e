/**
 * rememberMeeting runs for every activity of a meeting and writes the meeting record only when the activity
 * tells something new. Rewriting it for every join of a storm made it the store's hottest row: on Azure Tables,
 * concurrent rewrites of one row conflict until the retries run out, a 500 for an event already recorded
 * (test/integration/crashSafety.test.ts plays such a storm on Azurite).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import type { MeetingRecord } from '../../bot/src/store/store.js';
import type { BotDeps } from '../../bot/src/teams/botDeps.js';
import { rememberMeeting } from '../../bot/src/teams/handlers/meetingDetails.js';
import type { MeetingRef } from '../../bot/src/teams/meetingRef.js';

const ref: MeetingRef = {
  tenantId: '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f',
  meetingId: 'MCMxOTptZWV0aW5nX1lUZ3l@thread.v2',
  chatId: '19:meeting_YTgy@thread.v2',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
};

describe('rememberMeeting: the meeting record, written only when an activity tells something new', () => {
  let store: SqliteStore;
  let saves: MeetingRecord[];
  let deps: Pick<BotDeps, 'store'>;
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'attendance-remember-'));
    store = new SqliteStore(join(folder, 'attendance.db'));
    saves = [];
    const save = store.saveMeeting.bind(store);
    store.saveMeeting = async (update) => {
      saves.push(update);
      return save(update);
    };
    deps = { store };
  });

  afterEach(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the record for the first activity of a meeting', async () => {
    const record = await rememberMeeting(deps, ref, '2025-11-26T09:00:00.000Z', { title: 'Physics 101' });
    assert.equal(saves.length, 1);
    assert.deepEqual(record, { ...ref, title: 'Physics 101', trackingSince: '2025-11-26T09:00:00.000Z' });
  });

  it('writes nothing for the later activities of a storm, which tell nothing new, and still returns the record', async () => {
    const first = await rememberMeeting(deps, ref, '2025-11-26T09:00:00.000Z');
    const later = await Promise.all(
      Array.from({ length: 50 }, (_unused, second) => rememberMeeting(deps, ref, `2025-11-26T09:01:${String(second).padStart(2, '0')}.000Z`)),
    );
    assert.equal(saves.length, 1);
    for (const record of later) assert.deepEqual(record, first);
  });

  it('writes what is new: an earlier first sighting, a detail, another route to the chat', async () => {
    await rememberMeeting(deps, ref, '2025-11-26T09:05:00.000Z');
    await rememberMeeting(deps, ref, '2025-11-26T09:00:00.000Z');
    await rememberMeeting(deps, ref, '2025-11-26T09:06:00.000Z', { meetingType: 'MeetNow' });
    const record = await rememberMeeting(deps, { ...ref, serviceUrl: 'https://smba.trafficmanager.net/amer/' }, '2025-11-26T09:07:00.000Z');
    assert.equal(saves.length, 4);
    assert.equal(record.trackingSince, '2025-11-26T09:00:00.000Z');
    assert.equal(record.meetingType, 'MeetNow');
    assert.equal(record.serviceUrl, 'https://smba.trafficmanager.net/amer/');
    assert.deepEqual(await store.getMeeting(ref), record);
  });
});
