/**
 * One meeting as a sync job lists it (GET /api/meetings): every id an outside system may hold, what kind of
 * meeting it is, its sessions, and whether its figures are final (so the job knows to read them now or later).
 */
import type { MeetingSession } from './ledger.js';
import { threadOf, type MeetingIds } from './meetingIds.js';
import { isInstantMeeting } from './meetingKinds.js';

export interface MeetingListItem {
  /** Teams' meeting id: the key of /api/meetings/{meetingId}/…. */
  id: string;
  onlineMeetingId: string | null;
  chatThreadId: string | null;
  joinWebUrl: string | null;
  joinMeetingId: string | null;
  organizer: { id: string | null; userPrincipalName: string | null };
  title: string | null;
  meetingType: string | null;
  isInstantMeeting: boolean;
  /** When the app first saw the meeting (the first session's start, or when it was added). */
  startDateTime: string | null;
  sessionCount: number;
  /** The latest session's report id (/attendanceReports/{id}); null before anything was recorded. */
  latestReportId: string | null;
  latestReportEndDateTime: string | null;
  /** True once the latest session has ended and no reconciliation is pending (done, given up, or off). */
  figuresFinal: boolean;
}

export function meetingListItem(meeting: MeetingIds, sessions: readonly MeetingSession[], reconciliationPending: boolean): MeetingListItem {
  const latest = sessions.at(-1);
  return {
    id: meeting.meetingId,
    onlineMeetingId: meeting.onlineMeetingId ?? null,
    chatThreadId: threadOf(meeting) ?? null,
    joinWebUrl: meeting.joinUrl ?? null,
    joinMeetingId: meeting.joinMeetingId ?? null,
    organizer: { id: meeting.organizerAadObjectId ?? null, userPrincipalName: meeting.organizerUpn ?? null },
    title: meeting.title ?? null,
    meetingType: meeting.meetingType ?? null,
    isInstantMeeting: isInstantMeeting(meeting.meetingType),
    startDateTime: sessions[0]?.startedAt ?? meeting.trackingSince ?? null,
    sessionCount: sessions.length,
    latestReportId: latest?.sessionId ?? null,
    latestReportEndDateTime: latest?.endedAt ?? null,
    figuresFinal: latest?.endedAt !== undefined && !reconciliationPending,
  };
}
