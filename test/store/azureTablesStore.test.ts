/**
 * The Azure Table Storage adapter on Azurite: the shared contract, then what is particular to Tables (keys
 * that Teams' base64 meeting ids break, 409 as "already stored", transactions and their limits).
 */
import assert from 'node:assert/strict';
import { TableServiceClient } from '@azure/data-tables';
import { MAX_EVENT_JSON_CHARS } from '../../bot/src/store/azureTablesEventRows.js';
import { indexKeys, partitionKeyFor } from '../../bot/src/store/azureTablesKeys.js';
import { AzureTablesStore } from '../../bot/src/store/azureTablesStore.js';
import { loadConfig } from '../../bot/src/config.js';
import { openStore } from '../../bot/src/store/openStore.js';
import type { AttendanceStore } from '../../bot/src/store/store.js';
import { AppError } from '../../bot/src/errors.js';
import { at, joined, MEETING_ID, person, TENANT_ID } from '../support/attendanceEvents.js';
import { Azurite } from '../support/azurite.js';
import { describeStoreContract } from './storeContract.js';

describe('Azure Tables store on Azurite', function () {
  let azurite: Azurite;

  before(async () => {
    azurite = await Azurite.start();
  });
  after(async () => {
    await azurite?.stop();
  });

  /** Opens the store as the app does, from ATTENDANCE_STORE and ATTENDANCE_TABLE. */
  const open = (table: string, clock?: () => Date): Promise<AttendanceStore> =>
    openStore(loadConfig({ ATTENDANCE_STORE: azurite.storeSetting, ATTENDANCE_TABLE: table }).store, clock);

  describeStoreContract('Azure Tables', async () => {
    const table = Azurite.newTableName();
    return { open: (clock) => open(table, clock), dispose: () => azurite.table(table).deleteTable() };
  });

  describe('what is particular to Azure Tables', () => {
    let table: string;
    let store: AttendanceStore;

    beforeEach(async () => {
      table = Azurite.newTableName();
      store = await open(table);
    });
    afterEach(async () => {
      await store.close();
      await azurite.table(table).deleteTable();
    });

    const ana = person('ana');
    const bob = person('bob');
    const carol = person('carol');
    const rowKeysOf = async (prefix: string) => {
      const keys: string[] = [];
      for await (const row of azurite.table(table).listEntities()) if (row.rowKey?.startsWith(prefix)) keys.push(row.rowKey);
      return keys;
    };

    it('dates the people written before their rows were dated by their last write (Timestamp), so retention finds them', async () => {
      const before = Date.now();
      const partitionKey = indexKeys.peoplePartition(TENANT_ID);
      const body = JSON.stringify({ tenantId: TENANT_ID, id: 'ana-id', displayName: 'Ana Teacher', userPrincipalName: 'ana@contoso.test' });
      for (const key of ['ana-id', 'ana@contoso.test']) await azurite.table(table).createEntity({ partitionKey, rowKey: indexKeys.personRow(key), body });
      const after = Date.now();

      const seen = Date.parse((await store.findPerson(TENANT_ID, 'ANA@contoso.test'))?.lastSeenAt ?? '');
      assert.ok(seen >= before - 5_000 && seen <= after + 5_000, 'seen when its row was written');
      assert.equal(await store.deletePeopleSeenBefore(new Date(before - 60_000), 10), 0, 'not older than its row');
      const dated = await azurite.table(table).getEntity<{ lastSeenAt?: string }>(partitionKey, indexKeys.personRow('ana-id'));
      assert.equal(typeof dated.lastSeenAt, 'string', 'the row now carries its date');
      assert.equal(await store.deletePeopleSeenBefore(new Date(after + 60_000), 10), 2, 'her id and her UPN');
      assert.equal(await store.findPerson(TENANT_ID, 'ana-id'), undefined);
    });

    it('creates its table when it starts, and starts again on the existing table', async () => {
      const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
      const names: string[] = [];
      for await (const found of service.listTables()) names.push(found.name ?? '');
      assert.ok(names.includes(table), `table ${table} is not among ${names.join(', ')}`);
      const again = await AzureTablesStore.open({ table, endpoint: azurite.endpoint, connectionString: azurite.connectionString });
      assert.equal((await again.health()).ok, true);
    });

    it('keeps meetings whose ids hold / + = # ? \\ % and control characters apart, and finds each again', async () => {
      const meetingIds = ['MCMx/OTpt+ZWV0=', 'MCMx~2fOTpt+ZWV0=', 'MCMx%2FOTpt+ZWV0=', 'a#b?c\\d', 'tab\there', 'MCMx/OTpt+ZWV0'];
      for (const [index, meetingId] of meetingIds.entries()) {
        await store.appendEvents([joined(ana, at(`09:00:0${index}.000`), { meetingId })]);
        await store.saveMeeting({ tenantId: TENANT_ID, meetingId, title: `meeting ${index}` });
        assert.equal(await store.claimOnce({ tenantId: TENANT_ID, meetingId }, 'summary:s1'), true);
      }
      for (const [index, meetingId] of meetingIds.entries()) {
        const events = await store.readEvents({ tenantId: TENANT_ID, meetingId });
        assert.deepEqual(
          events.map((event) => [event.meetingId, event.occurredAt]),
          [[meetingId, at(`09:00:0${index}.000`)]],
        );
        assert.equal((await store.getMeeting({ tenantId: TENANT_ID, meetingId }))?.title, `meeting ${index}`);
      }
    });

    it('stores the new members of a partly known multi-member join, each with its delivery marker, and no marker for the known one', async () => {
      await store.appendEvents([joined(bob, at('09:01:00.000'), { activityId: 'bob-alone' })]);
      const batch = [ana, bob, carol].map((member) => joined(member, at(member === bob ? '09:01:00.000' : '09:01:05.000'), { activityId: 'multi' }));
      assert.deepEqual(await store.appendEvents(batch), { added: 2 });
      const stored = await store.readEvents({ tenantId: TENANT_ID, meetingId: MEETING_ID });
      assert.deepEqual(stored.map((event) => event.activityId).sort(), ['bob-alone', 'multi', 'multi']);
      const markers = await rowKeysOf('delivery|');
      assert.equal(markers.length, 3);
      assert.ok(!markers.some((key) => key.includes('multi') && key.includes('bob')), 'Bob was a duplicate: no marker of his from "multi"');
      const redelivered = [ana, carol].map((member) => joined(member, at('09:01:07.000'), { activityId: 'multi' }));
      assert.deepEqual(await store.appendEvents(redelivered), { added: 0 });
    });

    it('treats a row another instance created first (409) as already stored, and the race gives each fact to one writer', async () => {
      const other = await open(table);
      const activity = [ana, bob, carol].map((member) => joined(member, at('09:02:00.000'), { activityId: 'raced' }));
      const results = await Promise.all([store.appendEvents(activity), other.appendEvents(activity), store.appendEvents(activity)]);
      assert.equal(results.reduce((sum, result) => sum + result.added, 0), 3);
      assert.equal((await store.readEvents({ tenantId: TENANT_ID, meetingId: MEETING_ID })).length, 3);
      const claims = await Promise.all([store, other, store, other].map((instance) => instance.claimOnce({ tenantId: TENANT_ID, meetingId: MEETING_ID }, 'summary:raced')));
      assert.equal(claims.filter(Boolean).length, 1);
    });

    it('merges meeting updates that two instances make at the same time without losing a field (ETags)', async () => {
      const other = await open(table);
      const meeting = { tenantId: TENANT_ID, meetingId: MEETING_ID };
      await Promise.all([
        store.saveMeeting({ ...meeting, title: 'Physics 101' }),
        other.saveMeeting({ ...meeting, chatId: '19:meeting_x@thread.v2' }),
        store.saveMeeting({ ...meeting, serviceUrl: 'https://smba.trafficmanager.net/emea/' }),
        other.saveMeeting({ ...meeting, meetingType: 'MeetNow' }),
        store.saveMeeting({ ...meeting, detailsFetchedAt: at('09:00:03.000') }),
      ]);
      assert.deepEqual(await other.getMeeting(meeting), {
        ...meeting,
        title: 'Physics 101',
        chatId: '19:meeting_x@thread.v2',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        meetingType: 'MeetNow',
        detailsFetchedAt: at('09:00:03.000'),
      });
    });

    it('lets one of several instances take over an expired lease, not all of them (ETags)', async () => {
      const other = await open(table);
      const meeting = { tenantId: TENANT_ID, meetingId: MEETING_ID };
      const start = new Date(at('09:00:00.000'));
      assert.equal(await store.tryAcquireLease(meeting, 'roster-sampler', 'gone', 30_000, start), true);
      const afterExpiry = new Date(start.getTime() + 60_000);
      const takeovers = await Promise.all(
        ['a', 'b', 'c', 'd'].map((holder, index) => (index % 2 ? other : store).tryAcquireLease(meeting, 'roster-sampler', holder, 30_000, afterExpiry)),
      );
      assert.equal(takeovers.filter(Boolean).length, 1);
    });

    it('completes work another instance completed already without an error', async () => {
      const meeting = { tenantId: TENANT_ID, meetingId: MEETING_ID };
      await store.scheduleWork({ ...meeting, kind: 'reconcile-call-records', dueAt: at('09:40:00.000'), attempts: 0, firstScheduledAt: at('09:30:00.000') });
      await store.completeWork(meeting, 'reconcile-call-records');
      await (await open(table)).completeWork(meeting, 'reconcile-call-records');
      assert.deepEqual(await store.listDueWork('reconcile-call-records', new Date(at('10:00:00.000')), 10), []);
    });

    it('writes a batch larger than one transaction (100 rows) completely, and skips all of it when it comes again', async () => {
      const batch = Array.from({ length: 120 }, (_, index) => joined(person(`p${index}`), at('09:03:00.000'), { activityId: `bulk-${index}` }));
      assert.deepEqual(await store.appendEvents(batch), { added: 120 });
      assert.deepEqual(await store.appendEvents(batch), { added: 0 });
      assert.equal((await store.readEvents({ tenantId: TENANT_ID, meetingId: MEETING_ID })).length, 120);
    });

    it('skips repeats inside one batch instead of failing the transaction', async () => {
      const fact = joined(ana, at('09:04:00.000'), { activityId: 'twice' });
      const sameDeliveryLater = joined(ana, at('09:04:01.000'), { activityId: 'twice' });
      assert.deepEqual(await store.appendEvents([fact, fact, sameDeliveryLater]), { added: 1 });
    });

    it('refuses an event too large for a table property (400 BadActivity) and stores nothing of its batch', async () => {
      const huge = joined(person('huge', { displayName: 'x'.repeat(MAX_EVENT_JSON_CHARS) }), at('09:05:00.000'));
      const small = joined(ana, at('09:05:00.000'));
      await assert.rejects(store.appendEvents([small, huge]), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.status, 400);
        assert.match(error.message, /characters of JSON, more than the 32768/);
        return true;
      });
      assert.equal((await store.readEvents({ tenantId: TENANT_ID, meetingId: MEETING_ID })).length, 0);
    });

    it('leaves no row of a deleted meeting: its partition, its pending work and its activity row', async () => {
      const meeting = { tenantId: TENANT_ID, meetingId: MEETING_ID };
      const other = { tenantId: TENANT_ID, meetingId: 'MCMxb3RoZXI=' };
      for (const key of [meeting, other]) {
        await store.appendEvents([joined(ana, at('09:00:00.000'), { ...key, activityId: `a-${key.meetingId}` })]);
        await store.saveMeeting({ ...key, title: 'Physics 101' });
        await store.scheduleWork({ ...key, kind: 'reconcile-call-records', dueAt: at('09:40:00.000'), attempts: 0, firstScheduledAt: at('09:30:00.000') });
      }
      const rowsNaming = async (meetingId: string) => {
        const found: string[] = [];
        for await (const row of azurite.table(table).listEntities()) {
          if (`${row.partitionKey}/${row.rowKey}`.includes(meetingId)) found.push(`${row.partitionKey}/${row.rowKey}`);
        }
        return found;
      };
      assert.ok((await rowsNaming(MEETING_ID)).length >= 5, 'event, delivery marker, record, work and activity rows');
      await store.deleteMeeting(meeting);
      assert.deepEqual(await rowsNaming(MEETING_ID), []);
      assert.ok((await rowsNaming(other.meetingId)).length >= 5, 'the other meeting keeps its rows');
    });

    it('finds the meetings stored before activity rows existed, by their record\'s last change, once per table', async () => {
      const legacy = { tenantId: TENANT_ID, meetingId: 'MCMxbGVnYWN5' };
      // As the previous version wrote it: the meeting's partition only.
      await azurite.table(table).createEntity({
        partitionKey: partitionKeyFor(legacy),
        rowKey: 'meeting',
        body: JSON.stringify({ ...legacy, title: 'Before retention existed' }),
      });
      const idle = await store.listMeetingsIdleSince(new Date(Date.now() + 60_000), 10);
      assert.deepEqual(idle, [legacy]);
      assert.deepEqual(await store.listMeetingsIdleSince(new Date(Date.now() - 3_600_000), 10), [], 'dated by its Timestamp, i.e. now');
      await azurite.table(table).createEntity({ partitionKey: partitionKeyFor({ ...legacy, meetingId: 'later' }), rowKey: 'meeting', body: '{}' });
      assert.deepEqual(await (await open(table)).listMeetingsIdleSince(new Date(Date.now() + 60_000), 10), [legacy], 'backfilled once only');
    });

    it('reports itself unavailable, without naming the account key, when its table is gone', async () => {
      await azurite.table(table).deleteTable();
      const health = await store.health();
      assert.equal(health.ok, false);
      assert.equal(health.kind, 'azure-tables');
      assert.doesNotMatch(JSON.stringify(health), /AccountKey|Eby8vd/);
      await azurite.table(table).createTable(); // for afterEach
    });
  });
});
