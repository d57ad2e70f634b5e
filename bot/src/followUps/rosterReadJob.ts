/**
 * The `roster-read:<moment>` jobs: read who is expected in a meeting (its chat's members, paged; a channel
 * meeting's channel members, up to ROSTER_LIMIT) when tracking starts, at a start and at an end, and store
 * them as roster facts stamped with that moment's Teams time. Scheduled durably before Teams gets its
 * answer, run after it; the members call goes through the connector gate (single-flight per meeting).
 * Bots are members of chats but not people: they are left out.
 */
import { isBot, type RosterFact } from '../attendance/roster.js';
import type { Logger } from '../log.js';
import { loadMeetingAttendance } from '../meetings/meetingAttendance.js';
import type { AttendanceStore, MeetingRecord, PendingWork } from '../store/store.js';
import { ROSTER_LIMIT } from '../teams/connector.js';
import { statusOf } from '../teams/connectorCalls/connectorFailure.js';
import type { TeamsConnector } from '../teams/connectorCalls/teamsConnector.js';
import { participantFromChatMember } from '../teams/participantFromChatMember.js';
import { meetingRefOfRecord } from '../teams/rosterSample.js';
import { JOB_LEASE_MS, type Job, type JobOutcome } from './jobRunner.js';

export const ROSTER_MOMENTS = ['tracking', 'start', 'end'] as const;
export type RosterMoment = (typeof ROSTER_MOMENTS)[number];

export const rosterReadKind = (moment: RosterMoment) => `roster-read:${moment}`;

export interface RosterReadDeps {
  store: AttendanceStore;
  logger: Logger;
  connector: TeamsConnector;
}

export function rosterReadJobs(deps: RosterReadDeps): Job[] {
  return ROSTER_MOMENTS.map((moment) => ({
    kind: rosterReadKind(moment),
    leaseMs: JOB_LEASE_MS,
    run: (work: PendingWork) => readRoster(deps, work, moment),
  }));
}

async function readRoster(deps: RosterReadDeps, work: PendingWork, moment: RosterMoment): Promise<JobOutcome> {
  const meeting = await deps.store.getMeeting(work);
  const ref = meeting && meetingRefOfRecord(meeting);
  if (!meeting || !ref) return { kind: 'give-up', reason: "the meeting's chat is not known" };
  const observedAt = await momentTime(deps.store, meeting, moment);
  if (!observedAt) return { kind: 'give-up', reason: `the meeting has no recorded ${moment}` };
  let members;
  try {
    members = await deps.connector.chatMembers(ref);
  } catch (error) {
    // 403: the app is not in the chat any more; 404: the chat or meeting is gone. Asking again will not help.
    const status = statusOf(error);
    if (status === 403 || status === 404) return { kind: 'give-up', reason: `Teams answered ${status} to the members call` };
    throw error;
  }
  const facts: RosterFact[] = members
    .map((member) => participantFromChatMember(member, undefined))
    .filter((participant) => !isBot(participant))
    .map((participant) => ({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, participant, observedAt }));
  const { added } = facts.length > 0 ? await deps.store.appendRosterFacts(facts) : { added: 0 };
  const truncated = members.length >= ROSTER_LIMIT;
  deps.logger[truncated ? 'warn' : 'info'](
    { meetingId: meeting.meetingId, moment, observedAt, members: facts.length, added, truncated },
    truncated ? `roster read: only the first ${ROSTER_LIMIT} members are on the register` : 'roster read',
  );
  return { kind: 'done' };
}

/** The Teams time of the moment: when tracking began, or the latest session's start or end. */
async function momentTime(store: AttendanceStore, meeting: MeetingRecord, moment: RosterMoment): Promise<string | undefined> {
  if (moment === 'tracking') return meeting.trackingSince;
  const { sessions } = await loadMeetingAttendance(store, meeting);
  if (moment === 'start') return sessions.at(-1)?.startedAt;
  return sessions.filter((session) => session.endedAt !== undefined).at(-1)?.endedAt;
}
