/**
 * The webhook outbox: each signed POST the app owes a receiver, kept in the store from the moment the change
 * it announces is recorded until it is delivered, disabled or given up, and for a while after (so that
 * `GET /api/webhooks/deliveries` can show it). Every store adapter implements this as part of AttendanceStore.
 */
/** pending: due at `nextAttemptAt`; delivered: a 2xx; disabled: the endpoint answered 410 Gone; failed: given up. */
export type DeliveryStatus = 'pending' | 'delivered' | 'disabled' | 'failed';

export interface WebhookDelivery {
  tenantId: string;
  meetingId: string;
  /** The `webhook-id`: the same on every attempt, and for every endpoint, of one event. */
  messageId: string;
  /** Names the endpoint inside the store (a hash of its URL); one delivery per message and endpoint. */
  endpointId: string;
  endpointUrl: string;
  /** attendanceReport.created or attendanceReport.updated. */
  type: string;
  reportId: string;
  /** The JSON body, fixed when the event is recorded, so every attempt sends (and signs) the same bytes. */
  body: string;
  /** When the event was recorded (ISO 8601): retries stop 24 hours after it. */
  createdAt: string;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** While pending: not before this instant (ISO 8601). */
  nextAttemptAt?: string;
  lastAttemptAt?: string;
  /** What the last attempt got, in words ("HTTP 500", "no answer within 15 s"). */
  lastResult?: string;
}

export interface WebhookOutbox {
  /**
   * Stores the deliveries that are not stored yet; one with the same message and endpoint as a stored one is
   * skipped (an event recorded again, e.g. Teams' redelivery, owes nothing new). Resolves once durable.
   */
  enqueueDeliveries(deliveries: readonly WebhookDelivery[]): Promise<{ added: number }>;
  getDelivery(messageId: string, endpointId: string): Promise<WebhookDelivery | undefined>;
  /** Pending deliveries due at `now`, soonest first, at most `limit`. */
  listDueDeliveries(now: Date, limit: number): Promise<WebhookDelivery[]>;
  /** Replaces a stored delivery's state (after an attempt). */
  updateDelivery(delivery: WebhookDelivery): Promise<void>;
  /** One tenant's deliveries, newest first (by `createdAt`), at most `limit`. */
  listDeliveries(tenantId: string, limit: number): Promise<WebhookDelivery[]>;
  /** Deletes the deliveries created before `cutoff`, whatever their state; how many. */
  pruneDeliveries(cutoff: Date): Promise<number>;
  /** Records that an endpoint (named by `endpointKey`) must get no more deliveries. */
  disableEndpoint(endpointKey: string, reason: string, at: Date): Promise<void>;
  listDisabledEndpoints(): Promise<string[]>;
}
