/**
 * Per-caller rate limiting for the API (/api/meetings/…): a fixed one-minute window per key, in memory, per
 * instance. A caller with a valid token is counted by who they are (tenant + user object id, or tenant + app
 * id), whatever address they call from; a request whose token fails is counted by the client's address, so
 * someone spraying bad tokens gets 429 instead of answers, while valid callers behind the same proxy are not
 * held back by them.
 *
 * restify's plugins.throttle does not fit: one plugin instance keys on one thing (IP, X-Forwarded-For or
 * req.username) before the route runs, so it cannot count validated subjects and failed attempts apart, and
 * its 429 carries no Retry-After.
 */
import type { Request } from 'restify';
import type { Caller } from '../attendance/access.js';
import { AppError, tooManyRequests } from '../errors.js';
import type { TokenValidator } from './auth/entraToken.js';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;
/** Keys tracked at most; past it, finished windows are dropped, then the oldest ones. */
const MAX_KEYS = 50_000;

/**
 * At most `limit` requests per key in each window, the window starting with the key's first request. A fixed
 * window may let up to twice the limit through across a window boundary: good enough to stop a runaway client.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number = WINDOW_MS,
    /** Milliseconds on a clock that never goes back (real time, not the app's clock for reports). */
    private readonly clock: () => number = () => performance.now(),
    private readonly maxKeys: number = MAX_KEYS,
  ) {}

  take(key: string): RateLimitDecision {
    const now = this.clock();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.makeRoom(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000)) };
    }
    window.count += 1;
    return { allowed: true };
  }

  /** How many keys are tracked (for tests of the memory bound). */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    // Still full: the Map iterates in insertion order, so the first keys are the oldest windows.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/** Authenticates an API request: the caller from its token, or 401; 429 past the caller's limit. */
export type Authenticate = (req: Request) => Promise<Caller>;

export function rateLimitedAuthentication(validateToken: TokenValidator, limiter: FixedWindowLimiter | undefined): Authenticate {
  return async (req) => {
    let caller: Caller;
    try {
      caller = await validateToken(req.header('authorization'));
    } catch (error) {
      if (limiter && error instanceof AppError && error.status === 401) enforce(limiter, `address|${clientAddress(req)}`);
      throw error;
    }
    if (limiter) enforce(limiter, callerKey(caller));
    return caller;
  };
}

function enforce(limiter: FixedWindowLimiter, key: string): void {
  const decision = limiter.take(key);
  if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
}

/** Who the caller is, as validated: tenant + user object id, or tenant + application id. */
export function callerKey(caller: Caller): string {
  return caller.kind === 'user' ? `user|${caller.tenantId}|${caller.objectId}` : `app|${caller.tenantId}|${caller.appId}`;
}

/**
 * The client's address: the last X-Forwarded-For entry, which is what the nearest proxy (App Service's front
 * end) saw and appended, without its port; else the connection's peer.
 */
export function clientAddress(req: Request): string {
  const forwarded = req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  if (forwarded) return withoutPort(forwarded);
  return req.socket?.remoteAddress ?? 'unknown';
}

function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  // One colon: IPv4 with a port. More: a bare IPv6 address, kept whole.
  return address.split(':').length === 2 ? (address.split(':')[0] ?? address) : address;
}
