/**
 * The indexes of a tenant's meetings in Azure Table Storage (keys in azureTablesKeys.ts): a meeting found by
 * any of its ids with one point read, and the listing of meetings by time (of the tenant, or of one organizer)
 * as one range query (the people: azureTablesPeople.ts). Index rows are written before the record they point
 * to; a row left behind by a crash is recognised on reading (its record says otherwise).
 */
import { odata, type TableClient } from '@azure/data-tables';
import { meetingAliases, type MeetingAlias } from '../attendance/meetingIds.js';
import { indexKeys } from './azureTablesKeys.js';
import { hasStatus } from './azureTablesStatus.js';
import {
  type MeetingKey,
  type MeetingListPage,
  type MeetingListQuery,
  type MeetingRecord,
} from './store.js';

interface AliasRow {
  meetingId: string;
}

interface ListingRow {
  meetingId: string;
}

interface Row {
  partitionKey: string;
  rowKey: string;
}

export class MeetingIndexes {
  constructor(
    private readonly client: TableClient,
    private readonly getMeeting: (meeting: MeetingKey) => Promise<MeetingRecord | undefined>,
  ) {}

  /** Writes the entries `merged` has and `base` had not. */
  async add(base: MeetingRecord | undefined, merged: MeetingRecord): Promise<void> {
    const before = new Set(base ? this.entriesOf(base).map(rowId) : []);
    const added = this.entriesOf(merged).filter((entry) => !before.has(rowId(entry)));
    await Promise.all(added.map((entry) => this.client.upsertEntity({ ...entry, meetingId: merged.meetingId }, 'Replace')));
  }

  /** Removes the listing entries `base` had and `merged` has not (an alias stays: it still names the meeting). */
  async removeStale(base: MeetingRecord | undefined, merged: MeetingRecord): Promise<void> {
    if (!base) return;
    const now = new Set(this.listingRows(merged).map(rowId));
    await Promise.all(this.listingRows(base).filter((row) => !now.has(rowId(row))).map((row) => this.deleteIfPresent(row)));
  }

  /** Removes every entry of the record: the aliases still pointing to it, and its listing rows. */
  async remove(record: MeetingRecord): Promise<void> {
    for (const row of this.aliasRows(record)) {
      const current = await this.read<AliasRow>(row);
      if (current?.meetingId === record.meetingId) await this.deleteIfPresent(row);
    }
    await Promise.all(this.listingRows(record).map((row) => this.deleteIfPresent(row)));
  }

  async findByAlias(tenantId: string, alias: MeetingAlias): Promise<MeetingKey | undefined> {
    const row = await this.read<AliasRow>({ partitionKey: indexKeys.aliasPartition(tenantId), rowKey: indexKeys.aliasRow(alias.kind, alias.value) });
    return row ? { tenantId, meetingId: row.meetingId } : undefined;
  }

  /**
   * One range of the listing partition, from the cursor (the last row key returned) on; each row's record is
   * read and a row its record no longer matches (left by a crash, or the meeting deleted) is skipped.
   */
  async list(query: MeetingListQuery): Promise<MeetingListPage> {
    const partitionKey = indexKeys.listingPartition(query.tenantId, query.organizerAadObjectId);
    const conditions = [odata`PartitionKey eq ${partitionKey}`];
    if (query.until !== undefined) conditions.push(odata`RowKey ge ${indexKeys.listingFrom(query.until)}`);
    if (query.since !== undefined) conditions.push(odata`RowKey lt ${indexKeys.listingUntil(query.since)}`);
    if (query.cursor !== undefined) conditions.push(odata`RowKey gt ${query.cursor}`);
    const rows = this.client.listEntities<ListingRow>({ queryOptions: { filter: conditions.join(' and '), select: ['meetingId', 'rowKey'] } });
    const meetings: MeetingRecord[] = [];
    let lastRowKey: string | undefined;
    for await (const row of rows) {
      const record = await this.getMeeting({ tenantId: query.tenantId, meetingId: row.meetingId });
      if (!record || !this.listingRows(record).some((expected) => expected.partitionKey === partitionKey && expected.rowKey === row.rowKey)) continue;
      if (meetings.length === query.limit) return { meetings, ...(lastRowKey ? { cursor: lastRowKey } : {}) };
      meetings.push(record);
      lastRowKey = row.rowKey;
    }
    return { meetings };
  }

  private entriesOf(record: MeetingRecord): Row[] {
    return [...this.aliasRows(record), ...this.listingRows(record)];
  }

  private aliasRows(record: MeetingRecord): Row[] {
    return meetingAliases(record).map((alias) => ({
      partitionKey: indexKeys.aliasPartition(record.tenantId),
      rowKey: indexKeys.aliasRow(alias.kind, alias.value),
    }));
  }

  private listingRows(record: MeetingRecord): Row[] {
    if (!record.trackingSince) return [];
    const rowKey = indexKeys.listingRow(record.trackingSince, record.meetingId);
    const rows = [{ partitionKey: indexKeys.listingPartition(record.tenantId), rowKey }];
    if (record.organizerAadObjectId) rows.push({ partitionKey: indexKeys.listingPartition(record.tenantId, record.organizerAadObjectId), rowKey });
    return rows;
  }

  private async read<T extends object>(row: Row): Promise<T | undefined> {
    try {
      return await this.client.getEntity<T>(row.partitionKey, row.rowKey);
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  private async deleteIfPresent(row: Row): Promise<void> {
    try {
      await this.client.deleteEntity(row.partitionKey, row.rowKey);
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
    }
  }
}

function rowId(row: Row): string {
  return `${row.partitionKey}\n${row.rowKey}`;
}
