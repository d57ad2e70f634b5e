/**
 * Deletes the attendance of meetings that nothing has been recorded for in ATTENDANCE_RETENTION_DAYS (their
 * last activity, as the store defines it: events appended or the record saved). Every instance sweeps on a
 * timer; a lease in the store lets one instance at a time sweep, and the others skip that round.
 */
import { randomUUID } from 'node:crypto';
import type { RetentionSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingKey } from '../store/store.js';

/** The lease belongs to no meeting: a key no Teams meeting has (Teams' tenant ids are GUIDs). */
const LEASE_KEY: MeetingKey = { tenantId: 'app', meetingId: 'retention' };
const LEASE = 'retention-purge';
/** Renewed after every batch; if an instance dies mid-sweep, another may sweep after this. */
const LEASE_TTL_MS = 10 * 60_000;
const BATCH = 100;
/** One sweep deletes at most this many meetings and leaves the rest to the next, so it never runs for long. */
const MAX_PER_SWEEP = 5_000;
/** The first sweep comes soon after a start, so frequent restarts cannot keep postponing it. */
const FIRST_SWEEP_MAX_DELAY_S = 60;
const DAY_MS = 86_400_000;

export interface RetentionDeps {
  store: AttendanceStore;
  logger: Logger;
  settings: RetentionSettings;
  now: () => Date;
}

export class RetentionPurger {
  /** Identifies this instance as the lease holder. */
  readonly instanceId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly deps: RetentionDeps) {}

  start(): void {
    this.schedule(Math.min(this.deps.settings.sweepSeconds, FIRST_SWEEP_MAX_DELAY_S));
  }

  /** Stops the timer and waits for a sweep in progress (it ends after the meeting in hand). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  /** One sweep: how many meetings it deleted, or undefined when another instance is sweeping. */
  async sweep(): Promise<number | undefined> {
    const { store, logger, settings } = this.deps;
    const now = this.deps.now();
    if (!(await store.tryAcquireLease(LEASE_KEY, LEASE, this.instanceId, LEASE_TTL_MS, now))) {
      logger.debug({ instanceId: this.instanceId }, 'retention sweep skipped: another instance is sweeping');
      return undefined;
    }
    const cutoff = new Date(now.getTime() - settings.days * DAY_MS);
    let purged = 0;
    try {
      while (!this.stopped && purged < MAX_PER_SWEEP) {
        const idle = await store.listMeetingsIdleSince(cutoff, BATCH);
        for (const meeting of idle) {
          if (this.stopped) break;
          await store.deleteMeeting(meeting);
          purged += 1;
          logger.debug({ meetingId: meeting.meetingId, tenantId: meeting.tenantId }, 'meeting attendance deleted: past retention');
        }
        if (idle.length < BATCH) break;
        if (!(await store.tryAcquireLease(LEASE_KEY, LEASE, this.instanceId, LEASE_TTL_MS, this.deps.now()))) break;
      }
    } finally {
      await store.releaseLease(LEASE_KEY, LEASE, this.instanceId);
    }
    const context = { purged, idleBefore: cutoff.toISOString(), retentionDays: settings.days, instanceId: this.instanceId };
    logger[purged > 0 ? 'info' : 'debug'](context, `retention sweep: ${purged} meeting(s) deleted`);
    return purged;
  }

  private schedule(delaySeconds: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'retention sweep failed; trying again at the next one'))
        .finally(() => {
          this.sweeping = undefined;
          this.schedule(this.deps.settings.sweepSeconds);
        });
    }, delaySeconds * 1000);
    this.timer.unref();
  }
}

/** Starts the sweeps when ATTENDANCE_RETENTION_DAYS is set, and says at start what is kept for how long. */
export function startRetention(
  settings: RetentionSettings | undefined,
  deps: Omit<RetentionDeps, 'settings'>,
): RetentionPurger | undefined {
  if (!settings) {
    deps.logger.info('retention: ATTENDANCE_RETENTION_DAYS is not set, so attendance is kept until deleted (DELETE /api/meetings/{meetingId})');
    return undefined;
  }
  const purger = new RetentionPurger({ ...deps, settings });
  purger.start();
  deps.logger.info(
    { retentionDays: settings.days, sweepSeconds: settings.sweepSeconds },
    `retention: the attendance of meetings with no activity for ${settings.days} days is deleted`,
  );
  return purger;
}
