/**
 * The one way the bot calls Teams' connector. Every call names its meeting and purpose ("meeting-details",
 * "chat-members", "participant:<id>", "post"), and the gate makes sure that:
 *
 * - concurrent callers with the same meeting and purpose share one call (single flight): twenty joins arriving
 *   together for a new meeting ask for its details once, not twenty times;
 * - a result can be reused for a while (`cacheMs`);
 * - a meeting gets at most `perMinute` attempts per purpose per minute, whatever the load (a throttling
 *   Teams is not asked harder); past the budget a call fails at once with ConnectorBudgetError;
 * - a call that fails transiently (429, 5xx, timeout, network) is tried again, after the `Retry-After` Teams
 *   asked for (seconds, fractional seconds or an HTTP date), else after an exponential backoff; an answer
 *   asking for a longer wait than `maxWaitMs` is not waited for here: the error goes to the caller, which
 *   reschedules (see followUps/jobRunner.ts);
 * - every attempt has a time limit and is aborted when it passes;
 * - at most `maxConcurrentCalls` attempts are in flight on this instance; the rest queue, up to `maxQueued`
 *   (past that a call fails at once with ConnectorBusyError: a connector that is down must not pile up work).
 *
 * botbuilder's own HTTP pipeline would retry a 429 three more times inside each call; the connector clients
 * used here have that retry policy removed (connector.ts), so these budgets are the real number of requests.
 * Budgets and cached results follow the app's clock (`now`); the waits between attempts are real time.
 */
import { ConnectorBudgetError, ConnectorBusyError, ConnectorTimeoutError, isTransient, retryAfterOf } from './connectorFailure.js';

export interface CallKey {
  tenantId: string;
  meetingId: string;
  /** What the call is for; calls share flights, caches and budgets only with calls of the same purpose. */
  purpose: string;
}

export interface CallPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The time limit of one attempt; it is aborted then. */
  timeoutMs: number;
  /** The wait before the second attempt when Teams named none; it doubles each time, up to `maxWaitMs`. */
  backoffMs: number;
  /** The longest wait between attempts; a Retry-After asking for more ends the call with that error. */
  maxWaitMs: number;
  /** Attempts allowed per meeting and purpose in any minute (Infinity: no budget). */
  perMinute: number;
  /** How long a successful result is reused by later callers (0: not kept). */
  cacheMs: number;
  /** Concurrent callers with the same key share one call. Off for calls that each do something (posts). */
  shared: boolean;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
  attempts: 3,
  timeoutMs: 5000,
  backoffMs: 1000,
  maxWaitMs: 10_000,
  perMinute: Number.POSITIVE_INFINITY,
  cacheMs: 0,
  shared: true,
};

export interface GateSettings {
  /** Attempts in flight at once on this instance, all meetings and purposes together. */
  maxConcurrentCalls: number;
  /** Attempts waiting for a free slot, at most. */
  maxQueued: number;
  /** The app's clock, for budgets and cache lifetimes. */
  now: () => Date;
}

const MINUTE_MS = 60_000;
/** Bounds the memory of cached results and budgets (least recently used first out). */
const MAX_REMEMBERED_KEYS = 5000;

export class ConnectorGate {
  private readonly flights = new Map<string, Promise<unknown>>();
  private readonly cache = new Map<string, { value: unknown; expiresAt: number }>();
  private readonly attemptsAt = new Map<string, number[]>();
  private readonly queue: (() => void)[] = [];
  private inFlight = 0;
  private attemptsMade = 0;

  constructor(private readonly settings: GateSettings) {}

  /** Calls `call` under the rules above; `signal` is aborted when the attempt's time limit passes. */
  run<T>(key: CallKey, call: (signal: AbortSignal) => Promise<T>, policy: Partial<CallPolicy> = {}): Promise<T> {
    const rules: CallPolicy = { ...DEFAULT_CALL_POLICY, ...policy };
    const id = keyId(key);
    const cached = this.cache.get(id);
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.value as T);
    if (rules.shared) {
      const flying = this.flights.get(id);
      if (flying) return flying as Promise<T>;
    }
    const flight = this.attempt(id, key, call, rules).then((value) => {
      if (rules.cacheMs > 0) remember(this.cache, id, { value, expiresAt: this.now() + rules.cacheMs });
      return value;
    });
    if (rules.shared) {
      this.flights.set(id, flight);
      const land = () => {
        if (this.flights.get(id) === flight) this.flights.delete(id);
      };
      flight.then(land, land);
    }
    return flight;
  }

  /** Drops a cached result (e.g. after learning it is stale). */
  forget(key: CallKey): void {
    this.cache.delete(keyId(key));
  }

  /** Attempts started since this gate was made, and those in flight or queued now. */
  stats(): { attempts: number; inFlight: number; queued: number } {
    return { attempts: this.attemptsMade, inFlight: this.inFlight, queued: this.queue.length };
  }

  private now(): number {
    return this.settings.now().getTime();
  }

  private async attempt<T>(id: string, key: CallKey, call: (signal: AbortSignal) => Promise<T>, rules: CallPolicy): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      this.spendBudget(id, key, rules);
      try {
        return await this.withSlot(() => withTimeout(call, rules.timeoutMs, key));
      } catch (error) {
        if (attempt >= rules.attempts || !isTransient(error)) throw error;
        const asked = retryAfterOf(error, new Date());
        const waitMs = asked ?? Math.min(rules.backoffMs * 2 ** (attempt - 1), rules.maxWaitMs);
        if (waitMs > rules.maxWaitMs) throw error;
        await sleep(waitMs);
      }
    }
  }

  /** Counts an attempt against the meeting's per-minute budget for this purpose, or refuses it. */
  private spendBudget(id: string, key: CallKey, rules: CallPolicy): void {
    if (!Number.isFinite(rules.perMinute)) return;
    const now = this.now();
    const recent = (this.attemptsAt.get(id) ?? []).filter((at) => at > now - MINUTE_MS);
    if (recent.length >= rules.perMinute) {
      const retryAfterMs = (recent[0] as number) + MINUTE_MS - now;
      throw new ConnectorBudgetError(
        `${key.purpose} of meeting ${key.meetingId}: ${rules.perMinute} connector calls in the last minute already; next in ${Math.ceil(retryAfterMs / 1000)} s`,
        retryAfterMs,
      );
    }
    recent.push(now);
    remember(this.attemptsAt, id, recent);
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.settings.maxConcurrentCalls) {
      if (this.queue.length >= this.settings.maxQueued) {
        throw new ConnectorBusyError(`${this.queue.length} connector calls are already waiting on this instance; this one is not made`);
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.inFlight += 1;
    this.attemptsMade += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.queue.shift()?.();
    }
  }
}

function keyId(key: CallKey): string {
  return `${key.tenantId}\n${key.meetingId}\n${key.purpose}`;
}

/** Sets `id` as the most recently used entry (a Map keeps insertion order), evicting the least. */
function remember<V>(map: Map<string, V>, id: string, value: V): void {
  map.delete(id);
  map.set(id, value);
  if (map.size > MAX_REMEMBERED_KEYS) map.delete(map.keys().next().value as string);
}

async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, timeoutMs: number, key: CallKey): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ConnectorTimeoutError(`${key.purpose} of meeting ${key.meetingId}: Teams did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
