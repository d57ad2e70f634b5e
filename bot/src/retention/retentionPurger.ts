/**
 * Deletes the attendance of meetings that nothing has been recorded for in ATTENDANCE_RETENTION_DAYS (their
 * last activity, as the store defines it: events appended or the record saved), and the people of the people
 * directory not seen (saved) in that long. Every instance sweeps on a timer; a lease in the store lets one
 * instance at a time sweep, and the others skip that round.
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
/** One sweep deletes at most this many meetings (and people entries) and leaves the rest to the next, so it never runs for long. */
const MAX_PER_SWEEP = 5_000;
/** The first sweep comes soon after a start, so frequent restarts cannot keep postponing it. */
const FIRST_SWEEP_MAX_DELAY_S = 60;
const DAY_MS = 86_400_000;

/** What one sweep deleted: meetings, and entries of the people directory (one per id, UPN and e-mail of a person). */
export interface SweepCounts {
  meetings: number;
  peopleEntries: number;
}

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

  /** One sweep: what it deleted, or undefined when another instance is sweeping. */
  async sweep(): Promise<SweepCounts | undefined> {
    const { store, logger, settings } = this.deps;
    if (!(await this.holdLease())) {
      logger.debug({ instanceId: this.instanceId }, 'retention sweep skipped: another instance is sweeping');
      return undefined;
    }
    const cutoff = new Date(this.deps.now().getTime() - settings.days * DAY_MS);
    const counts: SweepCounts = { meetings: 0, peopleEntries: 0 };
    try {
      const holding = await this.purgeMeetings(cutoff, counts);
      if (holding) await this.purgePeople(cutoff, counts);
    } finally {
      await store.releaseLease(LEASE_KEY, LEASE, this.instanceId);
    }
    const context = {
      purged: counts.meetings,
      peopleEntriesPurged: counts.peopleEntries,
      idleBefore: cutoff.toISOString(),
      retentionDays: settings.days,
      instanceId: this.instanceId,
    };
    const level = counts.meetings + counts.peopleEntries > 0 ? 'info' : 'debug';
    logger[level](context, `retention sweep: ${counts.meetings} meeting(s) deleted, ${counts.peopleEntries} people directory entry(ies) deleted`);
    return counts;
  }

  /** Deletes idle meetings in batches; false when the lease was lost on the way (the sweep then stops). */
  private async purgeMeetings(cutoff: Date, counts: SweepCounts): Promise<boolean> {
    const { store, logger } = this.deps;
    while (!this.stopped && counts.meetings < MAX_PER_SWEEP) {
      const idle = await store.listMeetingsIdleSince(cutoff, BATCH);
      for (const meeting of idle) {
        if (this.stopped) break;
        await store.deleteMeeting(meeting);
        counts.meetings += 1;
        logger.debug({ meetingId: meeting.meetingId, tenantId: meeting.tenantId }, 'meeting attendance deleted: past retention');
      }
      if (idle.length < BATCH) break;
      if (!(await this.holdLease())) return false;
    }
    return true;
  }

  /**
   * Deletes people not seen since the cutoff in batches. Deleting a meeting leaves its people (a tenant's
   * meetings share them), so this is what removes them.
   */
  private async purgePeople(cutoff: Date, counts: SweepCounts): Promise<void> {
    while (!this.stopped && counts.peopleEntries < MAX_PER_SWEEP) {
      if (!(await this.holdLease())) return;
      const deleted = await this.deps.store.deletePeopleSeenBefore(cutoff, BATCH);
      counts.peopleEntries += deleted;
      if (deleted < BATCH) return;
    }
  }

  /** Takes or renews the sweep's lease, dated by the current time. */
  private holdLease(): Promise<boolean> {
    return this.deps.store.tryAcquireLease(LEASE_KEY, LEASE, this.instanceId, LEASE_TTL_MS, this.deps.now());
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
    deps.logger.info(
      'retention: ATTENDANCE_RETENTION_DAYS is not set, so attendance is kept until deleted (DELETE /api/meetings/{meetingId}) and the people directory is kept',
    );
    return undefined;
  }
  const purger = new RetentionPurger({ ...deps, settings });
  purger.start();
  deps.logger.info(
    { retentionDays: settings.days, sweepSeconds: settings.sweepSeconds },
    `retention: the attendance of meetings with no activity for ${settings.days} days is deleted, and the people not seen for as long`,
  );
  return purger;
}
