/**
 * The `participant-emails` job: learn the UPN/e-mail of every tenant user in a meeting, which Teams' participant
 * events do not carry and LMS plugins match records on. One call of the meeting chat's paged members (through
 * the connector gate: single-flight per meeting, budgeted, backed off when Teams throttles) tells everyone's;
 * they are kept in the store's people (the cache every later report reads), and the organizer's becomes the
 * meeting's `organizerUpn`. Runs after the answer, scheduled at most once a minute per meeting while someone's
 * e-mail is unknown; a failed or incomplete lookup is tried again later and never holds up or fails a report.
 * Anonymous guests (no Entra id) are not looked up: their records keep `emailAddress: null`. The people it already
 * knows are saved again when their entry is a day old, so retention counts from the last meeting they were in.
 */
import { isParticipantEvent } from '../attendance/events.js';
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingRecord, PendingWork, PersonRecord } from '../store/store.js';
import { retryAfterOf } from '../teams/connectorCalls/connectorFailure.js';
import type { TeamsConnector } from '../teams/connectorCalls/teamsConnector.js';
import { meetingRefOfRecord } from '../teams/rosterSample.js';
import type { Job, JobOutcome } from './jobRunner.js';

export const PARTICIPANT_EMAILS_JOB = 'participant-emails';
/** How often a meeting's activities may ask again while someone's e-mail is unknown. */
export const EMAILS_RETRY_MS = 60_000;
/**
 * A known person in a meeting is saved again (dated now: retention deletes people not seen for its period) when
 * their entry is older than this, so the people of a busy meeting are written at most once a day each.
 */
export const SEEN_REFRESH_MS = 24 * 3_600_000;

export interface ParticipantEmailsJobDeps {
  store: AttendanceStore;
  logger: Logger;
  connector: TeamsConnector;
  now: () => Date;
}

export function participantEmailsJob(deps: ParticipantEmailsJobDeps): Job {
  return { kind: PARTICIPANT_EMAILS_JOB, leaseMs: 2 * 60_000, run: (work) => lookUpEmails(deps, work) };
}

async function lookUpEmails(deps: ParticipantEmailsJobDeps, work: PendingWork): Promise<JobOutcome> {
  const { store, connector, logger } = deps;
  const meeting = await store.getMeeting(work);
  const ref = meeting && meetingRefOfRecord(meeting);
  if (!meeting || !ref) return { kind: 'give-up', reason: "the meeting's chat is not known" };
  await organizerUpnFromPeople(store, meeting);
  const { unknown: wanted, seenAgain } = await peopleOfMeeting(store, meeting, deps.now());
  if (seenAgain.length > 0) {
    await store.savePeople(seenAgain);
    logger.debug({ meetingId: meeting.meetingId, people: seenAgain.length }, 'known people seen again: their directory entries dated now');
  }
  if (wanted.size === 0) return { kind: 'done' };
  let members;
  try {
    members = await connector.chatMembers(ref);
  } catch (error) {
    logger.warn({ err: error, meetingId: meeting.meetingId }, "the meeting chat's members are unavailable; e-mails are looked up again later");
    const retryAfterMs = retryAfterOf(error, deps.now());
    return { kind: 'retry', reason: error instanceof Error ? error.message : String(error), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  const people: PersonRecord[] = members.flatMap((member) => {
    if (!member.aadObjectId) return [];
    const person: PersonRecord = { tenantId: meeting.tenantId, id: member.aadObjectId };
    if (member.name) person.displayName = member.name;
    if (member.userPrincipalName ?? member.email) person.userPrincipalName = member.userPrincipalName ?? member.email;
    if (member.email) person.mail = member.email;
    return [person];
  });
  await store.savePeople(people);
  // Read again: the details job may have learnt the organizer while the members were being fetched.
  const current = await store.getMeeting(meeting);
  if (current) await organizerUpnFromPeople(store, current);
  const found = new Set(people.filter((person) => person.mail || person.userPrincipalName).map((person) => person.id.toLowerCase()));
  const missing = [...wanted].filter((id) => !found.has(id));
  logger.info({ meetingId: meeting.meetingId, looked: wanted.size, missing: missing.length }, 'participant e-mails looked up');
  // Someone not (yet) in the chat's members, e.g. a person who joined a moment ago: asked again later.
  return missing.length === 0 ? { kind: 'done' } : { kind: 'retry', reason: `${missing.length} participants' e-mails are not known yet` };
}

/**
 * The Entra object ids of the meeting's organizer and participants whose e-mail the app does not know yet, and
 * the people it knows among them whose entry is older than SEEN_REFRESH_MS (to be saved again).
 */
async function peopleOfMeeting(
  store: AttendanceStore,
  meeting: MeetingRecord,
  now: Date,
): Promise<{ unknown: Set<string>; seenAgain: PersonRecord[] }> {
  const lookUp = new Set<string>();
  const inMeeting = new Set<string>();
  if (meeting.organizerAadObjectId) {
    inMeeting.add(meeting.organizerAadObjectId.toLowerCase());
    if (!meeting.organizerUpn) lookUp.add(meeting.organizerAadObjectId.toLowerCase());
  }
  for (const event of await store.readEvents(meeting)) {
    if (!isParticipantEvent(event) || !event.participant.aadObjectId) continue;
    inMeeting.add(event.participant.aadObjectId.toLowerCase());
    if (!event.participant.email) lookUp.add(event.participant.aadObjectId.toLowerCase());
  }
  const unknown = new Set<string>();
  const seenAgain: PersonRecord[] = [];
  await Promise.all(
    [...inMeeting].map(async (id) => {
      const person = await store.findPerson(meeting.tenantId, id);
      if (lookUp.has(id) && !person?.mail && !person?.userPrincipalName) unknown.add(id);
      else if (person && now.getTime() - Date.parse(person.lastSeenAt ?? '') >= SEEN_REFRESH_MS) seenAgain.push(person);
    }),
  );
  return { unknown, seenAgain };
}

/**
 * The organizer's UPN on the meeting's record, when the app already knows the person (from this meeting's
 * members, looked up before its details said who organises it, or from another meeting).
 */
export async function organizerUpnFromPeople(store: AttendanceStore, meeting: MeetingRecord): Promise<void> {
  if (!meeting.organizerAadObjectId || meeting.organizerUpn) return;
  const organizer = await store.findPerson(meeting.tenantId, meeting.organizerAadObjectId);
  if (!organizer?.userPrincipalName) return;
  meeting.organizerUpn = organizer.userPrincipalName;
  await store.saveMeeting({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, organizerUpn: organizer.userPrincipalName });
}
