/**
 * A webhook receiver on 127.0.0.1, as an LMS would run one: every delivery is verified with the
 * `standardwebhooks` library and the receiver's own secret, and recorded with how it was answered. Tests
 * script the answers (a status, Retry-After, or holding the request open) one delivery at a time.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  /** The parsed body, when the signature verified; undefined otherwise. */
  payload: any;
  verified: boolean;
  /** What the receiver answered; undefined while held, or when the sender gave up waiting. */
  answered?: number;
  receivedAt: number;
}

/** One scripted answer: a status (and Retry-After), or no answer until `release()` or the connection ends. */
export type ReceiverAnswer = { status: number; retryAfter?: string } | 'hold';

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers: ReceiverAnswer[] = [];
  private readonly held = new Map<ServerResponse, ReceivedWebhook>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly secret: string,
  ) {}

  /** A receiver with a fresh secret (32 random bytes, as Standard Webhooks suggests). */
  static async start(path = '/hooks/attendance'): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      void receiver?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`, `whsec_${randomBytes(32).toString('base64')}`);
    return receiver;
  }

  /** The next deliveries get these answers, in order; after them, 204. */
  answerNext(...answers: ReceiverAnswer[]): void {
    this.answers.push(...answers);
  }

  /** Deliveries this receiver accepted (2xx). */
  get accepted(): ReceivedWebhook[] {
    return this.received.filter((delivery) => delivery.answered !== undefined && delivery.answered >= 200 && delivery.answered < 300);
  }

  /** Waits until `predicate` holds for what was received (checked on every delivery). */
  async waitFor<T>(describe: string, predicate: (received: ReceivedWebhook[]) => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = predicate(this.received);
      if (result) return result;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`${describe}: not within ${timeoutMs} ms; received ${JSON.stringify(this.received.map(({ id, answered, payload }) => ({ id, answered, type: payload?.type })))}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(remaining, 200));
        this.waiters.add(wake);
      });
    }
  }

  /** Answers the held requests (200), if their sender is still waiting. */
  release(): void {
    for (const [res, delivery] of this.held) {
      respond(res, 200);
      delivery.answered = 200;
    }
    this.held.clear();
  }

  async close(): Promise<void> {
    for (const res of this.held.keys()) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await text(req);
    const header = (name: string) => String(req.headers[name] ?? '');
    const delivery: ReceivedWebhook = {
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
      payload: undefined,
      verified: false,
      receivedAt: Date.now(),
    };
    try {
      delivery.payload = new Webhook(this.secret).verify(body, {
        'webhook-id': delivery.id,
        'webhook-timestamp': delivery.timestamp,
        'webhook-signature': delivery.signature,
      });
      delivery.verified = true;
    } catch {
      delivery.verified = false;
    }
    this.received.push(delivery);
    // A receiver refuses what it cannot verify, and that spends no scripted answer.
    const answer = delivery.verified ? (this.answers.shift() ?? { status: 204 }) : { status: 400 };
    if (answer === 'hold') {
      this.held.set(res, delivery);
      res.once('close', () => this.held.delete(res));
    } else {
      respond(res, answer.status, answer.retryAfter);
      delivery.answered = answer.status;
    }
    for (const wake of [...this.waiters]) wake();
  }
}

/** Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing. */
function respond(res: ServerResponse, status: number, retryAfter?: string): void {
  res.writeHead(status, retryAfter ? { 'Retry-After': retryAfter } : {});
  res.end();
}
