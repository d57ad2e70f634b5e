/**
 * The per-instance delivery loop: looks for due deliveries in the store's outbox (every pollSeconds, and at
 * once when this instance enqueued some), takes each under a lease so one instance at a time makes an attempt,
 * and records the outcome: a 2xx delivers; 410 Gone disables the endpoint; anything else, or no answer, is
 * tried again on the Standard Webhooks schedule with the same webhook-id, until 24 h after the event.
 * Finished deliveries stay listed (GET /api/webhooks/deliveries) for KEEP_DAYS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { AttendanceStore } from '../store/store.js';
import type { WebhookDelivery } from '../store/webhookOutbox.js';
import { nextAttemptAt } from './retrySchedule.js';
import { postDelivery, type PostOutcome } from './webhookPost.js';
import type { WebhookEndpoint, WebhookSettings } from './webhookSettings.js';

/** Deliveries attempted at once per poll; the rest wait for the next poll. */
const BATCH = 20;
/** How long deliveries stay listed after their event. */
export const KEEP_DAYS = 7;
const PRUNE_EVERY_MS = 3600_000;

export interface WebhookDelivererDeps {
  store: AttendanceStore;
  logger: Logger;
  settings: WebhookSettings;
  now: () => Date;
}

export class WebhookDeliverer {
  /** Identifies this instance as a lease holder. */
  readonly instanceId = randomUUID();
  private readonly endpoints: Map<string, WebhookEndpoint>;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private lastPrunedAt = 0;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: WebhookDelivererDeps) {
    this.endpoints = new Map(deps.settings.endpoints.map((endpoint) => [endpoint.url, endpoint]));
  }

  start(): void {
    this.schedulePoll(0);
  }

  /** Deliveries were just enqueued here: look now rather than at the next poll. */
  nudge(): void {
    if (this.stopping.signal.aborted) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.schedulePoll(0);
  }

  /** Stops polling and abandons the attempts in hand (left due, their leases released), so the store can close. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.polling;
  }

  private schedulePoll(delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'webhook delivery poll failed; polling again'))
        .finally(() => {
          this.polling = undefined;
          const again = this.pollAgain;
          this.pollAgain = false;
          this.schedulePoll(again ? 0 : this.deps.settings.pollSeconds * 1000);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const { store } = this.deps;
    await this.pruneNowAndThen();
    const due = await store.listDueDeliveries(this.deps.now(), BATCH);
    if (due.length === 0) return;
    const disabled = new Set(await store.listDisabledEndpoints());
    await Promise.all(due.map((delivery) => this.attempt(delivery, disabled)));
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.deps.now().getTime();
    if (now - this.lastPrunedAt < PRUNE_EVERY_MS) return;
    this.lastPrunedAt = now;
    const pruned = await this.deps.store.pruneDeliveries(new Date(now - KEEP_DAYS * 86_400_000));
    if (pruned > 0) this.deps.logger.info({ pruned, keepDays: KEEP_DAYS }, 'old webhook deliveries removed');
  }

  private async attempt(listed: WebhookDelivery, disabled: ReadonlySet<string>): Promise<void> {
    const { store, settings } = this.deps;
    const lease = `webhook|${listed.messageId}|${listed.endpointId}`;
    // Longer than an attempt can take; if this instance dies mid-attempt, another takes over after it.
    const ttlMs = (2 * settings.timeoutSeconds + 5) * 1000;
    if (this.stopping.signal.aborted || !(await store.tryAcquireLease(listed, lease, this.instanceId, ttlMs, this.deps.now()))) return;
    try {
      // Another instance may have delivered or rescheduled it between our listing and our lease.
      const delivery = await store.getDelivery(listed.messageId, listed.endpointId);
      const now = this.deps.now();
      if (delivery?.status !== 'pending' || Date.parse(delivery.nextAttemptAt ?? '') > now.getTime()) return;
      const endpoint = this.endpoints.get(delivery.endpointUrl);
      if (!endpoint) {
        await this.finish(delivery, 'failed', 'the endpoint is no longer configured');
        return;
      }
      if (disabled.has(endpointKeyOf(endpoint))) {
        await this.finish(delivery, 'disabled', 'the endpoint is disabled: it answered 410 Gone');
        return;
      }
      const outcome = await postDelivery(delivery, endpoint.secret, { now, timeoutSeconds: settings.timeoutSeconds, stopping: this.stopping.signal });
      // Stopped mid-attempt: leave it due, untouched, for the next start (the same webhook-id again).
      if (this.stopping.signal.aborted) return;
      await this.settle({ ...delivery, attempts: delivery.attempts + 1, lastAttemptAt: now.toISOString() }, endpoint, outcome);
    } finally {
      await store.releaseLease(listed, lease, this.instanceId);
    }
  }

  private async settle(delivery: WebhookDelivery, endpoint: WebhookEndpoint, outcome: PostOutcome): Promise<void> {
    const { logger, store } = this.deps;
    const context = { meetingId: delivery.meetingId, webhookId: delivery.messageId, type: delivery.type, endpoint: endpointForLogs(endpoint.url), attempts: delivery.attempts };
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
      await this.finish(delivery, 'delivered', `HTTP ${outcome.status}`);
      logger.info({ ...context, status: outcome.status }, 'webhook delivered');
      return;
    }
    if (outcome.kind === 'answered' && outcome.status === 410) {
      await store.disableEndpoint(endpointKeyOf(endpoint), 'HTTP 410 Gone', this.deps.now());
      await this.finish(delivery, 'disabled', 'HTTP 410 Gone: the endpoint is disabled');
      logger.error(
        context,
        `the webhook endpoint ${endpointForLogs(endpoint.url)} answered 410 Gone: no more webhooks are sent to it. If the receiver ` +
          'moved, put its new URL in the configuration (ATTENDANCE_WEBHOOK_URL or ATTENDANCE_WEBHOOKS); to turn this one back on, ' +
          'give it a new secret (the receiver must verify with it) and restart',
      );
      return;
    }
    const result = outcome.kind === 'answered' ? `HTTP ${outcome.status}` : outcome.reason;
    const next = nextAttemptAt({
      createdAt: delivery.createdAt,
      attempts: delivery.attempts,
      now: this.deps.now(),
      firstRetrySeconds: this.deps.settings.firstRetrySeconds,
      ...(outcome.kind === 'answered' && outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
    });
    if (!next) {
      await this.finish(delivery, 'failed', result);
      logger.error({ ...context, result }, 'webhook given up 24 hours after its event: the receiver never accepted it (see GET /api/webhooks/deliveries)');
      return;
    }
    await store.updateDelivery({ ...delivery, lastResult: result, nextAttemptAt: next.toISOString() });
    logger.warn({ ...context, result, nextAttemptAt: next.toISOString() }, 'webhook not accepted; trying again later with the same webhook-id');
  }

  private finish(delivery: WebhookDelivery, status: WebhookDelivery['status'], lastResult: string): Promise<void> {
    const { nextAttemptAt: _due, ...rest } = delivery;
    return this.deps.store.updateDelivery({ ...rest, status, lastResult });
  }
}

/** Names an endpoint's URL and secret together: a 410 disables them, and a new secret turns the endpoint back on. */
function endpointKeyOf(endpoint: WebhookEndpoint): string {
  return createHash('sha256').update(`${endpoint.url}\n${endpoint.secret}`).digest('hex');
}

/** The URL without its query string, which may carry a token of the receiver's. */
export function endpointForLogs(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
