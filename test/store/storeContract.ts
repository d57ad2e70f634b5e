/**
 * The behaviour every AttendanceStore adapter must have. Each adapter's test file calls
 * `describeStoreContract` with a way to open its storage (again, for durability checks).
 */
import assert from 'node:assert/strict';
import { eventKeyFor, type AttendanceEvent, type ParticipantJoined } from '../../bot/src/attendance/events.js';
import { graphOnlineMeetingId } from '../../bot/src/attendance/meetingIds.js';
import type { AttendanceStore, MeetingKey, MeetingListQuery } from '../../bot/src/store/store.js';
import { describeWebhookOutboxContract } from './webhookOutboxContract.js';
import { describeRegisterContract } from './registerContract.js';

export interface StoreHarness {
  /**
   * Opens the adapter on this test's storage; opening twice reaches the same data. `clock`: the store's clock
   * (the time it records as a meeting's last activity); the real one by default.
   */
  open(clock?: () => Date): Promise<AttendanceStore>;
  /** Removes this test's storage. */
  dispose(): Promise<void>;
}

const tenantId = 'tenant-a';
const meetingId = 'bWVldGluZy0x';

function join(person: string, occurredAt: string, activityId?: string, meeting = meetingId, tenant = tenantId): ParticipantJoined {
  return {
    kind: 'participantJoined',
    eventKey: eventKeyFor({ meetingId: meeting, kind: 'participantJoined', occurredAt, participantKey: person }),
    tenantId: tenant,
    meetingId: meeting,
    occurredAt,
    source: 'event',
    ...(activityId ? { activityId } : {}),
    participant: { key: person, teamsUserId: `29:${person}`, displayName: person },
  };
}

export function describeStoreContract(adapterName: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`${adapterName} store contract`, () => {
    let harness: StoreHarness;
    let store: AttendanceStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
      await harness.dispose();
    });

    it('appends events and reads them back unchanged', async () => {
      const events = [join('ana', '2025-11-26T09:00:05.456Z', 'a1'), join('bob', '2025-11-26T09:00:06.000Z', 'a2')];
      assert.deepEqual(await store.appendEvents(events), { added: 2 });
      const stored = await store.readEvents({ tenantId, meetingId });
      assert.deepEqual(sortByKey(stored), sortByKey(events));
    });

    it('skips a fact already stored under the same event key, even from a new activity', async () => {
      await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1')]);
      assert.deepEqual(await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1-retry')]), { added: 0 });
      assert.equal((await store.readEvents({ tenantId, meetingId })).length, 1);
    });

    it('skips a redelivered activity even if its timestamp differs', async () => {
      await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1')]);
      assert.deepEqual(await store.appendEvents([join('ana', '2025-11-26T09:00:05.999Z', 'a1')]), { added: 0 });
    });

    it('counts only the new events of a partly known batch', async () => {
      await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1')]);
      const result = await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1'), join('bob', '2025-11-26T09:01:00.000Z', 'a3')]);
      assert.deepEqual(result, { added: 1 });
    });

    it('keeps meetings and tenants apart', async () => {
      await store.appendEvents([
        join('ana', '2025-11-26T09:00:05.456Z', undefined, 'other-meeting'),
        join('ana', '2025-11-26T09:00:05.456Z', undefined, meetingId, 'tenant-b'),
      ]);
      assert.equal((await store.readEvents({ tenantId, meetingId })).length, 0);
      assert.equal((await store.readEvents({ tenantId, meetingId: 'other-meeting' })).length, 1);
      assert.equal((await store.readEvents({ tenantId: 'tenant-b', meetingId })).length, 1);
    });

    it('merges meeting records field by field and keeps fields left undefined', async () => {
      assert.equal(await store.getMeeting({ tenantId, meetingId }), undefined);
      await store.saveMeeting({ tenantId, meetingId, title: 'Physics 101', chatId: '19:meeting_x@thread.v2' });
      const merged = await store.saveMeeting({ tenantId, meetingId, meetingType: 'MeetNow', title: undefined });
      assert.deepEqual(merged, { tenantId, meetingId, title: 'Physics 101', chatId: '19:meeting_x@thread.v2', meetingType: 'MeetNow' });
      assert.deepEqual(await store.getMeeting({ tenantId, meetingId }), merged);
      assert.equal(await store.getMeeting({ tenantId: 'tenant-b', meetingId }), undefined);
    });

    describe('the ids an outside system holds, the listing by time, the people (the LMS indexes)', () => {
      const organizer = '5d3c2b1a-0000-4000-8000-000000000101';
      const thread = '19:meeting_NjY4ZDk3@thread.v2';

      it('finds a meeting by its chat thread, join link, Graph id and join code, in its own tenant only', async () => {
        await store.saveMeeting({
          tenantId,
          meetingId,
          chatId: thread,
          organizerAadObjectId: organizer,
          joinUrl: 'https://teams.microsoft.com/meet/2345678901234?p=abcDEF',
        });
        const saved = await store.getMeeting({ tenantId, meetingId });
        assert.equal(saved?.onlineMeetingId, graphOnlineMeetingId(organizer, thread), 'derived when Teams gave none');
        assert.equal(saved?.joinMeetingId, '2345678901234');
        const key = { tenantId, meetingId };
        assert.deepEqual(await store.findMeetingByAlias(tenantId, { kind: 'thread', value: thread }), key);
        assert.deepEqual(await store.findMeetingByAlias(tenantId, { kind: 'joinMeetingId', value: '2345678901234' }), key);
        assert.deepEqual(await store.findMeetingByAlias(tenantId, { kind: 'onlineMeetingId', value: graphOnlineMeetingId(organizer, thread) }), key);
        assert.equal(await store.findMeetingByAlias('tenant-b', { kind: 'thread', value: thread }), undefined);
        assert.equal(await store.findMeetingByAlias(tenantId, { kind: 'thread', value: '19:meeting_other@thread.v2' }), undefined);

        // Teams' own Graph id, learnt later, is indexed too; the derived one keeps leading to the meeting.
        await store.saveMeeting({ tenantId, meetingId, onlineMeetingId: 'MSpGcm9tVGVhbXMqMCoqMTk6bWVldGluZw==' });
        assert.deepEqual(await store.findMeetingByAlias(tenantId, { kind: 'onlineMeetingId', value: 'MSpGcm9tVGVhbXMqMCoqMTk6bWVldGluZw==' }), key);
        assert.equal((await store.getMeeting(key))?.onlineMeetingId, 'MSpGcm9tVGVhbXMqMCoqMTk6bWVldGluZw==');

        await store.deleteMeeting(key);
        assert.equal(await store.findMeetingByAlias(tenantId, { kind: 'thread', value: thread }), undefined, 'deleted with the meeting');
        assert.equal(await store.findMeetingByAlias(tenantId, { kind: 'joinMeetingId', value: '2345678901234' }), undefined);
      });

      it('lists a tenant\'s meetings newest first, by organizer and time range, page by page, without deleted ones', async () => {
        const save = (id: string, trackingSince: string, organizerAadObjectId?: string, tenant = tenantId) =>
          store.saveMeeting({ tenantId: tenant, meetingId: id, trackingSince, ...(organizerAadObjectId ? { organizerAadObjectId } : {}) });
        await save('m1', '2025-11-24T09:00:00.000Z', organizer);
        await save('m2', '2025-11-25T09:00:00.000Z', 'someone-else');
        await save('m3', '2025-11-26T09:00:00.000Z', organizer);
        await save('m4', '2025-11-26T08:00:00.000Z');
        await save('other-tenant', '2025-11-26T10:00:00.000Z', organizer, 'tenant-b');
        await store.saveMeeting({ tenantId, meetingId: 'not-started', title: 'no trackingSince' });
        const ids = async (query: Omit<MeetingListQuery, 'tenantId' | 'limit'> & { limit?: number }) =>
          (await store.listMeetings({ tenantId, limit: 100, ...query })).meetings.map((meeting) => meeting.meetingId);

        assert.deepEqual(await ids({}), ['m3', 'm4', 'm2', 'm1'], 'newest first');
        assert.deepEqual(await ids({ organizerAadObjectId: organizer }), ['m3', 'm1']);
        assert.deepEqual(await ids({ since: '2025-11-25T09:00:00.000Z', until: '2025-11-26T09:00:00.000Z' }), ['m4', 'm2'], 'since inclusive, until exclusive');

        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listMeetings({ tenantId, limit: 3, ...(cursor ? { cursor } : {}) });
          pages.push(page.meetings.map((meeting) => meeting.meetingId));
          cursor = page.cursor;
        } while (cursor);
        assert.deepEqual(pages, [['m3', 'm4', 'm2'], ['m1']]);
        const full = await store.listMeetings({ tenantId, limit: 4 });
        assert.equal(full.meetings.length, 4);

        // A meeting seen earlier than first thought moves in the listing; another organizer moves it out of Ana's.
        await save('m3', '2025-11-23T09:00:00.000Z', 'someone-else');
        assert.deepEqual(await ids({}), ['m4', 'm2', 'm1', 'm3']);
        assert.deepEqual(await ids({ organizerAadObjectId: organizer }), ['m1']);
        await store.deleteMeeting({ tenantId, meetingId: 'm1' });
        assert.deepEqual(await ids({}), ['m4', 'm2', 'm3']);
        assert.deepEqual(await ids({ organizerAadObjectId: organizer }), []);
        assert.deepEqual(
          (await store.listMeetings({ tenantId: 'tenant-b', limit: 10 })).meetings.map((meeting) => meeting.meetingId),
          ['other-tenant'],
        );
      });

      it('keeps the people of a tenant, found by object id or UPN in any case, merged field by field, dated by the store', async () => {
        await store.close();
        store = await harness.open(() => new Date('2025-11-26T09:00:00.000Z'));
        await store.savePeople([{ tenantId, id: organizer, displayName: 'Ana Teacher', lastSeenAt: '2020-01-01T00:00:00.000Z' }]);
        await store.savePeople([{ tenantId, id: organizer, userPrincipalName: 'Ana@Contoso.test', mail: 'ana@contoso.test' }]);
        const ana = {
          tenantId,
          id: organizer,
          displayName: 'Ana Teacher',
          userPrincipalName: 'Ana@Contoso.test',
          mail: 'ana@contoso.test',
          lastSeenAt: '2025-11-26T09:00:00.000Z',
        };
        assert.deepEqual(await store.findPerson(tenantId, organizer), ana);
        assert.deepEqual(await store.findPerson(tenantId, 'ANA@contoso.TEST'), ana);
        assert.deepEqual(await store.findPerson(tenantId, organizer.toUpperCase()), ana);
        assert.equal(await store.findPerson('tenant-b', 'ana@contoso.test'), undefined);
        assert.equal(await store.findPerson(tenantId, 'bob@contoso.test'), undefined);
      });
    });

    it('marks a meeting anew on every write that adds events or saves its record, never for skipped duplicates', async () => {
      const key = { tenantId, meetingId };
      assert.deepEqual(await store.writeMarks(key), {});
      const seen: string[] = [];
      const markNow = async () => {
        const marks = await store.writeMarks(key);
        assert.deepEqual(Object.keys(marks), [store.writerId]);
        return marks[store.writerId] as string;
      };
      await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1')]);
      seen.push(await markNow());
      await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1-retry')]);
      assert.equal(await markNow(), seen[0], 'a duplicate changes no mark');
      // More events than one Azure transaction holds: each transaction marks the meeting.
      await store.appendEvents(Array.from({ length: 120 }, (_, index) => join(`p${index}`, `2025-11-26T09:01:${String(index % 60).padStart(2, '0')}.${index}Z`, `b${index}`)));
      seen.push(await markNow());
      await store.saveMeeting({ tenantId, meetingId, title: 'Physics 101' });
      seen.push(await markNow());
      assert.equal(new Set(seen).size, seen.length, `marks repeat: ${seen.join(', ')}`);
      assert.deepEqual(await store.writeMarks({ tenantId, meetingId: 'other-meeting' }), {});
      assert.deepEqual(await store.writeMarks({ tenantId: 'tenant-b', meetingId }), {});
      await store.deleteMeeting(key);
      assert.deepEqual(await store.writeMarks(key), {});
    });

    it("keeps each writer's mark apart: another instance's writes show under its own writer id", async () => {
      const key = { tenantId, meetingId };
      const other = await harness.open();
      try {
        assert.notEqual(other.writerId, store.writerId);
        await store.appendEvents([join('ana', '2025-11-26T09:00:05.456Z', 'a1')]);
        const ours = (await store.writeMarks(key))[store.writerId];
        await other.appendEvents([join('bob', '2025-11-26T09:00:06.000Z', 'a2')]);
        const marks = await store.writeMarks(key);
        assert.deepEqual(Object.keys(marks).sort(), [store.writerId, other.writerId].sort());
        assert.equal(marks[store.writerId], ours);
        assert.deepEqual(await other.writeMarks(key), marks);
      } finally {
        await other.close();
      }
    });

    it('merges record saves made at once by two instances, each leaving its own mark', async () => {
      const key = { tenantId, meetingId };
      const other = await harness.open();
      try {
        await Promise.all([
          store.saveMeeting({ ...key, title: 'Physics 101' }),
          other.saveMeeting({ ...key, meetingType: 'Scheduled' }),
          store.saveMeeting({ ...key, joinUrl: 'https://teams.microsoft.com/l/meetup-join/x' }),
        ]);
        // Read by a third instance, which remembers no record of its own.
        const reader = await harness.open();
        const saved = await reader.getMeeting(key).finally(() => reader.close());
        assert.deepEqual(
          [saved?.title, saved?.meetingType, saved?.joinUrl],
          ['Physics 101', 'Scheduled', 'https://teams.microsoft.com/l/meetup-join/x'],
        );
        assert.deepEqual(Object.keys(await store.writeMarks(key)).sort(), [store.writerId, other.writerId].sort());
      } finally {
        await other.close();
      }
    });

    it('grants a one-time action to the first caller only, per meeting', async () => {
      const results = await Promise.all([1, 2, 3].map(() => store.claimOnce({ tenantId, meetingId }, 'summary:s1')));
      assert.deepEqual(results.filter(Boolean).length, 1);
      assert.equal(await store.claimOnce({ tenantId, meetingId: 'other-meeting' }, 'summary:s1'), true);
      assert.equal(await store.claimOnce({ tenantId, meetingId }, 'summary:s2'), true);
    });

    it('tells whether a one-time action was claimed, without claiming it', async () => {
      const key = { tenantId, meetingId };
      assert.equal(await store.hasClaim(key, 'summary:s1'), false);
      assert.equal(await store.hasClaim(key, 'summary:s1'), false, 'asking claims nothing');
      assert.equal(await store.claimOnce(key, 'summary:s1'), true, 'still free after being asked about');
      assert.equal(await store.hasClaim(key, 'summary:s1'), true);
      assert.equal(await store.hasClaim(key, 'summary:s2'), false);
      assert.equal(await store.hasClaim({ tenantId, meetingId: 'other-meeting' }, 'summary:s1'), false);
    });

    it('gives a lease to one holder at a time, renews it for that holder, and frees it when it expires', async () => {
      const key = { tenantId, meetingId };
      const t0 = new Date('2025-11-26T09:00:00.000Z');
      const later = (ms: number) => new Date(t0.getTime() + ms);
      const first = await Promise.all(['a', 'b', 'c'].map((holder) => store.tryAcquireLease(key, 'roster-sampler', holder, 30_000, t0)));
      assert.equal(first.filter(Boolean).length, 1);
      const holder = ['a', 'b', 'c'][first.indexOf(true)] as string;
      const other = holder === 'a' ? 'b' : 'a';
      assert.equal(await store.tryAcquireLease(key, 'roster-sampler', holder, 30_000, later(20_000)), true, 'the holder renews');
      assert.equal(await store.tryAcquireLease(key, 'roster-sampler', other, 30_000, later(45_000)), false, 'renewed until 50 s');
      assert.equal(await store.tryAcquireLease(key, 'roster-sampler', other, 30_000, later(50_000)), true, 'expired: taken over');
      assert.equal(await store.tryAcquireLease(key, 'other-lease', holder, 30_000, later(50_000)), true, 'leases are per name');
      await store.releaseLease(key, 'roster-sampler', holder);
      assert.equal(await store.tryAcquireLease(key, 'roster-sampler', holder, 30_000, later(51_000)), false, 'only the holder releases');
      await store.releaseLease(key, 'roster-sampler', other);
      assert.equal(await store.tryAcquireLease(key, 'roster-sampler', holder, 30_000, later(51_000)), true, 'released: free again');
    });

    it('keeps one pending work item per meeting and kind, lists what is due soonest first, and forgets completed work', async () => {
      const work = (meeting: string, dueAt: string, attempts = 0) => ({
        tenantId,
        meetingId: meeting,
        kind: 'reconcile-call-records',
        dueAt,
        attempts,
        firstScheduledAt: '2025-11-26T09:30:00.000Z',
      });
      await store.scheduleWork(work('m-late', '2025-11-26T10:00:00.000Z'));
      await store.scheduleWork(work('m-soon', '2025-11-26T09:40:00.000Z'));
      await store.scheduleWork(work('m-soon', '2025-11-26T09:45:00.000Z', 1));
      await store.scheduleWork({ ...work('m-other-kind', '2025-11-26T09:00:00.000Z'), kind: 'something-else' });
      const due = await store.listDueWork('reconcile-call-records', new Date('2025-11-26T10:00:00.000Z'), 10);
      assert.deepEqual(due, [work('m-soon', '2025-11-26T09:45:00.000Z', 1), work('m-late', '2025-11-26T10:00:00.000Z')]);
      assert.deepEqual(await store.listDueWork('reconcile-call-records', new Date('2025-11-26T09:50:00.000Z'), 10), [work('m-soon', '2025-11-26T09:45:00.000Z', 1)]);
      assert.equal((await store.listDueWork('reconcile-call-records', new Date('2025-11-26T10:00:00.000Z'), 1)).length, 1);
      assert.deepEqual(await store.getWork({ tenantId, meetingId: 'm-soon' }, 'reconcile-call-records'), work('m-soon', '2025-11-26T09:45:00.000Z', 1));
      assert.equal(await store.getWork({ tenantId, meetingId: 'm-soon' }, 'something-else'), undefined);
      await store.completeWork({ tenantId, meetingId: 'm-soon' }, 'reconcile-call-records');
      assert.equal(await store.getWork({ tenantId, meetingId: 'm-soon' }, 'reconcile-call-records'), undefined);
      const reply = { ...work('m-reply', '2025-11-26T09:00:00.000Z'), kind: 'meeting-summary', replyToId: 'f:activity-1', lastError: 'throttled' };
      await store.scheduleWork(reply);
      assert.deepEqual(await store.listDueWork('meeting-summary', new Date('2025-11-26T10:00:00.000Z'), 10), [reply], 'optional fields kept');
      assert.deepEqual(
        (await store.listDueWork('reconcile-call-records', new Date('2025-11-26T10:00:00.000Z'), 10)).map((item) => item.meetingId),
        ['m-late'],
      );
    });

    describe('deleting meetings and finding idle ones (retention)', () => {
      const meetingA = { tenantId, meetingId };
      const otherMeeting = { tenantId, meetingId: 'other-meeting' };
      const otherTenant = { tenantId: 'tenant-b', meetingId };
      const work = (meeting: MeetingKey, kind: string) => ({
        ...meeting,
        kind,
        dueAt: '2025-11-26T09:40:00.000Z',
        attempts: 0,
        firstScheduledAt: '2025-11-26T09:30:00.000Z',
      });
      const dueMeetings = async (kind: string) =>
        (await store.listDueWork(kind, new Date('2025-11-26T10:00:00.000Z'), 100)).map((item) => `${item.tenantId}/${item.meetingId}`).sort();

      /** Events, a record, a claim, a lease and two kinds of pending work. */
      async function fill(meeting: MeetingKey, people: number): Promise<void> {
        const events = Array.from({ length: people }, (_, index) =>
          join(`p${index}`, new Date(Date.UTC(2025, 10, 26, 9, 0, index)).toISOString(), `${meeting.meetingId}-${index}`, meeting.meetingId, meeting.tenantId),
        );
        await store.appendEvents(events);
        await store.saveMeeting({ ...meeting, title: 'Physics 101' });
        assert.equal(await store.claimOnce(meeting, 'summary:s1'), true);
        assert.equal(await store.tryAcquireLease(meeting, 'roster-sampler', 'holder-1', 60_000, new Date()), true);
        await store.scheduleWork(work(meeting, 'reconcile-call-records'));
        await store.scheduleWork(work(meeting, 'something-else'));
      }

      it('deletes every row of one meeting (events, record, claims, leases, pending work) and nothing of another', async () => {
        await fill(meetingA, 120); // more events than one Azure transaction holds
        await fill(otherMeeting, 2);
        await fill(otherTenant, 3);
        await store.deleteMeeting(meetingA);

        assert.deepEqual(await store.readEvents(meetingA), []);
        assert.equal(await store.getMeeting(meetingA), undefined);
        assert.equal(await store.claimOnce(meetingA, 'summary:s1'), true, 'the claim is gone');
        assert.equal(await store.tryAcquireLease(meetingA, 'roster-sampler', 'holder-2', 60_000, new Date()), true, 'the lease is gone');
        const others = [`${otherTenant.tenantId}/${otherTenant.meetingId}`, `${tenantId}/${otherMeeting.meetingId}`].sort();
        assert.deepEqual(await dueMeetings('reconcile-call-records'), others);
        assert.deepEqual(await dueMeetings('something-else'), others);

        for (const [meeting, count] of [[otherMeeting, 2], [otherTenant, 3]] as const) {
          assert.equal((await store.readEvents(meeting)).length, count);
          assert.equal((await store.getMeeting(meeting))?.title, 'Physics 101');
          assert.equal(await store.claimOnce(meeting, 'summary:s1'), false, 'its claim is kept');
          assert.equal(await store.tryAcquireLease(meeting, 'roster-sampler', 'holder-2', 60_000, new Date()), false, 'its lease is kept');
        }
      });

      it('deletes idempotently: a meeting deleted twice, or never stored, is no error', async () => {
        await fill(meetingA, 2);
        await store.deleteMeeting(meetingA);
        await store.deleteMeeting(meetingA);
        await store.deleteMeeting({ tenantId, meetingId: 'never-stored' });
        assert.deepEqual(await store.readEvents(meetingA), []);
      });

      it('lists the meetings whose events or record were last stored before a cutoff, and no deleted one', async () => {
        let current = Date.parse('2025-11-20T08:00:00.000Z');
        const at = (iso: string) => {
          current = Date.parse(iso);
        };
        await store.close();
        store = await harness.open(() => new Date(current));
        const key = (meeting: MeetingKey) => `${meeting.tenantId}/${meeting.meetingId}`;
        const idleSince = async (cutoff: string, limit = 100) => (await store.listMeetingsIdleSince(new Date(cutoff), limit)).map(key).sort();
        const eventsOnly = { tenantId, meetingId: 'events-only' };
        const recordOnly = { tenantId, meetingId: 'record-only' };
        const busy = { tenantId: 'tenant-b', meetingId: 'busy' };

        at('2025-11-20T08:00:00.000Z');
        await store.appendEvents([join('ana', '2025-11-20T08:00:00.000Z', 'e1', eventsOnly.meetingId)]);
        at('2025-11-21T08:00:00.000Z');
        await store.saveMeeting({ ...recordOnly, title: 'Only a record' });
        at('2025-11-22T08:00:00.000Z');
        await store.appendEvents([join('bob', '2025-11-22T08:00:00.000Z', 'b1', busy.meetingId, busy.tenantId)]);
        await store.saveMeeting({ ...busy, title: 'Busy' });

        assert.deepEqual(await idleSince('2025-11-20T08:00:00.000Z'), [], 'idle since strictly before the cutoff');
        assert.deepEqual(await idleSince('2025-11-20T08:00:00.001Z'), [key(eventsOnly)]);
        assert.deepEqual(await idleSince('2025-11-22T00:00:00.000Z'), [key(eventsOnly), key(recordOnly)].sort());
        assert.equal((await store.listMeetingsIdleSince(new Date('2025-11-23T00:00:00.000Z'), 2)).length, 2, 'at most limit');

        // New activity: a redelivered event (already stored) counts, claims, leases and pending work do not.
        at('2025-11-23T08:00:00.000Z');
        assert.deepEqual(await store.appendEvents([join('ana', '2025-11-20T08:00:00.000Z', 'e1', eventsOnly.meetingId)]), { added: 0 });
        await store.claimOnce(recordOnly, 'summary:s1');
        await store.tryAcquireLease(recordOnly, 'roster-sampler', 'holder', 60_000, new Date(current));
        await store.scheduleWork(work(recordOnly, 'reconcile-call-records'));
        assert.deepEqual(await idleSince('2025-11-23T00:00:00.000Z'), [key(recordOnly), key(busy)].sort());

        await store.deleteMeeting(recordOnly);
        assert.deepEqual(await idleSince('2025-11-24T00:00:00.000Z'), [key(eventsOnly), key(busy)].sort());
      });
    });

    describe('deleting the people not seen since a cutoff (retention of the people directory)', () => {
      let current = Date.parse('2025-11-20T08:00:00.000Z');
      const at = (iso: string) => {
        current = Date.parse(iso);
      };
      const anaId = '5d3c2b1a-0000-4000-8000-00000000a001';
      const bobId = '5d3c2b1a-0000-4000-8000-00000000b002';
      const ana = { tenantId, id: anaId, displayName: 'Ana Teacher', userPrincipalName: 'Ana@Contoso.test', mail: 'ana.teacher@contoso.test' };
      const bob = { tenantId, id: bobId, displayName: 'Bob Student', userPrincipalName: 'bob@contoso.test', mail: 'bob.student@contoso.test' };
      const anaElsewhere = { ...ana, tenantId: 'tenant-b' };
      const keysOf = (person: { id: string; userPrincipalName: string; mail: string }) => [
        person.id,
        person.id.toUpperCase(),
        person.userPrincipalName,
        person.mail.toUpperCase(),
      ];

      beforeEach(async () => {
        await store.close();
        store = await harness.open(() => new Date(current));
      });

      it('deletes those last saved before the cutoff under every key, keeps the others, and leaves meetings alone', async () => {
        at('2025-11-20T08:00:00.000Z');
        await store.savePeople([ana, anaElsewhere]);
        await store.saveMeeting({ tenantId, meetingId, organizerAadObjectId: anaId, title: 'Physics 101' });
        at('2025-11-22T08:00:00.000Z');
        await store.savePeople([bob]);

        assert.equal(await store.deletePeopleSeenBefore(new Date('2025-11-20T08:00:00.000Z'), 100), 0, 'seen strictly before the cutoff');
        assert.equal(await store.deletePeopleSeenBefore(new Date('2025-11-21T00:00:00.000Z'), 100), 6, 'three keys each of Ana in two tenants');

        for (const key of keysOf(ana)) {
          assert.equal(await store.findPerson(tenantId, key), undefined, `Ana by ${key}`);
          assert.equal(await store.findPerson('tenant-b', key), undefined, `Ana of tenant-b by ${key}`);
        }
        for (const key of keysOf(bob)) assert.equal((await store.findPerson(tenantId, key))?.displayName, 'Bob Student', `Bob by ${key}`);
        assert.equal((await store.getMeeting({ tenantId, meetingId }))?.title, 'Physics 101', 'her meeting is not the directory');
        assert.equal(await store.deletePeopleSeenBefore(new Date('2025-11-21T00:00:00.000Z'), 100), 0, 'nothing left that old');
      });

      it('deletes at most limit entries per call, so a sweep goes in bounded batches', async () => {
        at('2025-11-20T08:00:00.000Z');
        await store.savePeople([ana, bob]);
        const cutoff = new Date('2025-11-21T00:00:00.000Z');
        assert.equal(await store.deletePeopleSeenBefore(cutoff, 4), 4);
        assert.equal(await store.deletePeopleSeenBefore(cutoff, 4), 2);
        assert.equal(await store.deletePeopleSeenBefore(cutoff, 4), 0);
        for (const key of [...keysOf(ana), ...keysOf(bob)]) assert.equal(await store.findPerson(tenantId, key), undefined, key);
      });

      it('counts a person saved again as seen then, under every key, and deletes a UPN they no longer have once it is old', async () => {
        at('2025-11-20T08:00:00.000Z');
        await store.savePeople([ana]);
        at('2025-11-25T08:00:00.000Z');
        const renamed = { tenantId, id: anaId, userPrincipalName: 'ana.t@contoso.test' };
        await store.savePeople([renamed]);
        for (const key of [anaId, 'ana.t@contoso.test', ana.mail]) {
          assert.equal((await store.findPerson(tenantId, key))?.lastSeenAt, '2025-11-25T08:00:00.000Z', key);
        }

        assert.equal(await store.deletePeopleSeenBefore(new Date('2025-11-21T00:00:00.000Z'), 100), 1, 'only the UPN she no longer has');
        assert.equal(await store.findPerson(tenantId, ana.userPrincipalName), undefined);
        assert.deepEqual(await store.findPerson(tenantId, 'ANA.T@contoso.test'), {
          ...ana,
          userPrincipalName: 'ana.t@contoso.test',
          lastSeenAt: '2025-11-25T08:00:00.000Z',
        });
      });
    });

    describeWebhookOutboxContract({
      store: () => store,
      reopen: async () => {
        await store.close();
        store = await harness.open();
      },
    });

    describeRegisterContract(() => store);

    it('reports itself healthy', async () => {
      assert.equal((await store.health()).ok, true);
    });

    it('still has every acknowledged event after being closed and opened again', async () => {
      const events: AttendanceEvent[] = Array.from({ length: 50 }, (_, index) =>
        join(`person-${index}`, new Date(Date.UTC(2025, 10, 26, 9, 0, index)).toISOString(), `act-${index}`),
      );
      await store.appendEvents(events);
      await store.saveMeeting({ tenantId, meetingId, title: 'Physics 101' });
      await store.close();
      store = await harness.open();
      assert.equal((await store.readEvents({ tenantId, meetingId })).length, 50);
      assert.equal((await store.getMeeting({ tenantId, meetingId }))?.title, 'Physics 101');
    });
  });
}

function sortByKey(events: AttendanceEvent[]): AttendanceEvent[] {
  return [...events].sort((a, b) => a.eventKey.localeCompare(b.eventKey));
}
