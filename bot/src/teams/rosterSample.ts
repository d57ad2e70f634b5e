/**
 * One roster sample of a meeting, outside any turn, through the connector gate. What fails is reported to the
 * caller as a problem, never thrown.
 *
 * What a 404 means. Teams documents 404 from getMeetingParticipant for an expired meeting; it also answers
 * 404 for one person now and then while it answers for everyone else (seen for a meeting's organizer in the
 * middle of a meeting), and a connector without the meeting APIs (the Agents Playground) answers 404 to all.
 * So a 404 for one person makes that person unreadable (they keep their state), and a sample in which every
 * lookup answered 404 is `allNotFound`: it changes nothing, and the sampler stops after several in a row,
 * taking the meeting as expired (or the meeting APIs as unavailable).
 */
import type { MeetingRecord } from '../store/store.js';
import { retryAfterOf, statusOf } from './connectorCalls/connectorFailure.js';
import type { TeamsConnector } from './connectorCalls/teamsConnector.js';
import { presentInMeeting, type MeetingPresence } from './meetingPresence.js';
import type { MeetingRef } from './meetingRef.js';

export type SampleOutcome =
  | { ok: true; presence: MeetingPresence; allNotFound: boolean }
  | { ok: false; problem: 'not-installed' | 'throttled' | 'failed'; detail: string; retryAfterMs?: number };

export function meetingRefOfRecord(record: MeetingRecord): MeetingRef | undefined {
  if (!record.chatId || !record.serviceUrl) return undefined;
  return { tenantId: record.tenantId, meetingId: record.meetingId, chatId: record.chatId, serviceUrl: record.serviceUrl };
}

export async function takeRosterSample(connector: TeamsConnector, meeting: MeetingRef): Promise<SampleOutcome> {
  try {
    const presence = await presentInMeeting(connector, meeting, (reason) => {
      const status = statusOf(reason);
      // The whole sample stops: nobody can be read when the app is not installed, and throttling means wait.
      if (status === 403 || status === 429) throw reason;
    });
    const asked = presence.present.length + presence.absent.length + presence.unreadable.length;
    return { ok: true, presence, allNotFound: asked > 0 && presence.notFound === asked };
  } catch (error) {
    return problemOf(error);
  }
}

function problemOf(error: unknown): SampleOutcome {
  const status = statusOf(error);
  if (status === 403) return { ok: false, problem: 'not-installed', detail: 'Teams answered 403: the app is not installed in this meeting' };
  if (status === 429) {
    const retryAfterMs = retryAfterOf(error, new Date());
    return {
      ok: false,
      problem: 'throttled',
      detail: 'Teams is throttling the roster calls (429)',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { ok: false, problem: 'failed', detail: error instanceof Error ? error.message : String(error) };
}
