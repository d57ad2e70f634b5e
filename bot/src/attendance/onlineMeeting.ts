/**
 * A recorded meeting as Microsoft Graph's `onlineMeeting` resource, with Graph's property names and casing, so an
 * LMS that looks meetings up in Graph (by join link or join code) reads ours the same way. Only what we know is
 * filled in; the rest is null, as Graph leaves unknown properties. Our additions sit beside Graph's.
 */
import type { MeetingSession } from './ledger.js';
import { threadOf, type MeetingIds } from './meetingIds.js';
import { isInstantMeeting } from './meetingKinds.js';

export interface OnlineMeetingResource {
  id: string;
  creationDateTime: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  joinWebUrl: string | null;
  subject: string | null;
  chatInfo: { threadId: string | null; messageId: string | null; replyChainMessageId: string | null };
  participants: {
    organizer: {
      upn: string | null;
      role: 'presenter';
      identity: { user: { id: string | null; displayName: string | null; tenantId: string; identityProvider: 'AAD' } };
    };
    attendees: [];
  };
  joinMeetingIdSettings: { isPasscodeRequired: boolean; joinMeetingId: string; passcode: null } | null;
  /** Ours: Teams' own meeting id (the bot's `channelData.meeting.id`). */
  meetingId: string;
  /** Ours: Teams' meeting type (MeetNow, Scheduled, …). */
  meetingType: string | null;
  isInstantMeeting: boolean;
}

/**
 * `meeting` with the id Graph knows it by (`onlineMeetingId`, which every record with an organizer and a chat
 * has); its start is the first session's, its end the last one's (null while live or when nothing ran yet).
 */
export function onlineMeetingResource(
  meeting: MeetingIds & { tenantId: string; meetingId: string },
  sessions: readonly MeetingSession[],
  organizerDisplayName?: string,
): OnlineMeetingResource {
  const last = sessions.at(-1);
  return {
    id: meeting.onlineMeetingId ?? meeting.meetingId,
    creationDateTime: meeting.trackingSince ?? null,
    startDateTime: sessions[0]?.startedAt ?? meeting.trackingSince ?? null,
    endDateTime: last?.endedAt ?? null,
    joinWebUrl: meeting.joinUrl ?? null,
    subject: meeting.title ?? null,
    chatInfo: { threadId: threadOf(meeting) ?? null, messageId: '0', replyChainMessageId: null },
    participants: {
      organizer: {
        upn: meeting.organizerUpn ?? null,
        role: 'presenter',
        identity: {
          user: {
            id: meeting.organizerAadObjectId ?? null,
            displayName: organizerDisplayName ?? null,
            tenantId: meeting.tenantId,
            identityProvider: 'AAD',
          },
        },
      },
      attendees: [],
    },
    // The passcode is the link's `p`: whether there is one is told, the passcode itself never is.
    joinMeetingIdSettings: meeting.joinMeetingId
      ? { isPasscodeRequired: /[?&]p=[^&]/.test(meeting.joinUrl ?? ''), joinMeetingId: meeting.joinMeetingId, passcode: null }
      : null,
    meetingId: meeting.meetingId,
    meetingType: meeting.meetingType ?? null,
    isInstantMeeting: isInstantMeeting(meeting.meetingType),
  };
}
