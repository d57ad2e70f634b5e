/**
 * The `meeting-summary` job: post the summary card of every session of the meeting that ended and has none
 * yet (sessions that ended more than a day before the latest end are left alone: a recurring meeting's chat
 * keeps its earlier runs, summarised or not at the time). Scheduled, durably, by the meeting's end before the end is acknowledged.
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
import { JOB_LEASE_MS, type Job, type JobOutcome } from './jobRunner.js';

export const MEETING_SUMMARY_JOB = 'meeting-summary';
/** Sessions that ended longer than this before the meeting's latest end (Teams' times) are not summarised any more. */
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
    leaseMs: JOB_LEASE_MS,
    run: (work) => postSummaries(deps, work),
  };
}

async function postSummaries(deps: SummaryJobDeps, work: PendingWork): Promise<JobOutcome> {
  const { store, connector, logger } = deps;
  const register = await loadMeetingRegister(store, work);
  const { meeting } = register;
  const ref = meeting && meetingRefOfRecord(meeting);
  if (!meeting || !ref) return { kind: 'give-up', reason: "the meeting's chat is not known" };
  const allEnded = register.sessions.filter((session) => session.endedAt !== undefined);
  const latestEnd = allEnded.reduce((latest, session) => Math.max(latest, Date.parse(session.endedAt ?? '')), 0);
  const ended = allEnded.filter((session) => Date.parse(session.endedAt ?? '') >= latestEnd - SUMMARY_WINDOW_MS);
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
