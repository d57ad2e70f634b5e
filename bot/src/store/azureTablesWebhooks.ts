/**
 * The webhook outbox in Azure Table Storage (layout: webhookKeys in azureTablesKeys.ts). A delivery row is
 * created only if absent (409: stored already, by a redelivery or another instance), so enqueueing is idempotent.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { webhookKeys } from './azureTablesKeys.js';
import { hasStatus } from './azureTablesStatus.js';
import type { MeetingKey } from './store.js';
import type { WebhookDelivery } from './webhookOutbox.js';

interface DeliveryRow {
  tenantId: string;
  meetingId: string;
  status: string;
  /** ISO 8601 in UTC, so that comparing strings compares instants; empty once no attempt is due. */
  nextAttemptAt: string;
  createdAt: string;
  body: string;
}

export class WebhookDeliveryRows {
  constructor(private readonly client: TableClient) {}

  async enqueue(deliveries: readonly WebhookDelivery[]): Promise<{ added: number }> {
    const created = await Promise.all(deliveries.map((delivery) => this.createIfAbsent(delivery)));
    return { added: created.filter(Boolean).length };
  }

  async get(messageId: string, endpointId: string): Promise<WebhookDelivery | undefined> {
    try {
      const row = await this.client.getEntity<DeliveryRow>(webhookKeys.deliveries, webhookKeys.delivery(messageId, endpointId));
      return deliveryOf(row);
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Reads every due row and sorts here: the service returns rows in key order only. */
  async listDue(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const due = await this.query(
      odata`PartitionKey eq ${webhookKeys.deliveries} and status eq ${'pending'} and nextAttemptAt le ${now.toISOString()}`,
    );
    due.sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt));
    return due.slice(0, limit).map(deliveryOf);
  }

  async update(delivery: WebhookDelivery): Promise<void> {
    await this.client.upsertEntity(rowOf(delivery), 'Replace');
  }

  async listForTenant(tenantId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.query(odata`PartitionKey eq ${webhookKeys.deliveries} and tenantId eq ${tenantId}`);
    rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return rows.slice(0, limit).map(deliveryOf);
  }

  async prune(cutoff: Date): Promise<number> {
    const old = await this.query(odata`PartitionKey eq ${webhookKeys.deliveries} and createdAt lt ${cutoff.toISOString()}`);
    await Promise.all(old.map((row) => this.deleteIfPresent(deliveryOf(row))));
    return old.length;
  }

  async deleteMeeting(meeting: MeetingKey): Promise<void> {
    const rows = await this.query(
      odata`PartitionKey eq ${webhookKeys.deliveries} and tenantId eq ${meeting.tenantId} and meetingId eq ${meeting.meetingId}`,
    );
    await Promise.all(rows.map((row) => this.deleteIfPresent(deliveryOf(row))));
  }

  async disableEndpoint(endpointKey: string, reason: string, at: Date): Promise<void> {
    await this.client.upsertEntity(
      {
        partitionKey: webhookKeys.disabledEndpoints,
        rowKey: webhookKeys.disabledEndpoint(endpointKey),
        endpointKey,
        reason,
        disabledAt: at.toISOString(),
      },
      'Replace',
    );
  }

  async listDisabledEndpoints(): Promise<string[]> {
    const keys: string[] = [];
    const rows = this.client.listEntities<{ endpointKey: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${webhookKeys.disabledEndpoints}`, select: ['endpointKey'] },
    });
    for await (const row of rows) keys.push(row.endpointKey);
    return keys;
  }

  private async createIfAbsent(delivery: WebhookDelivery): Promise<boolean> {
    try {
      await this.client.createEntity(rowOf(delivery));
      return true;
    } catch (error) {
      if (hasStatus(error, 409)) return false;
      throw error;
    }
  }

  private async deleteIfPresent(delivery: WebhookDelivery): Promise<void> {
    try {
      await this.client.deleteEntity(webhookKeys.deliveries, webhookKeys.delivery(delivery.messageId, delivery.endpointId));
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
    }
  }

  private async query(filter: string): Promise<DeliveryRow[]> {
    const rows: DeliveryRow[] = [];
    for await (const row of this.client.listEntities<DeliveryRow>({ queryOptions: { filter } })) rows.push(row);
    return rows;
  }
}

function rowOf(delivery: WebhookDelivery): DeliveryRow & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: webhookKeys.deliveries,
    rowKey: webhookKeys.delivery(delivery.messageId, delivery.endpointId),
    tenantId: delivery.tenantId,
    meetingId: delivery.meetingId,
    status: delivery.status,
    nextAttemptAt: delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toISOString() : '',
    createdAt: new Date(delivery.createdAt).toISOString(),
    body: JSON.stringify(delivery),
  };
}

function deliveryOf(row: DeliveryRow): WebhookDelivery {
  return JSON.parse(row.body) as WebhookDelivery;
}
