/** What is known about a meeting itself (from Teams' meeting details), independent of who attended. */
export interface MeetingDetails {
  tenantId: string;
  meetingId: string;
  title?: string;
  /** Teams' meeting type: Scheduled, Recurring, MeetNow, ChannelScheduled, OneToOneCall, GroupCall, … */
  meetingType?: string;
  joinUrl?: string;
  organizerAadObjectId?: string;
  organizerTeamsUserId?: string;
  /** The organizer's user principal name (their sign-in e-mail), from the meeting chat's members. */
  organizerUpn?: string;
  /** Microsoft Graph's onlineMeeting id: Teams' `msGraphResourceId`, else derived (see meetingIds.ts). */
  onlineMeetingId?: string;
  /** The numeric code of a `https://teams.microsoft.com/meet/<code>` join link. */
  joinMeetingId?: string;
  /** When the app first saw this meeting: anything before is unknown to it. */
  trackingSince?: string;
}
