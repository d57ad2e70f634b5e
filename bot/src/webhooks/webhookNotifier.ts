/**
 * Decides which webhooks a recorded change owes, and puts them in the store's outbox before Teams (or the
 * reconciler) is told the change is recorded: a crash after that loses no webhook, and a redelivered event
 * enqueues the same messages again, which the outbox skips. A meeting's end owes attendanceReport.created for
 * the session it closes; a participant fact about an ended session (reconciliation, a late event) owes
 * attendanceReport.updated, unless the session's figures are what was last announced.
 */
import { createHash } from 'node:crypto';
import { isParticipantEvent, type AttendanceEvent } from '../attendance/events.js';
import type { MeetingSession } from '../attendance/ledger.js';
import type { Logger } from '../log.js';
import { loadMeetingAttendance } from '../meetings/meetingAttendance.js';
import type { RegisterChange } from '../meetings/registerChanged.js';
import type { AttendanceStore, MeetingRecord } from '../store/store.js';
import type { WebhookDelivery } from '../store/webhookOutbox.js';
import { messageIdFor, webhookPayload, type WebhookEventType } from './webhookPayload.js';
import type { WebhookEndpoint } from './webhookSettings.js';

export interface WebhookNotifierDeps {
  store: AttendanceStore;
  logger: Logger;
  endpoints: readonly WebhookEndpoint[];
  now: () => Date;
  /** Told when deliveries were added, so that this instance delivers them at once. */
  onEnqueued: () => void;
}

interface Announcement {
  type: WebhookEventType;
  session: MeetingSession;
  timestamp: string;
  /** What changed besides the events (a correction, a rule change): part of the message id. */
  change?: string;
}

/** The notifier as the bot's handlers and the reconciler see it. */
export type WebhookHook = Pick<WebhookNotifier, 'eventsRecorded'>;


export class WebhookNotifier {
  constructor(private readonly deps: WebhookNotifierDeps) {}

  /**
   * `events` were just stored for `meeting` (whose record is current). Costs nothing for the usual join or
   * leave of a live meeting: only an end, or a fact dated within an ended session, reads the meeting's sessions
   * (from the copy held in memory, which the events just stored are already part of).
   */
  async eventsRecorded(meeting: MeetingRecord, events: readonly AttendanceEvent[]): Promise<void> {
    const endedAt = meeting.lastEndedAt ? Date.parse(meeting.lastEndedAt) : undefined;
    const ends = events.filter((event) => event.kind === 'meetingEnded');
    const late = events.filter(
      (event) => isParticipantEvent(event) && (event.source === 'reconciled' || (endedAt !== undefined && Date.parse(event.occurredAt) <= endedAt)),
    );
    if (ends.length === 0 && late.length === 0) return;
    const sessions = (await loadMeetingAttendance(this.deps.store, meeting)).sessions.filter((session) => session.endedAt !== undefined);
    const announcements = new Map<string, Announcement>();
    for (const end of ends) {
      const session = sessions.find((candidate) => Date.parse(candidate.endedAt ?? '') === Date.parse(end.occurredAt));
      if (session) announcements.set(session.sessionId, { type: 'attendanceReport.created', session, timestamp: end.occurredAt });
    }
    for (const event of late) {
      const at = Date.parse(event.occurredAt);
      const session = sessions.find((candidate) => Date.parse(candidate.startedAt) <= at && at <= Date.parse(candidate.endedAt ?? ''));
      if (session && !announcements.has(session.sessionId)) {
        announcements.set(session.sessionId, { type: 'attendanceReport.updated', session, timestamp: this.deps.now().toISOString() });
      }
    }
    await this.enqueue(meeting, [...announcements.values()]);
    const lastEnd = ends.map((end) => end.occurredAt).sort().at(-1);
    if (lastEnd && (endedAt === undefined || Date.parse(lastEnd) > endedAt)) {
      await this.deps.store.saveMeeting({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, lastEndedAt: lastEnd });
    }
  }

  /**
   * A correction or a rule change was stored (meetings/registerChanged.ts): each ended session it touches owes
   * attendanceReport.updated, its message id naming the change, since the events themselves did not change.
   */
  async registerChanged(change: RegisterChange): Promise<void> {
    const { meeting, sessions } = await loadMeetingAttendance(this.deps.store, change);
    if (!meeting) return;
    const touched = sessions.filter(
      (session) => session.endedAt !== undefined && change.reportIds.includes(session.sessionId),
    );
    const timestamp = this.deps.now().toISOString();
    await this.enqueue(
      meeting,
      touched.map((session) => ({ type: 'attendanceReport.updated', session, timestamp, change: `${change.cause}@${timestamp}` })),
    );
  }

  private async enqueue(meeting: MeetingRecord, announcements: readonly Announcement[]): Promise<void> {
    const createdAt = this.deps.now().toISOString();
    const endpoints = this.deps.endpoints.filter((endpoint) => endpoint.tenantId === undefined || endpoint.tenantId === meeting.tenantId);
    const deliveries = announcements.flatMap(({ type, session, timestamp, change }) => {
      const messageId = messageIdFor(session, change);
      const body = JSON.stringify(webhookPayload(type, timestamp, meeting, session.sessionId));
      return endpoints.map(
        (endpoint): WebhookDelivery => ({
          tenantId: meeting.tenantId,
          meetingId: meeting.meetingId,
          messageId,
          endpointId: endpointIdOf(endpoint.url),
          endpointUrl: endpoint.url,
          type,
          reportId: session.sessionId,
          body,
          createdAt,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: createdAt,
        }),
      );
    });
    if (deliveries.length === 0) return;
    const { added } = await this.deps.store.enqueueDeliveries(deliveries);
    if (added === 0) return;
    this.deps.logger.info(
      { meetingId: meeting.meetingId, events: announcements.map(({ type, session }) => ({ type, reportId: session.sessionId })), deliveries: added },
      'webhooks enqueued',
    );
    this.deps.onEnqueued();
  }
}

/** Names an endpoint in the store: its deliveries stay its own whatever else the configuration lists. */
export function endpointIdOf(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}
