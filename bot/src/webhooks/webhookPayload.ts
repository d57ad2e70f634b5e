/**
 * What a webhook says: which report is ready or changed, and where to read it (a Graph-shaped path under
 * /v1.0), never the attendance itself: the receiver reads that with its own token, under the API's access rules.
 */
import { createHash } from 'node:crypto';
import type { MeetingSession } from '../attendance/ledger.js';
import type { MeetingRecord } from '../store/store.js';
import { onlineMeetingIdFor } from '../attendance/meetingIds.js';

export type WebhookEventType = 'attendanceReport.created' | 'attendanceReport.updated';

export interface WebhookPayload {
  type: WebhookEventType;
  timestamp: string;
  data: {
    tenantId: string;
    meetingId: string;
    onlineMeetingId: string | null;
    chatThreadId: string | null;
    joinWebUrl: string | null;
    reportId: string;
    organizer: { id: string | null; userPrincipalName: string | null };
    /** Null while the organizer is unknown: Graph's path names the organizer. */
    resource: string | null;
  };
}

/** The payload's onlineMeetingId: Graph's id of the meeting (onlineMeetingIdFor), null while it cannot be known. */
export function onlineMeetingIdOf(record: Pick<MeetingRecord, 'onlineMeetingId' | 'organizerAadObjectId' | 'chatId' | 'joinUrl'>): string | null {
  return onlineMeetingIdFor(record) ?? null;
}

export function webhookPayload(type: WebhookEventType, timestamp: string, meeting: MeetingRecord, reportId: string): WebhookPayload {
  const onlineMeetingId = onlineMeetingIdOf(meeting);
  const organizerId = meeting.organizerAadObjectId ?? null;
  return {
    type,
    timestamp,
    data: {
      tenantId: meeting.tenantId,
      meetingId: meeting.meetingId,
      onlineMeetingId,
      chatThreadId: meeting.chatId ?? null,
      joinWebUrl: meeting.joinUrl ?? null,
      reportId,
      organizer: { id: organizerId, userPrincipalName: meeting.organizerUpn ?? null },
      resource:
        organizerId && onlineMeetingId
          ? `/v1.0/users/${encodeURIComponent(organizerId)}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports/${encodeURIComponent(reportId)}`
          : null,
    },
  };
}

/**
 * The webhook-id of the news that a session's figures are what they are now: the same for the same session and
 * figures (so recording the same change again, a redelivery or a retry, owes no new message), a new one
 * whenever the figures change.
 */
export function messageIdFor(session: MeetingSession, change = ''): string {
  const figures = createHash('sha256').update(JSON.stringify(session)).update(change).digest('base64url');
  return `msg_${figures.slice(0, 32)}`;
}
