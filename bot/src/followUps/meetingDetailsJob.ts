/**
 * The `meeting-details` job: fetch Teams' details of a meeting (title, type, join URL, organizer) once, then,
 * for an instant meeting, post the instant-meeting notice once. Scheduled by the first activity of a meeting
 * whose details are not known (and again at most once a minute while they are not).
 *
 * When Teams' meeting API answers 404 (an expired meeting, or a connector without the meeting APIs, such as
 * the Agents Playground), the details are not asked for again, and the log says once per meeting what the
 * bot could not learn; attendance is recorded as usual.
 */
import { isInstantMeeting } from '../attendance/meetingKinds.js';
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingRecord, PendingWork } from '../store/store.js';
import { INSTANT_MEETING_NOTICE } from '../teams/cards/messages.js';
import { retryAfterOf, statusOf } from '../teams/connectorCalls/connectorFailure.js';
import type { TeamsConnector } from '../teams/connectorCalls/teamsConnector.js';
import { meetingRefOfRecord } from '../teams/rosterSample.js';
import { JOB_LEASE_MS, type Job, type JobOutcome } from './jobRunner.js';

export const MEETING_DETAILS_JOB = 'meeting-details';
/** A failed details fetch is asked for again by a later activity, but not more often than this. */
export const DETAILS_RETRY_MS = 60_000;
const NOTICE = 'instant-meeting-notice';
/** Claimed once per meeting, so that the log says once what the meeting API could not tell. */
const MEETING_API_UNAVAILABLE_LOGGED = 'log:meeting-api-unavailable';

export interface MeetingDetailsJobDeps {
  store: AttendanceStore;
  logger: Logger;
  connector: TeamsConnector;
  now: () => Date;
}

/** Whether an activity of this meeting should ask for its details: unknown, and not asked for within the last minute. */
export function needsDetails(meeting: MeetingRecord, now: Date): boolean {
  if (meeting.detailsFetchedAt) return false;
  return !meeting.detailsAttemptedAt || now.getTime() - Date.parse(meeting.detailsAttemptedAt) >= DETAILS_RETRY_MS;
}

export function meetingDetailsJob(deps: MeetingDetailsJobDeps): Job {
  return {
    kind: MEETING_DETAILS_JOB,
    leaseMs: JOB_LEASE_MS,
    run: (work) => fetchDetailsThenNotice(deps, work),
  };
}

async function fetchDetailsThenNotice(deps: MeetingDetailsJobDeps, work: PendingWork): Promise<JobOutcome> {
  const { store, connector } = deps;
  let meeting = await store.getMeeting(work);
  const ref = meeting && meetingRefOfRecord(meeting);
  if (!meeting || !ref) return { kind: 'give-up', reason: "the meeting's chat is not known" };
  let problem: JobOutcome | undefined;
  if (!meeting.detailsFetchedAt) {
    const attemptedAt = deps.now().toISOString();
    // Marked before asking: other activities and instances see that the details are being asked for.
    meeting = await store.saveMeeting({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, detailsAttemptedAt: attemptedAt });
    try {
      const info = await connector.meetingInfo(ref);
      meeting = await store.saveMeeting({ ...info, tenantId: meeting.tenantId, meetingId: meeting.meetingId, detailsFetchedAt: attemptedAt });
    } catch (error) {
      problem = await detailsProblem(deps, meeting, error);
    }
  }
  if (isInstantMeeting(meeting.meetingType) && !(await store.hasClaim(meeting, NOTICE))) {
    await connector.post(ref, { text: INSTANT_MEETING_NOTICE }, work.replyToId);
    await store.claimOnce(meeting, NOTICE);
    deps.logger.info({ meetingId: meeting.meetingId, meetingType: meeting.meetingType }, 'posted the instant-meeting notice');
  }
  return problem ?? { kind: 'done' };
}

async function detailsProblem(deps: MeetingDetailsJobDeps, meeting: MeetingRecord, error: unknown): Promise<JobOutcome> {
  if (statusOf(error) === 404) {
    const level = (await deps.store.claimOnce(meeting, MEETING_API_UNAVAILABLE_LOGGED)) ? 'warn' : 'debug';
    deps.logger[level](
      { meetingId: meeting.meetingId },
      "Teams' meeting API answered 404 for this meeting (GET v1/meetings/{id}: the meeting expired, or this connector, such as the " +
        "Agents Playground, does not offer Teams' meeting APIs). Not learned: its title, its type (so no instant-meeting notice), " +
        'its organizer and its join URL (so no call-record reconciliation). Attendance is recorded from the events as usual.',
    );
    return { kind: 'give-up', reason: 'the meeting API answered 404' };
  }
  deps.logger.warn(
    { err: error, meetingId: meeting.meetingId },
    'meeting details unavailable; keeping what the events said and asking again later',
  );
  const retryAfterMs = retryAfterOf(error, deps.now());
  return { kind: 'retry', reason: error instanceof Error ? error.message : String(error), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
