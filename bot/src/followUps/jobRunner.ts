/**
 * Durable follow-up work: what the bot must still do after answering Teams (post the end-of-meeting summary,
 * fetch the meeting's details and post the instant-meeting notice). A handler schedules an item in the store
 * before it answers (`schedule`, awaited: the item then survives a crash after the 2xx), and this instance
 * runs it right after. Every instance also polls for due items (at start, and every few seconds), so an item
 * whose instance died, or that failed and waits for its retry, is carried out by whichever instance finds it.
 * A per-meeting lease gives each item to one instance at a time; a job must be safe to run again (it checks
 * the store's one-time claims before it posts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { retryPlan } from '../reconciliation/retryPlan.js';
import type { AttendanceStore, MeetingKey, PendingWork } from '../store/store.js';
import { retryAfterOf } from '../teams/connectorCalls/connectorFailure.js';

export type JobOutcome =
  | { kind: 'done' }
  /** Try again later: after `retryAfterMs` when Teams asked for a wait, else on the runner's backoff plan. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'give-up'; reason: string };

export interface Job {
  /** The PendingWork kind this job carries out (one pending item per meeting and kind). */
  kind: string;
  /** How long one run may take; if its instance dies, another may take the item over after this. */
  leaseMs: number;
  run(work: PendingWork): Promise<JobOutcome>;
}

export interface JobRunnerSettings {
  /** How often each instance looks for due items. */
  pollSeconds: number;
  /** The first wait after a failed run; it doubles each time (up to 8×). */
  retrySeconds: number;
  /** Give up this long after the item was first scheduled. */
  giveUpHours: number;
}

export interface JobRunnerDeps {
  store: AttendanceStore;
  logger: Logger;
  now: () => Date;
  jobs: readonly Job[];
  settings: JobRunnerSettings;
}

/** What a handler asks for: a job for a meeting, as a reply to the activity that asked, when there is one. */
export type NewWork = MeetingKey & { kind: string; replyToId?: string };

/**
 * How long an instance holds an item while it runs it. Longer than a run can take (the connector gate bounds
 * every call: a few attempts of at most 5 s each), short enough that after a crash another instance, or the
 * restarted one, carries the item out within a minute.
 */
export const JOB_LEASE_MS = 45_000;
/** Items looked at per kind per poll; the rest wait for the next poll. */
const BATCH = 20;
/** How long `stop` waits for the items in hand before letting the store close under them. */
const STOP_GRACE_MS = 2000;
/** Schedules remembered, so that a storm of activities for one meeting writes its item once. */
const REMEMBERED_SCHEDULES = 10_000;

export class JobRunner {
  /** Identifies this instance as a lease holder. */
  readonly instanceId = randomUUID();
  private readonly jobs: Map<string, Job>;
  private readonly inHand = new Set<Promise<void>>();
  /** Items being run by this instance (the lease cannot tell: it is this instance's already). */
  private readonly running = new Set<string>();
  private readonly scheduledAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: JobRunnerDeps) {
    this.jobs = new Map(deps.jobs.map((job) => [job.kind, job]));
  }

  /** Stores the item (durably: await it before answering) and runs it on this instance right after. */
  async schedule(request: NewWork): Promise<void> {
    const now = this.deps.now().toISOString();
    const work: PendingWork = { ...request, dueAt: now, attempts: 0, firstScheduledAt: now };
    await this.deps.store.scheduleWork(work);
    this.remember(request);
    setImmediate(() => this.runInBackground(work));
  }

  /**
   * As `schedule`, unless this instance scheduled the same kind for the same meeting less than `withinMs` ago
   * (by the app's clock): for work that every activity of a meeting may ask for, such as its details.
   */
  async scheduleUnlessRecent(request: NewWork, withinMs: number): Promise<void> {
    const last = this.scheduledAt.get(scheduleKey(request));
    if (last !== undefined && this.deps.now().getTime() - last < withinMs) return;
    // Remembered before the write: the other activities of a storm arriving meanwhile need not write it too.
    this.remember(request);
    await this.schedule(request);
  }

  start(): void {
    this.timer = setTimeout(() => this.poll(), 0);
    this.timer.unref();
  }

  /** Stops polling; waits a moment for the items in hand (a hanging connector is not waited for). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.inHand]), grace]);
  }

  private remember(request: NewWork): void {
    const key = scheduleKey(request);
    this.scheduledAt.delete(key);
    this.scheduledAt.set(key, this.deps.now().getTime());
    if (this.scheduledAt.size > REMEMBERED_SCHEDULES) this.scheduledAt.delete(this.scheduledAt.keys().next().value as string);
  }

  private poll(): void {
    if (this.stopped) return;
    const polling = (async () => {
      for (const kind of this.jobs.keys()) {
        const due = await this.deps.store.listDueWork(kind, this.deps.now(), BATCH);
        for (const work of due) this.runInBackground(work);
      }
    })();
    polling
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'looking for due follow-up work failed; looking again later'))
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => this.poll(), this.deps.settings.pollSeconds * 1000);
        this.timer.unref();
      });
  }

  private runInBackground(work: PendingWork): void {
    const key = scheduleKey(work);
    if (this.stopped || this.running.has(key)) return;
    this.running.add(key);
    const running = this.runOnce(work).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, meetingId: work.meetingId, kind: work.kind }, 'follow-up work failed; it is tried again later');
    });
    this.inHand.add(running);
    void running.finally(() => {
      this.inHand.delete(running);
      this.running.delete(key);
    });
  }

  private async runOnce(work: PendingWork): Promise<void> {
    const { store } = this.deps;
    const job = this.jobs.get(work.kind);
    if (!job) return;
    const lease = `job:${work.kind}`;
    if (!(await store.tryAcquireLease(work, lease, this.instanceId, job.leaseMs, this.deps.now()))) return;
    try {
      const outcome = await job.run(work).catch(
        (error: unknown): JobOutcome => failed(error, this.deps.now()),
      );
      await this.settle(work, outcome);
    } finally {
      await store.releaseLease(work, lease, this.instanceId);
    }
  }

  private async settle(work: PendingWork, outcome: JobOutcome): Promise<void> {
    const { store, logger, settings } = this.deps;
    const context = { meetingId: work.meetingId, kind: work.kind, attempts: work.attempts + 1, instanceId: this.instanceId };
    if (outcome.kind === 'done') {
      await store.completeWork(work, work.kind);
      return;
    }
    const retryAfterSeconds = outcome.kind === 'retry' && outcome.retryAfterMs !== undefined ? outcome.retryAfterMs / 1000 : undefined;
    const plan = outcome.kind === 'retry' ? retryPlan(work, this.deps.now(), settings, retryAfterSeconds) : { giveUp: true as const };
    if (plan.giveUp) {
      await store.completeWork(work, work.kind);
      logger.warn({ ...context, reason: outcome.reason }, 'follow-up work given up');
      return;
    }
    await store.scheduleWork({ ...work, attempts: work.attempts + 1, dueAt: plan.dueAt, lastError: outcome.reason });
    logger.warn({ ...context, reason: outcome.reason, nextAttemptAt: plan.dueAt }, 'follow-up work not done yet; trying again later');
  }
}

function scheduleKey(request: MeetingKey & { kind: string }): string {
  return `${request.tenantId}\n${request.meetingId}\n${request.kind}`;
}

/** A run that threw: tried again, after the wait Teams (or the gate's budget) asked for, if any. */
export function failed(error: unknown, now: Date): JobOutcome {
  const retryAfterMs = retryAfterOf(error, now);
  return { kind: 'retry', reason: error instanceof Error ? error.message : String(error), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
