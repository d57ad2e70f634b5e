/**
 * After a meeting ends, reconciles its attendance with Microsoft Graph's call record, which appears some
 * minutes later and says exactly who was connected when. The work is kept in the store as pending work
 * (so a restart does not drop it) and every instance polls for due items; a per-meeting lease makes sure
 * one instance at a time works an item. Not found yet, throttled, failing, or a record that names nobody we
 * can read (warned about once): tried again with backoff, until the give-up deadline, after which the report
 * stays as it is.
 */
import { randomUUID } from 'node:crypto';
import { buildSessions } from '../attendance/ledger.js';
import { reconciledEvents, sessionsAwaitingReconciliation } from '../attendance/reconciliation.js';
import type { ReconciliationSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingKey, PendingWork } from '../store/store.js';
import type { WebhookHook } from '../webhooks/webhookNotifier.js';
import type { CallRecordSource } from './callRecordSource.js';
import { GraphError } from './graphClient.js';
import { retryPlan } from './retryPlan.js';

/** The kind of pending work a meeting has while its call-record reconciliation is not done or given up. */
export const RECONCILE_WORK = 'reconcile-call-records';
const LEASE = 'reconciler';
/** Long enough for a large meeting's pages of sessions; if an instance dies mid-item, another retries after it. */
const LEASE_TTL_MS = 10 * 60_000;
/** Items taken per poll; the rest wait for the next poll. */
const BATCH = 10;
/** The retry reason (kept as the work's lastError) of a record whose sessions name no one we can read. */
const NAMES_NOBODY = 'its call record names no Entra user in any session';

/** What a call record held when none of its sessions named a person, for the one warning per meeting. */
interface NamelessRecord {
  callRecordId: string;
  sessions: number;
  unreadable: number;
  endpointShapes: Record<string, number>;
}

export interface ReconcilerDeps {
  store: AttendanceStore;
  logger: Logger;
  callRecords: CallRecordSource;
  /** The tenant whose call records the Graph credentials can read; other tenants' meetings are not reconciled. */
  tenantId: string;
  settings: ReconciliationSettings;
  now: () => Date;
  /** Told of the facts reconciliation added, to announce the changed reports; absent when webhooks are off. */
  webhooks?: WebhookHook;
}

type Outcome =
  | { kind: 'done'; sessions: number; added: number }
  /** `failed`: Graph or the network failed, as opposed to a call record that is simply not there yet. */
  | { kind: 'retry'; reason: string; failed?: boolean; retryAfterSeconds?: number }
  | { kind: 'give-up'; reason: string };

export class CallRecordReconciler {
  /** Identifies this instance as a lease holder. */
  readonly instanceId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: ReconcilerDeps) {}

  /** The meeting has ended: reconcile it once its call record should exist. */
  async meetingEnded(meeting: MeetingKey): Promise<void> {
    const { store, logger, settings, tenantId } = this.deps;
    if (meeting.tenantId !== tenantId) {
      logger.debug(
        { meetingId: meeting.meetingId, tenantId: meeting.tenantId },
        'call records not reconciled: the meeting is in another tenant',
      );
      return;
    }
    const now = this.deps.now();
    const dueAt = new Date(now.getTime() + settings.delaySeconds * 1000).toISOString();
    await store.scheduleWork({
      tenantId: meeting.tenantId,
      meetingId: meeting.meetingId,
      kind: RECONCILE_WORK,
      dueAt,
      attempts: 0,
      firstScheduledAt: now.toISOString(),
    });
    logger.info({ meetingId: meeting.meetingId, dueAt }, 'call-record reconciliation scheduled');
  }

  start(): void {
    this.schedulePoll();
  }

  /** Stops polling and waits for the item in hand, so the store can be closed after it. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.polling;
  }

  private schedulePoll(): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'call-record reconciliation poll failed; polling again'))
        .finally(() => {
          this.polling = undefined;
          this.schedulePoll();
        });
    }, this.deps.settings.pollSeconds * 1000);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const due = await this.deps.store.listDueWork(RECONCILE_WORK, this.deps.now(), BATCH);
    for (const item of due) {
      if (this.stopping.signal.aborted) return;
      await this.attempt(item);
    }
  }

  private async attempt(listed: PendingWork): Promise<void> {
    const { store } = this.deps;
    const now = this.deps.now();
    if (!(await store.tryAcquireLease(listed, LEASE, this.instanceId, LEASE_TTL_MS, now))) return;
    try {
      // Another instance may have finished or rescheduled the item between our listing and our lease.
      const due = await store.listDueWork(RECONCILE_WORK, now, BATCH);
      const work = due.find((item) => item.tenantId === listed.tenantId && item.meetingId === listed.meetingId);
      if (!work) return;
      const outcome = await this.reconcile(work).catch((error: unknown): Outcome => failure(error));
      // Stopped mid-item: leave it due, untouched, for the next start.
      if (this.stopping.signal.aborted) return;
      await this.settle(work, outcome);
    } finally {
      await store.releaseLease(listed, LEASE, this.instanceId);
    }
  }

  private async reconcile(work: PendingWork): Promise<Outcome> {
    const { store, logger, callRecords, settings } = this.deps;
    const signal = this.stopping.signal;
    const [meeting, events] = await Promise.all([store.getMeeting(work), store.readEvents(work)]);
    // Sessions that ended longer before this work than its give-up period belong to earlier work, done or given up.
    const endedSince = new Date(Date.parse(work.firstScheduledAt) - settings.giveUpHours * 3_600_000).toISOString();
    const waiting = sessionsAwaitingReconciliation(events, buildSessions(events), endedSince);
    if (waiting.length === 0) return { kind: 'done', sessions: 0, added: 0 };
    if (!meeting?.joinUrl) return { kind: 'give-up', reason: "the meeting's join URL is not known, so its call record cannot be found" };

    let added = 0;
    let missing = 0;
    const namingNobody: NamelessRecord[] = [];
    for (const session of waiting) {
      const record = await callRecords.find(meeting.joinUrl, session, signal);
      if (!record) {
        missing += 1;
        continue;
      }
      const presences = await callRecords.presences(record.id, signal);
      if (presences.items.length === 0) {
        // Not reconciled with nobody: the report keeps its basis and the work is tried again until it gives up.
        const { sessions, unreadable, endpointShapes } = presences;
        namingNobody.push({ callRecordId: record.id, sessions, unreadable, endpointShapes });
        continue;
      }
      if (presences.unreadable > 0) {
        logger.warn(
          { meetingId: work.meetingId, callRecordId: record.id, unreadable: presences.unreadable },
          'call-record sessions skipped: not in the documented shape',
        );
      }
      const reconciled = reconciledEvents(session, presences.items);
      const appended = reconciled.length > 0 ? (await store.appendEvents(reconciled)).added : 0;
      if (appended > 0) await this.deps.webhooks?.eventsRecorded(meeting, reconciled);
      added += appended;
    }
    if (namingNobody.length > 0 && !work.lastError?.includes(NAMES_NOBODY)) {
      logger.warn(
        { meetingId: work.meetingId, callRecords: namingNobody },
        'call record names nobody the reconciler can read; the report keeps its figures and the record is read again later',
      );
    }
    const reasons = [
      ...(missing > 0 ? [`the call record of ${missing} of ${waiting.length} meeting sessions is not available yet`] : []),
      ...(namingNobody.length > 0 ? [`${NAMES_NOBODY} (${namingNobody.map((record) => record.callRecordId).join(', ')})`] : []),
    ];
    if (reasons.length > 0) return { kind: 'retry', reason: reasons.join('; ') };
    return { kind: 'done', sessions: waiting.length, added };
  }

  private async settle(work: PendingWork, outcome: Outcome): Promise<void> {
    const { store, logger, settings } = this.deps;
    const context = { meetingId: work.meetingId, attempts: work.attempts + 1, instanceId: this.instanceId };
    if (outcome.kind === 'done') {
      await store.completeWork(work, RECONCILE_WORK);
      logger.info({ ...context, sessions: outcome.sessions, added: outcome.added }, 'call records reconciled');
      return;
    }
    const plan = outcome.kind === 'retry' ? retryPlan(work, this.deps.now(), settings, outcome.retryAfterSeconds) : { giveUp: true as const };
    if (plan.giveUp) {
      await store.completeWork(work, RECONCILE_WORK);
      logger.warn({ ...context, reason: outcome.reason }, 'call-record reconciliation gave up; the report stays as it is');
      return;
    }
    await store.scheduleWork({ ...work, attempts: work.attempts + 1, dueAt: plan.dueAt, lastError: outcome.reason });
    const level = outcome.kind === 'retry' && outcome.failed ? 'warn' : 'info';
    logger[level]({ ...context, reason: outcome.reason, nextAttemptAt: plan.dueAt }, 'call records not reconciled yet; trying again later');
  }
}

/** A failed attempt, in words for the logs and the pending work. */
function failure(error: unknown): Outcome {
  if (!(error instanceof GraphError)) return { kind: 'retry', failed: true, reason: error instanceof Error ? error.message : String(error) };
  const hint = error.status === 401 || error.status === 403 ? ': does the app have CallRecords.Read.All with admin consent?' : '';
  return {
    kind: 'retry',
    failed: true,
    reason: `${error.message}${hint}`,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}
