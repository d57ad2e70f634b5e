/**
 * The store for several instances: Azure Table Storage (or Azure Cosmos DB for Table, same API) through
 * @azure/data-tables. Uniqueness comes from the service (creating a row that exists answers 409), and every
 * read-modify-write uses the row's ETag, so instances sharing a table never need to coordinate otherwise.
 * Row layout: azureTablesKeys.ts; how a batch of events becomes transactions: azureTablesEventRows.ts; each
 * meeting's last activity and deleting a meeting: azureTablesRetention.ts; the aliases, people and listings
 * of a tenant's meetings: azureTablesIndexes.ts.
 */
import { randomUUID } from 'node:crypto';
import { odata, RestError, TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import type { Correction } from '../attendance/corrections.js';
import type { AttendanceEvent } from '../attendance/events.js';
import type { MeetingAlias } from '../attendance/meetingIds.js';
import type { RosterFact } from '../attendance/roster.js';
import type { RuleChange } from '../attendance/rule.js';
import type { AzureTablesSetting } from '../config.js';
import { eventTransactions, type EventRows, type Row } from './azureTablesEventRows.js';
import { AFTER_EVENTS, AFTER_MARKS, EVENT_PREFIX, MARK_PREFIX, partitionKeyFor, rowKeys, workKeys } from './azureTablesKeys.js';
import { MeetingIndexes } from './azureTablesIndexes.js';
import { PeopleDirectory } from './azureTablesPeople.js';
import { RegisterRows } from './azureTablesRegister.js';
import { MeetingActivity } from './azureTablesRetention.js';
import { hasStatus } from './azureTablesStatus.js';
import { WebhookDeliveryRows } from './azureTablesWebhooks.js';
import {
  mergeMeeting,
  type AttendanceStore,
  type MeetingKey,
  type MeetingListPage,
  type MeetingListQuery,
  type MeetingRecord,
  type PendingWork,
  type PersonRecord,
  type StoreHealth,
  type WriteMarks,
} from './store.js';
import type { WebhookDelivery } from './webhookOutbox.js';

/** Read-modify-write attempts before giving up when other instances keep changing the same row. */
const MAX_ATTEMPTS = 10;
const HEALTH_TIMEOUT_MS = 5000;

interface BodyRow {
  body: string;
}

interface WorkRow extends BodyRow {
  /** ISO 8601 in UTC, so that comparing strings compares instants. */
  dueAt: string;
}

interface MarkRow {
  /** The writer id, as it is (the row key holds it escaped, and maybe shortened). */
  writer: string;
  mark: string;
}

interface LeaseRow {
  holder: string;
  /** ISO 8601: a plain JSON number this large would leave its Edm type (Int32, Int64, Double) to the service. */
  expiresAt: string;
}

export class AzureTablesStore implements AttendanceStore {
  private readonly activity: MeetingActivity;
  private readonly indexes: MeetingIndexes;
  private readonly people: PeopleDirectory;
  private readonly webhooks: WebhookDeliveryRows;
  readonly writerId = randomUUID();
  /** This writer's marks count up: a value is never given twice. */
  private lastMark = 0;
  private readonly register: RegisterRows;

  private constructor(
    private readonly client: TableClient,
    private readonly clock: () => Date,
  ) {
    this.activity = new MeetingActivity(client, clock);
    this.indexes = new MeetingIndexes(client, (meeting) => this.getMeeting(meeting));
    this.people = new PeopleDirectory(client, clock);
    this.webhooks = new WebhookDeliveryRows(client);
    this.register = new RegisterRows(client);
  }

  /**
   * Connects and creates the table when it is missing. `clock`: the time recorded as each meeting's last
   * activity (and as claims' time, and as when each person was last seen).
   */
  static async open(setting: AzureTablesSetting, clock: () => Date = () => new Date()): Promise<AzureTablesStore> {
    const client = setting.connectionString
      ? TableClient.fromConnectionString(setting.connectionString, setting.table, {
          // Plain HTTP is only ever the local emulator: config.ts refuses it anywhere but loopback.
          allowInsecureConnection: setting.endpoint.startsWith('http:'),
        })
      : new TableClient(setting.endpoint, setting.table, new DefaultAzureCredential());
    await client.createTable(); // an existing table (409 TableAlreadyExists) is success for the SDK
    return new AzureTablesStore(client, clock);
  }

  /**
   * All or none per meeting, in transactions of up to 50 events. When some of the events are stored already
   * (a redelivery, or another instance got there first) the transaction fails as a whole with 409, and each
   * of the others is then stored on its own, its event row and delivery marker still in one transaction.
   */
  async appendEvents(events: readonly AttendanceEvent[]): Promise<{ added: number }> {
    const transactions = eventTransactions(events); // refuses an event too large before anything is written
    await this.activity.touch(events);
    let added = 0;
    for (const transaction of transactions) added += await this.createAll(transaction);
    return { added };
  }

  private async createAll(chunk: EventRows[]): Promise<number> {
    if (await this.createIfAbsent(chunk.flat())) return chunk.length;
    if (chunk.length === 1) return 0;
    const created = await Promise.all(chunk.map((rows) => this.createIfAbsent(rows)));
    return created.filter(Boolean).length;
  }

  /**
   * Creates the rows in one transaction, with this writer's new mark on their meeting (events only); false when
   * one of them exists already.
   */
  private async createIfAbsent(rows: Row[], marked = true): Promise<boolean> {
    const actions = rows.map((row): TransactionAction => ['create', row]);
    if (marked && rows[0]) actions.push(this.markAction(rows[0].partitionKey));
    try {
      await this.client.submitTransaction(actions);
      return true;
    } catch (error) {
      if (hasStatus(error, 409)) return false;
      throw error;
    }
  }

  /** Replaces this writer's mark on a meeting with a value it never had: part of the transaction of a write. */
  private markAction(partitionKey: string): TransactionAction {
    this.lastMark += 1;
    const row: Row & MarkRow = { partitionKey, rowKey: rowKeys.mark(this.writerId), writer: this.writerId, mark: String(this.lastMark) };
    return ['upsert', row, 'Replace'];
  }

  async writeMarks(meeting: MeetingKey): Promise<WriteMarks> {
    const rows = this.client.listEntities<MarkRow>({
      queryOptions: {
        filter: odata`PartitionKey eq ${partitionKeyFor(meeting)} and RowKey ge ${MARK_PREFIX} and RowKey lt ${AFTER_MARKS}`,
        select: ['writer', 'mark'],
      },
    });
    const marks: Record<string, string> = {};
    for await (const row of rows) marks[row.writer] = row.mark;
    return marks;
  }

  async readEvents(meeting: MeetingKey): Promise<AttendanceEvent[]> {
    const rows = this.client.listEntities<BodyRow>({
      queryOptions: {
        filter: odata`PartitionKey eq ${partitionKeyFor(meeting)} and RowKey ge ${EVENT_PREFIX} and RowKey lt ${AFTER_EVENTS}`,
        select: ['body'],
      },
    });
    const events: AttendanceEvent[] = [];
    for await (const row of rows) events.push(JSON.parse(row.body) as AttendanceEvent);
    return events;
  }

  /**
   * The record's new index entries are written before the record, so a saved record is always indexed; the
   * entries it no longer has are removed after it (readers skip any left behind by a crash in between).
   */
  async saveMeeting(update: MeetingRecord): Promise<MeetingRecord> {
    const partitionKey = partitionKeyFor(update);
    await this.activity.touch([update]);
    const { base, merged } = await this.retryOnConflict(async () => {
      const current = await this.readRow<BodyRow>(partitionKey, rowKeys.meeting);
      const base: MeetingRecord | undefined = current ? (JSON.parse(current.body) as MeetingRecord) : undefined;
      const merged = mergeMeeting(base ?? { tenantId: update.tenantId, meetingId: update.meetingId }, update);
      await this.indexes.add(base, merged);
      const row = { partitionKey, rowKey: rowKeys.meeting, body: JSON.stringify(merged) };
      const write: TransactionAction = current ? ['update', row, 'Replace', { etag: current.etag }] : ['create', row];
      await this.client.submitTransaction([write, this.markAction(partitionKey)]);
      return { base, merged };
    });
    await this.indexes.removeStale(base, merged);
    if (merged.chatId && update.chatId) await this.register.linkChat(merged, merged.chatId);
    return merged;
  }

  async getMeeting(meeting: MeetingKey): Promise<MeetingRecord | undefined> {
    const row = await this.readRow<BodyRow>(partitionKeyFor(meeting), rowKeys.meeting);
    return row ? (JSON.parse(row.body) as MeetingRecord) : undefined;
  }

  findMeetingByAlias(tenantId: string, alias: MeetingAlias): Promise<MeetingKey | undefined> {
    return this.indexes.findByAlias(tenantId, alias);
  }

  listMeetings(query: MeetingListQuery): Promise<MeetingListPage> {
    return this.indexes.list(query);
  }

  async savePeople(people: readonly PersonRecord[]): Promise<void> {
    for (const person of people) await this.retryOnConflict(() => this.people.save(person));
  }

  findPerson(tenantId: string, idOrUpn: string): Promise<PersonRecord | undefined> {
    return this.people.find(tenantId, idOrUpn);
  }

  deletePeopleSeenBefore(cutoff: Date, limit: number): Promise<number> {
    return this.people.deleteSeenBefore(cutoff, limit);
  }

  async claimOnce(meeting: MeetingKey, action: string): Promise<boolean> {
    const claim = { partitionKey: partitionKeyFor(meeting), rowKey: rowKeys.claim(action), claimedAt: this.clock().toISOString() };
    return this.createIfAbsent([claim], false);
  }

  async hasClaim(meeting: MeetingKey, action: string): Promise<boolean> {
    return (await this.readRow(partitionKeyFor(meeting), rowKeys.claim(action))) !== undefined;
  }

  async tryAcquireLease(meeting: MeetingKey, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const lease: Row & LeaseRow = {
      partitionKey: partitionKeyFor(meeting),
      rowKey: rowKeys.lease(name),
      holder,
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    return this.retryOnConflict(async () => {
      const current = await this.readRow<LeaseRow>(lease.partitionKey, lease.rowKey);
      if (!current) {
        await this.client.createEntity(lease);
        return true;
      }
      if (current.holder !== holder && Date.parse(current.expiresAt) > now.getTime()) return false;
      await this.client.updateEntity(lease, 'Replace', { etag: current.etag });
      return true;
    });
  }

  async releaseLease(meeting: MeetingKey, name: string, holder: string): Promise<void> {
    const partitionKey = partitionKeyFor(meeting);
    const rowKey = rowKeys.lease(name);
    await this.retryOnConflict(async () => {
      const current = await this.readRow<LeaseRow>(partitionKey, rowKey);
      if (current?.holder !== holder) return;
      await this.client.deleteEntity(partitionKey, rowKey, { etag: current.etag });
    });
  }

  async scheduleWork(work: PendingWork): Promise<void> {
    const row: Row & WorkRow = {
      partitionKey: workKeys.partition(work.kind),
      rowKey: workKeys.row(work),
      dueAt: new Date(work.dueAt).toISOString(),
      body: JSON.stringify(work),
    };
    await this.client.upsertEntity(row, 'Replace');
  }

  /** Reads every due item of the kind and sorts here: the service returns rows in key order only. */
  async listDueWork(kind: string, now: Date, limit: number): Promise<PendingWork[]> {
    const rows = this.client.listEntities<WorkRow>({
      queryOptions: {
        filter: odata`PartitionKey eq ${workKeys.partition(kind)} and dueAt le ${now.toISOString()}`,
        select: ['body', 'dueAt'],
      },
    });
    const due: WorkRow[] = [];
    for await (const row of rows) due.push(row);
    due.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    return due.slice(0, limit).map((row) => JSON.parse(row.body) as PendingWork);
  }

  async getWork(meeting: MeetingKey, kind: string): Promise<PendingWork | undefined> {
    const row = await this.readRow<WorkRow>(workKeys.partition(kind), workKeys.row(meeting));
    return row ? (JSON.parse(row.body) as PendingWork) : undefined;
  }

  async completeWork(meeting: MeetingKey, kind: string): Promise<void> {
    try {
      await this.client.deleteEntity(workKeys.partition(kind), workKeys.row(meeting));
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
    }
  }

  /**
   * Its deliveries, index entries and place in its chat's meetings first: the index entries and the chat are
   * found from the record, which goes with the meeting's partition, and the activity row, deleted last, keeps an
   * interrupted deletion listed to be done again.
   */
  async deleteMeeting(meeting: MeetingKey): Promise<void> {
    await this.webhooks.deleteMeeting(meeting);
    const record = await this.getMeeting(meeting);
    if (record) await this.indexes.remove(record);
    if (record?.chatId) await this.register.unlinkChat(meeting, record.chatId);
    await this.activity.deleteMeeting(meeting);
  }

  async appendRosterFacts(facts: readonly RosterFact[]): Promise<{ added: number }> {
    await this.activity.touch(facts);
    return { added: await this.register.appendRosterFacts(facts) };
  }

  readRoster(meeting: MeetingKey): Promise<RosterFact[]> {
    return this.register.readRoster(meeting);
  }

  async saveRule(meeting: MeetingKey, change: RuleChange): Promise<void> {
    await this.activity.touch([meeting]);
    await this.register.saveRule(meeting, change);
  }

  getRule(meeting: MeetingKey): Promise<RuleChange | undefined> {
    return this.register.getRule(meeting);
  }

  async appendCorrection(correction: Correction): Promise<boolean> {
    await this.activity.touch([correction]);
    return this.register.appendCorrection(correction);
  }

  readCorrections(meeting: MeetingKey): Promise<Correction[]> {
    return this.register.readCorrections(meeting);
  }

  listChatMeetings(tenantId: string, chatId: string): Promise<MeetingKey[]> {
    return this.register.listChatMeetings(tenantId, chatId);
  }

  listMeetingsIdleSince(cutoff: Date, limit: number): Promise<MeetingKey[]> {
    return this.activity.listIdleSince(cutoff, limit);
  }

  enqueueDeliveries(deliveries: readonly WebhookDelivery[]): Promise<{ added: number }> {
    return this.webhooks.enqueue(deliveries);
  }

  getDelivery(messageId: string, endpointId: string): Promise<WebhookDelivery | undefined> {
    return this.webhooks.get(messageId, endpointId);
  }

  listDueDeliveries(now: Date, limit: number): Promise<WebhookDelivery[]> {
    return this.webhooks.listDue(now, limit);
  }

  updateDelivery(delivery: WebhookDelivery): Promise<void> {
    return this.webhooks.update(delivery);
  }

  listDeliveries(tenantId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.webhooks.listForTenant(tenantId, limit);
  }

  pruneDeliveries(cutoff: Date): Promise<number> {
    return this.webhooks.prune(cutoff);
  }

  disableEndpoint(endpointKey: string, reason: string, at: Date): Promise<void> {
    return this.webhooks.disableEndpoint(endpointKey, reason, at);
  }

  listDisabledEndpoints(): Promise<string[]> {
    return this.webhooks.listDisabledEndpoints();
  }

  async health(): Promise<StoreHealth> {
    try {
      // One page of a partition no meeting uses: proves the table answers to this identity without reading data.
      await this.client
        .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'health'}` }, abortSignal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) })
        .byPage({ maxPageSize: 1 })
        .next();
      return { ok: true, kind: 'azure-tables' };
    } catch {
      return {
        ok: false,
        kind: 'azure-tables',
        detail: "the table cannot be read; check the storage account, the table and the app identity's access to it",
      };
    }
  }

  /** TableClient holds no connection of its own: its HTTP sockets are pooled by Node and end with the process. */
  async close(): Promise<void> {}

  private async readRow<T extends object>(partitionKey: string, rowKey: string): Promise<TableEntityResult<T> | undefined> {
    try {
      return await this.client.getEntity<T>(partitionKey, rowKey);
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /**
   * Runs a read-then-write again while another instance changed the row in between: its ETag no longer
   * matches (412), it was created meanwhile (409) or deleted meanwhile (404).
   */
  private async retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !(hasStatus(error, 412) || hasStatus(error, 409) || hasStatus(error, 404))) throw error;
      }
    }
  }
}
