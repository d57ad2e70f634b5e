/**
 * One attempt at one delivery: the stored body POSTed with Standard Webhooks' headers, signed by the
 * `standardwebhooks` package with the endpoint's secret, waiting at most the timeout for an answer.
 */
import { Webhook } from 'standardwebhooks';
import type { WebhookDelivery } from '../store/webhookOutbox.js';
import { retryAfterSeconds } from '../retryAfter.js';

export type PostOutcome =
  | { kind: 'answered'; status: number; retryAfterSeconds?: number }
  /** No HTTP answer: refused, reset, DNS, TLS, or nothing within the timeout. */
  | { kind: 'no-answer'; reason: string };

export async function postDelivery(
  delivery: WebhookDelivery,
  secret: string,
  options: { now: Date; timeoutSeconds: number; stopping: AbortSignal },
): Promise<PostOutcome> {
  const signature = new Webhook(secret).sign(delivery.messageId, options.now, delivery.body);
  const timeout = AbortSignal.timeout(options.timeoutSeconds * 1000);
  try {
    const response = await fetch(delivery.endpointUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Attendance-for-Teams-Webhooks',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(Math.floor(options.now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: delivery.body,
      // A redirect is an answer that is not 2xx: the receiver's URL is configured, not discovered.
      redirect: 'manual',
      signal: AbortSignal.any([timeout, options.stopping]),
    });
    // The body is not read: only the status counts. Cancelling frees the connection.
    await response.body?.cancel();
    const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), options.now);
    return { kind: 'answered', status: response.status, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) };
  } catch (error) {
    if (timeout.aborted) return { kind: 'no-answer', reason: `no answer within ${options.timeoutSeconds} s` };
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    return { kind: 'no-answer', reason: String(cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : error)) };
  }
}
