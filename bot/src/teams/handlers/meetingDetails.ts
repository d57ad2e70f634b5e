/** Keeps the stored meeting record current: where its chat is, and Teams' details (title, type, organizer). */
import type { TurnContext } from 'botbuilder';
import type { MeetingDetails } from '../../attendance/meeting.js';
import type { MeetingRecord } from '../../store/store.js';
import type { BotDeps } from '../botDeps.js';
import { fetchMeetingInfo } from '../connector.js';
import type { MeetingRef } from '../meetingRef.js';

/** A failed details fetch is tried again on a later activity, but not more often than this. */
const DETAILS_RETRY_MS = 60_000;

/**
 * Saves what an activity tells about its meeting; `seenAt` moves "tracking since" earlier, never later.
 * Every activity of a meeting passes here, so the record is written only when the activity tells something
 * new: rewriting it for every join of a storm made it the hottest row in the store, and on Azure Tables
 * concurrent rewrites of one row conflict until the retries run out (a 500 for an event already recorded).
 */
export async function rememberMeeting(
  deps: BotDeps,
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

/** Fetches Teams' meeting details unless already known; on failure keeps what is known and retries later. */
export async function ensureMeetingDetails(
  context: TurnContext,
  deps: BotDeps,
  ref: MeetingRef,
  known: MeetingRecord,
): Promise<MeetingRecord> {
  if (known.detailsFetchedAt) return known;
  const now = deps.now();
  if (known.detailsAttemptedAt && now.getTime() - Date.parse(known.detailsAttemptedAt) < DETAILS_RETRY_MS) return known;
  try {
    const info = await fetchMeetingInfo(context, ref);
    return await deps.store.saveMeeting({
      ...info,
      tenantId: ref.tenantId,
      meetingId: ref.meetingId,
      detailsFetchedAt: now.toISOString(),
      detailsAttemptedAt: now.toISOString(),
    });
  } catch (error) {
    deps.logger.warn(
      { err: error, meetingId: ref.meetingId },
      'meeting details unavailable; keeping what the events said and retrying on a later activity',
    );
    return deps.store.saveMeeting({ tenantId: ref.tenantId, meetingId: ref.meetingId, detailsAttemptedAt: now.toISOString() });
  }
}
