/**
 * The register's rows in Azure Table Storage: roster facts and corrections in the meeting's partition (created,
 * never replaced), the rule as one row there, and each chat's meetings in a partition of their own.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { Correction } from '../attendance/corrections.js';
import { rosterFactKey, type RosterFact } from '../attendance/roster.js';
import type { RuleChange } from '../attendance/rule.js';
import type { Row } from './azureTablesEventRows.js';
import {
  AFTER_CORRECTIONS,
  AFTER_ROSTER,
  chatKeys,
  CORRECTION_PREFIX,
  partitionKeyFor,
  ROSTER_PREFIX,
  rowKeys,
} from './azureTablesKeys.js';
import { hasStatus } from './azureTablesStatus.js';
import type { MeetingKey } from './store.js';

/** The service's limit for one transaction (which must also stay within one partition). */
const MAX_ROWS_PER_TRANSACTION = 100;

interface BodyRow {
  body: string;
}

interface ChatMeetingRow {
  tenantId: string;
  meetingId: string;
}

export class RegisterRows {
  constructor(private readonly client: TableClient) {}

  /** In transactions per meeting; a transaction refused because a fact exists (409) is redone fact by fact. */
  async appendRosterFacts(facts: readonly RosterFact[]): Promise<number> {
    const byPartition = new Map<string, Map<string, Row>>();
    for (const fact of facts) {
      const partitionKey = partitionKeyFor(fact);
      const rows = byPartition.get(partitionKey) ?? new Map<string, Row>();
      const rowKey = rowKeys.roster(rosterFactKey(fact));
      if (!rows.has(rowKey)) rows.set(rowKey, { partitionKey, rowKey, body: JSON.stringify(fact) });
      byPartition.set(partitionKey, rows);
    }
    let added = 0;
    for (const rows of byPartition.values()) {
      const all = [...rows.values()];
      for (let start = 0; start < all.length; start += MAX_ROWS_PER_TRANSACTION) added += await this.createAll(all.slice(start, start + MAX_ROWS_PER_TRANSACTION));
    }
    return added;
  }

  readRoster(meeting: MeetingKey): Promise<RosterFact[]> {
    return this.bodiesBetween<RosterFact>(meeting, ROSTER_PREFIX, AFTER_ROSTER);
  }

  async saveRule(meeting: MeetingKey, change: RuleChange): Promise<void> {
    await this.client.upsertEntity({ partitionKey: partitionKeyFor(meeting), rowKey: rowKeys.rule, body: JSON.stringify(change) }, 'Replace');
  }

  async getRule(meeting: MeetingKey): Promise<RuleChange | undefined> {
    try {
      const row = await this.client.getEntity<BodyRow>(partitionKeyFor(meeting), rowKeys.rule);
      return JSON.parse(row.body) as RuleChange;
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async appendCorrection(correction: Correction): Promise<boolean> {
    return (
      (await this.createAll([{ partitionKey: partitionKeyFor(correction), rowKey: rowKeys.correction(correction.id), body: JSON.stringify(correction) }])) === 1
    );
  }

  readCorrections(meeting: MeetingKey): Promise<Correction[]> {
    return this.bodiesBetween<Correction>(meeting, CORRECTION_PREFIX, AFTER_CORRECTIONS);
  }

  /** Lists the meeting among its chat's meetings (again: an upsert of the same row). */
  async linkChat(meeting: MeetingKey, chatId: string): Promise<void> {
    await this.client.upsertEntity<ChatMeetingRow>(
      { partitionKey: chatKeys.partition(meeting.tenantId, chatId), rowKey: chatKeys.row(meeting.meetingId), tenantId: meeting.tenantId, meetingId: meeting.meetingId },
      'Replace',
    );
  }

  async unlinkChat(meeting: MeetingKey, chatId: string): Promise<void> {
    try {
      await this.client.deleteEntity(chatKeys.partition(meeting.tenantId, chatId), chatKeys.row(meeting.meetingId));
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
    }
  }

  async listChatMeetings(tenantId: string, chatId: string): Promise<MeetingKey[]> {
    const rows = this.client.listEntities<ChatMeetingRow>({
      queryOptions: { filter: odata`PartitionKey eq ${chatKeys.partition(tenantId, chatId)}`, select: ['tenantId', 'meetingId'] },
    });
    const meetings: MeetingKey[] = [];
    for await (const row of rows) meetings.push({ tenantId: row.tenantId, meetingId: row.meetingId });
    return meetings;
  }

  private async bodiesBetween<T>(meeting: MeetingKey, from: string, until: string): Promise<T[]> {
    const rows = this.client.listEntities<BodyRow>({
      queryOptions: { filter: odata`PartitionKey eq ${partitionKeyFor(meeting)} and RowKey ge ${from} and RowKey lt ${until}`, select: ['body'] },
    });
    const bodies: T[] = [];
    for await (const row of rows) bodies.push(JSON.parse(row.body) as T);
    return bodies;
  }

  /** Creates the rows (one partition) together; when one exists already, each on its own. Returns how many were created. */
  private async createAll(rows: Row[]): Promise<number> {
    if (await this.createIfAbsent(rows)) return rows.length;
    if (rows.length === 1) return 0;
    const created = await Promise.all(rows.map((row) => this.createIfAbsent([row])));
    return created.filter(Boolean).length;
  }

  private async createIfAbsent(rows: Row[]): Promise<boolean> {
    try {
      await this.client.submitTransaction(rows.map((row): TransactionAction => ['create', row]));
      return true;
    } catch (error) {
      if (hasStatus(error, 409)) return false;
      throw error;
    }
  }
}
