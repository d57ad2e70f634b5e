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
  /** When the app first saw this meeting: anything before is unknown to it. */
  trackingSince?: string;
}
