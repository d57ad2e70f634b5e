/** When to try a pending reconciliation again, or that it is time to give up (pure). */
import type { PendingWork } from '../store/store.js';

/** Each wait doubles, up to this multiple of the first. */
const MAX_BACKOFF_FACTOR = 8;

export interface RetrySettings {
  retrySeconds: number;
  giveUpHours: number;
}

export type RetryPlan = { giveUp: true } | { giveUp: false; dueAt: string };

/**
 * After a failed attempt: the next one waits retrySeconds × 2^attempts (capped), or longer when Graph
 * asked for it (Retry-After); the last try happens at the deadline, giveUpHours after the work was first scheduled.
 */
export function retryPlan(work: PendingWork, now: Date, settings: RetrySettings, retryAfterSeconds?: number): RetryPlan {
  const deadline = Date.parse(work.firstScheduledAt) + settings.giveUpHours * 3_600_000;
  if (now.getTime() >= deadline) return { giveUp: true };
  const backoffMs = settings.retrySeconds * 1000 * Math.min(2 ** work.attempts, MAX_BACKOFF_FACTOR);
  const waitMs = Math.max(backoffMs, (retryAfterSeconds ?? 0) * 1000);
  return { giveUp: false, dueAt: new Date(Math.min(now.getTime() + waitMs, deadline)).toISOString() };
}
