/**
 * The people directory in Azure Table Storage: one partition per tenant, a row per lookup key (the object id,
 * the UPN, the e-mail), so a person is one point read; each row says when it was last saved (`lastSeenAt`),
 * so retention finds the old ones with one query over the people partitions.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { activityKeys, indexKeys, PEOPLE_PARTITIONS_FROM, PEOPLE_PARTITIONS_UNTIL } from './azureTablesKeys.js';
import { hasStatus, rowExists } from './azureTablesStatus.js';
import { mergeDefined, personKey, personLookupKeys, type PersonRecord } from './store.js';

interface PersonRow {
  /** The person without `lastSeenAt`, as JSON. */
  body: string;
  /** ISO 8601 in UTC, so that comparing strings compares instants. Absent on rows written before it existed. */
  lastSeenAt?: string;
}

export class PeopleDirectory {
  private backfilled = false;

  constructor(
    private readonly client: TableClient,
    private readonly clock: () => Date,
  ) {}

  /** Merges into what is known of the person (found by object id), then writes a row under each lookup key, dated now. */
  async save(person: PersonRecord): Promise<void> {
    const known = await this.find(person.tenantId, person.id);
    const { lastSeenAt: _dated, ...merged } = known ? mergeDefined(known, person) : person;
    const row = { body: JSON.stringify(merged), lastSeenAt: this.clock().toISOString() };
    await Promise.all(
      personLookupKeys(merged).map((key) =>
        this.client.upsertEntity<PersonRow>(
          { partitionKey: indexKeys.peoplePartition(person.tenantId), rowKey: indexKeys.personRow(key), ...row },
          'Replace',
        ),
      ),
    );
  }

  async find(tenantId: string, idOrUpn: string): Promise<PersonRecord | undefined> {
    try {
      const row = await this.client.getEntity<PersonRow>(indexKeys.peoplePartition(tenantId), indexKeys.personRow(personKey(idOrUpn)));
      return { ...(JSON.parse(row.body) as PersonRecord), lastSeenAt: row.lastSeenAt ?? isoOf(row.timestamp, this.clock()) };
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /**
   * Deletes up to `limit` rows last saved before `cutoff`, each only if unchanged since it was listed (its ETag),
   * so a person saved again meanwhile is kept.
   */
  async deleteSeenBefore(cutoff: Date, limit: number): Promise<number> {
    await this.backfillOnce();
    const rows = this.client.listEntities<PersonRow>({
      queryOptions: {
        filter: odata`PartitionKey ge ${PEOPLE_PARTITIONS_FROM} and PartitionKey lt ${PEOPLE_PARTITIONS_UNTIL} and lastSeenAt lt ${cutoff.toISOString()}`,
        select: ['partitionKey', 'rowKey'],
      },
    });
    const old: { partitionKey: string; rowKey: string; etag: string }[] = [];
    for await (const row of rows) {
      if (old.length >= limit) break;
      old.push({ partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', etag: row.etag });
    }
    let deleted = 0;
    for (const row of old) {
      try {
        await this.client.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag });
        deleted += 1;
      } catch (error) {
        if (!hasStatus(error, 404) && !hasStatus(error, 412)) throw error;
      }
    }
    return deleted;
  }

  /**
   * Rows written before `lastSeenAt` existed get it, dated by their last write (the service's Timestamp), once per
   * table: a marker row says it is done. Each only if unchanged (its ETag), so a newer save wins.
   */
  private async backfillOnce(): Promise<void> {
    if (this.backfilled) return;
    if (!(await rowExists(this.client, activityKeys.partition, activityKeys.peopleBackfilledMarker))) {
      const rows = this.client.listEntities<PersonRow>({
        queryOptions: {
          filter: odata`PartitionKey ge ${PEOPLE_PARTITIONS_FROM} and PartitionKey lt ${PEOPLE_PARTITIONS_UNTIL}`,
          select: ['partitionKey', 'rowKey', 'lastSeenAt', 'timestamp'],
        },
      });
      for await (const row of rows) {
        if (row.lastSeenAt !== undefined) continue;
        const entity = { partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', lastSeenAt: isoOf(row.timestamp, this.clock()) };
        try {
          await this.client.updateEntity(entity, 'Merge', { etag: row.etag });
        } catch (error) {
          if (!hasStatus(error, 404) && !hasStatus(error, 412)) throw error;
        }
      }
      try {
        await this.client.createEntity({ partitionKey: activityKeys.partition, rowKey: activityKeys.peopleBackfilledMarker, at: this.clock().toISOString() });
      } catch (error) {
        if (!hasStatus(error, 409)) throw error;
      }
    }
    this.backfilled = true;
  }
}

/** The service's Timestamp (a string in the SDK's entities) as ISO 8601, or `fallback` when there is none. */
function isoOf(timestamp: string | undefined, fallback: Date): string {
  return (timestamp ? new Date(timestamp) : fallback).toISOString();
}
