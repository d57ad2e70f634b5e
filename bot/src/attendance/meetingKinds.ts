/** Teams meeting types and what they mean for attendance reporting. */

export const INSTANT_MEETING_TYPES = ['MeetNow', 'GroupCall', 'OneToOneCall'] as const;

const MEETING_TYPE_LABELS: Record<string, string> = {
  Scheduled: 'Scheduled meeting',
  Recurring: 'Recurring meeting',
  MeetNow: 'Meet Now (instant)',
  ChannelScheduled: 'Channel meeting',
  ChannelRecurring: 'Recurring channel meeting',
  OneToOneCall: '1:1 call (instant)',
  GroupCall: 'Group call (instant)',
};

/** Instant meetings get no Teams/Graph attendance report; only a known type can say so. */
export function isInstantMeeting(meetingType: string | undefined): boolean {
  return (INSTANT_MEETING_TYPES as readonly string[]).includes(meetingType ?? '');
}

export function meetingTypeLabel(meetingType: string | undefined): string {
  if (!meetingType) return 'Meeting (type not known yet)';
  return MEETING_TYPE_LABELS[meetingType] ?? `Meeting (${meetingType})`;
}
