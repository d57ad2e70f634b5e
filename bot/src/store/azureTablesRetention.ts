/**
 * What retention and deletion need from Azure Table Storage: each meeting's last activity (a row per meeting
 * in the `activity` partition, written before the meeting's own rows so that no stored meeting lacks one),
 * the idle meetings (one query), and deleting a meeting (its partition, its pending work, its activity row).
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { activityKeys, partitionKeyFor, WORK_PARTITIONS_FROM, WORK_PARTITIONS_UNTIL } from './azureTablesKeys.js';
import { hasStatus, rowExists } from './azureTablesStatus.js';
import type { MeetingKey } from './store.js';

/** The service's limit for one transaction (which must also stay within one partition). */
const MAX_ROWS_PER_TRANSACTION = 100;

interface ActivityRow {
  tenantId: string;
  meetingId: string;
  /** ISO 8601 in UTC, so that comparing strings compares instants. */
  lastActivityAt: string;
}

export class MeetingActivity {
  private backfilled = false;

  constructor(
    private readonly client: TableClient,
    private readonly clock: () => Date,
  ) {}

  /** Records activity of these meetings now. Concurrent writers may land in any order: the times differ by moments. */
  async touch(meetings: readonly MeetingKey[]): Promise<void> {
    const lastActivityAt = this.clock().toISOString();
    await Promise.all(
      distinct(meetings).map((meeting) =>
        this.client.upsertEntity<ActivityRow>(
          {
            partitionKey: activityKeys.partition,
            rowKey: activityKeys.row(meeting),
            tenantId: meeting.tenantId,
            meetingId: meeting.meetingId,
            lastActivityAt,
          },
          'Replace',
        ),
      ),
    );
  }

  async listIdleSince(cutoff: Date, limit: number): Promise<MeetingKey[]> {
    await this.backfillOnce();
    const rows = this.client.listEntities<ActivityRow>({
      queryOptions: {
        filter: odata`PartitionKey eq ${activityKeys.partition} and lastActivityAt lt ${cutoff.toISOString()}`,
        select: ['tenantId', 'meetingId'],
      },
    });
    const idle: MeetingKey[] = [];
    for await (const row of rows) {
      if (idle.length >= limit) break;
      idle.push({ tenantId: row.tenantId, meetingId: row.meetingId });
    }
    return idle;
  }

  /** The meeting's activity row goes last, so an interrupted deletion leaves the meeting listed, to be deleted again. */
  async deleteMeeting(meeting: MeetingKey): Promise<void> {
    await this.deleteRows(partitionKeyFor(meeting), await this.rowKeysOf(odata`PartitionKey eq ${partitionKeyFor(meeting)}`));
    const work = this.client.listEntities({
      queryOptions: {
        filter: odata`PartitionKey ge ${WORK_PARTITIONS_FROM} and PartitionKey lt ${WORK_PARTITIONS_UNTIL} and RowKey eq ${activityKeys.row(meeting)}`,
        select: ['partitionKey', 'rowKey'],
      },
    });
    for await (const row of work) await this.deleteIfPresent(row.partitionKey ?? '', row.rowKey ?? '');
    await this.deleteIfPresent(activityKeys.partition, activityKeys.row(meeting));
  }

  /**
   * Meetings stored before activity rows existed get one, dated by their record's last change (the service's
   * Timestamp), once per table: a marker row says it is done. Created only where missing, so a newer touch wins.
   */
  private async backfillOnce(): Promise<void> {
    if (this.backfilled) return;
    if (!(await rowExists(this.client, activityKeys.partition, activityKeys.backfilledMarker))) {
      const records = this.client.listEntities({
        queryOptions: { filter: odata`RowKey eq ${'meeting'}`, select: ['body', 'timestamp'] },
      });
      for await (const row of records) {
        const meeting = JSON.parse(String(row['body'])) as MeetingKey;
        const lastActivityAt = new Date(row.timestamp ?? this.clock().toISOString()).toISOString();
        await this.createIfAbsent({
          partitionKey: activityKeys.partition,
          rowKey: activityKeys.row(meeting),
          tenantId: meeting.tenantId,
          meetingId: meeting.meetingId,
          lastActivityAt,
        });
      }
      await this.createIfAbsent({ partitionKey: activityKeys.partition, rowKey: activityKeys.backfilledMarker, at: this.clock().toISOString() });
    }
    this.backfilled = true;
  }

  private async rowKeysOf(filter: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const row of this.client.listEntities({ queryOptions: { filter, select: ['rowKey'] } })) keys.push(row.rowKey ?? '');
    return keys;
  }

  /** In transactions of up to 100 rows; if one fails because another writer deleted a row first, row by row. */
  private async deleteRows(partitionKey: string, rowKeys: string[]): Promise<void> {
    for (let start = 0; start < rowKeys.length; start += MAX_ROWS_PER_TRANSACTION) {
      const chunk = rowKeys.slice(start, start + MAX_ROWS_PER_TRANSACTION);
      try {
        await this.client.submitTransaction(chunk.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]));
      } catch (error) {
        if (!hasStatus(error, 404)) throw error;
        for (const rowKey of chunk) await this.deleteIfPresent(partitionKey, rowKey);
      }
    }
  }

  private async deleteIfPresent(partitionKey: string, rowKey: string): Promise<void> {
    try {
      await this.client.deleteEntity(partitionKey, rowKey);
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
    }
  }

  private async createIfAbsent(row: { partitionKey: string; rowKey: string; [property: string]: unknown }): Promise<void> {
    try {
      await this.client.createEntity(row);
    } catch (error) {
      if (!hasStatus(error, 409)) throw error;
    }
  }
}

function distinct(meetings: readonly MeetingKey[]): MeetingKey[] {
  const byKey = new Map(meetings.map((meeting) => [activityKeys.row(meeting), meeting]));
  return [...byKey.values()];
}
