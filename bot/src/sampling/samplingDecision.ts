/** Whether a meeting's roster should be sampled now (pure: from what the ledger knows). */
import type { MeetingSession } from '../attendance/ledger.js';
import { isInstantMeeting } from '../attendance/meetingKinds.js';
import type { MeetingRecord } from '../store/store.js';

export type SamplingDecision = 'sample' | 'wait' | 'stop';

export function samplingDecision(
  meeting: MeetingRecord,
  latest: MeetingSession | undefined,
  now: Date,
  graceSeconds: number,
): SamplingDecision {
  if (latest?.endedAt) return 'stop';
  if (isInstantMeeting(meeting.meetingType)) return 'sample';
  const hasTeamsEvents = latest?.participants.some((entry) => entry.intervals.some((interval) => interval.source === 'event'));
  if (hasTeamsEvents) return 'stop';
  const trackingSince = Date.parse(meeting.trackingSince ?? latest?.startedAt ?? now.toISOString());
  return now.getTime() - trackingSince >= graceSeconds * 1000 ? 'sample' : 'wait';
}
