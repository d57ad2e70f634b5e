/** Keeps the stored meeting record current: where its chat is, and what the activities say about it. */
import type { MeetingDetails } from '../../attendance/meeting.js';
import type { MeetingRecord } from '../../store/store.js';
import type { BotDeps } from '../botDeps.js';
import type { MeetingRef } from '../meetingRef.js';

/**
 * Saves what an activity tells about its meeting; `seenAt` moves "tracking since" earlier, never later.
 * Every activity of a meeting passes here, so the record is written only when the activity tells something
 * new: rewriting it for every join of a storm made it the hottest row in the store, and on Azure Tables
 * concurrent rewrites of one row conflict until the retries run out (a 500 for an event already recorded).
 * Teams' own details (title, type, organizer) are fetched after the answer (followUps/meetingDetailsJob.ts).
 */
export async function rememberMeeting(
  deps: Pick<BotDeps, 'store'>,
  ref: MeetingRef,
  seenAt: string,
  details: Partial<MeetingDetails> = {},
): Promise<MeetingRecord> {
  const known = await deps.store.getMeeting(ref);
  const trackingSince = known?.trackingSince && known.trackingSince < seenAt ? known.trackingSince : seenAt;
  const update: MeetingRecord = {
    ...details,
    tenantId: ref.tenantId,
    meetingId: ref.meetingId,
    chatId: ref.chatId,
    serviceUrl: ref.serviceUrl,
    trackingSince,
  };
  if (known && tellsNothingNew(known, update)) return known;
  return deps.store.saveMeeting(update);
}

function tellsNothingNew(known: MeetingRecord, update: MeetingRecord): boolean {
  return Object.entries(update).every(([field, value]) => value === undefined || known[field as keyof MeetingRecord] === value);
}
