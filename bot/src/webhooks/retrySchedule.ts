/**
 * When to try a failed delivery again: the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * then every 10 h), each wait stretched or shrunk by up to 10 % so that receivers coming back up are not hit
 * by every sender at once, never sooner than the receiver's Retry-After, and never 24 h after the event.
 */
const LATER_RETRIES_S = [5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600];
const EVERY_AFTER_S = 10 * 3600;
const GIVE_UP_AFTER_MS = 24 * 3600_000;
const JITTER = 0.1;

export interface RetryInput {
  /** When the event was recorded. */
  createdAt: string;
  /** Attempts made, including the one that just failed. */
  attempts: number;
  now: Date;
  /** The first retry's wait (5 s in the standard; settable for tests). */
  firstRetrySeconds: number;
  retryAfterSeconds?: number;
  /** A number in [0, 1): Math.random by default. */
  random?: () => number;
}

/** The next attempt's time, or undefined when it would fall after the give-up deadline. */
export function nextAttemptAt(input: RetryInput): Date | undefined {
  const scheduled = input.attempts <= 1 ? input.firstRetrySeconds : (LATER_RETRIES_S[input.attempts - 2] ?? EVERY_AFTER_S);
  const jittered = scheduled * (1 - JITTER + 2 * JITTER * (input.random ?? Math.random)());
  const waitSeconds = Math.max(jittered, input.retryAfterSeconds ?? 0);
  const next = input.now.getTime() + waitSeconds * 1000;
  return next > Date.parse(input.createdAt) + GIVE_UP_AFTER_MS ? undefined : new Date(next);
}
