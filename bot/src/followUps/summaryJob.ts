/**
 * The `meeting-summary` job: post the summary card of every session of the meeting that ended (within the
 * last day) and has none yet. Scheduled, durably, by the meeting's end before the end is acknowledged.
 * The card is posted first and the session's one-time claim taken after it: a crash between the two posts
 * it again after the restart (never zero times); the job's lease keeps two instances from posting together.
 */
import type { AttendanceRule } from '../attendance/rule.js';
import type { Logger } from '../log.js';
import { loadMeetingRegister, registerReportOf } from '../meetings/meetingRegister.js';
import type { AttendanceStore, PendingWork } from '../store/store.js';
import { reportCard } from '../teams/cards/reportCard.js';
import type { TeamsConnector } from '../teams/connectorCalls/teamsConnector.js';
import { meetingRefOfRecord } from '../teams/rosterSample.js';
import type { Job, JobOutcome } from './jobRunner.js';

export const MEETING_SUMMARY_JOB = 'meeting-summary';
/** Sessions that ended longer ago than this before the work was scheduled are not summarised any more. */
const SUMMARY_WINDOW_MS = 24 * 3_600_000;

export interface SummaryJobDeps {
  store: AttendanceStore;
  logger: Logger;
  connector: TeamsConnector;
  now: () => Date;
  /** The register's rule for meetings whose organizer set none. */
  defaultRule: AttendanceRule;
}

export function summaryJob(deps: SummaryJobDeps): Job {
  return {
    kind: MEETING_SUMMARY_JOB,
    leaseMs: 2 * 60_000,
    run: (work) => postSummaries(deps, work),
  };
}

async function postSummaries(deps: SummaryJobDeps, work: PendingWork): Promise<JobOutcome> {
  const { store, connector, logger } = deps;
  const register = await loadMeetingRegister(store, work);
  const { meeting } = register;
  const ref = meeting && meetingRefOfRecord(meeting);
  if (!meeting || !ref) return { kind: 'give-up', reason: "the meeting's chat is not known" };
  const since = new Date(Date.parse(work.firstScheduledAt) - SUMMARY_WINDOW_MS).toISOString();
  const ended = register.sessions.filter((session) => session.endedAt !== undefined && session.endedAt >= since);
  for (const session of ended) {
    const claim = `summary:${session.sessionId}`;
    if (await store.hasClaim(meeting, claim)) continue;
    const report = registerReportOf(register, session, deps.defaultRule, deps.now().toISOString());
    await connector.post(ref, { attachments: [reportCard(report)] }, work.replyToId);
    await store.claimOnce(meeting, claim);
    logger.info({ meetingId: meeting.meetingId, reportId: session.sessionId }, 'posted the end-of-meeting summary');
  }
  return { kind: 'done' };
}
