/** Teams activities for one meeting, shaped as Teams sends them to the bot's /api/messages. */
import { randomUUID } from 'node:crypto';
import { DEMO_BOT_ID, DEMO_MEETING_TITLE, DEMO_TENANT_ID, ana, type DemoPerson } from './people.js';

const EVENT_NAMES = {
  end: 'application/vnd.microsoft.meetingEnd',
  join: 'application/vnd.microsoft.meetingParticipantJoin',
  leave: 'application/vnd.microsoft.meetingParticipantLeave',
} as const;

export interface DemoMeetingIds {
  meetingId: string;
  chatId: string;
  joinUrl: string;
}

/** A fresh meeting id shaped like Teams' (base64 of "0#19:meeting_…@thread.v2#0"). */
export function newMeetingIds(): DemoMeetingIds {
  const thread = `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`;
  return {
    meetingId: Buffer.from(`0#${thread}#0`).toString('base64'),
    chatId: thread,
    joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0`,
  };
}

export class MeetingActivities {
  constructor(
    private readonly ids: DemoMeetingIds,
    private readonly serviceUrl: string,
  ) {}

  /** The app added to the meeting chat by the organizer. */
  installed(at: Date): object {
    return {
      ...this.common(at, ana),
      type: 'conversationUpdate',
      membersAdded: [{ id: DEMO_BOT_ID }],
    };
  }

  joined(at: Date, people: readonly DemoPerson[]): object {
    return this.participantEvent(EVENT_NAMES.join, at, people, true);
  }

  left(at: Date, people: readonly DemoPerson[]): object {
    return this.participantEvent(EVENT_NAMES.leave, at, people, false);
  }

  ended(at: Date): object {
    return {
      ...this.common(at, ana),
      type: 'event',
      name: EVENT_NAMES.end,
      value: {
        Id: this.ids.meetingId,
        JoinUrl: this.ids.joinUrl,
        Title: DEMO_MEETING_TITLE,
        MeetingType: 'MeetNow',
        EndTime: at.toISOString(),
      },
    };
  }

  private participantEvent(name: string, at: Date, people: readonly DemoPerson[], inMeeting: boolean): object {
    return {
      ...this.common(at, ana),
      type: 'event',
      name,
      value: {
        members: people.map((person) => ({
          user: {
            id: person.id,
            name: person.name,
            ...(person.aadObjectId ? { aadObjectId: person.aadObjectId, tenantId: DEMO_TENANT_ID, userRole: 'user' } : {}),
          },
          meeting: { inMeeting, role: person.role },
        })),
      },
    };
  }

  private common(at: Date, from: DemoPerson) {
    return {
      id: `${at.getTime()}-${randomUUID().slice(0, 8)}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: at.toISOString(),
      locale: 'en-GB',
      recipient: { id: DEMO_BOT_ID, name: 'Attendance' },
      from: { id: from.id, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) },
      conversation: { isGroup: true, conversationType: 'groupChat', tenantId: DEMO_TENANT_ID, id: this.ids.chatId },
      channelData: { tenant: { id: DEMO_TENANT_ID }, meeting: { id: this.ids.meetingId }, source: null },
    };
  }
}
