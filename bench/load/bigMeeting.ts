/**
 * A big meeting's ledger, generated: a start, an end four hours later, and in between each participant's
 * sessions (join, leave) at made-up but deterministic moments, as the store would hold them after Teams sent
 * them. Exactly `events` events in all.
 */
import { eventKeyFor, type AttendanceEvent, type Participant } from '../../bot/src/attendance/events.js';
import type { MeetingRecord } from '../../bot/src/store/store.js';
import { TENANT_ID } from '../../test/support/people.js';
import { benchPerson } from './activities.js';

const MINUTE_MS = 60_000;
const MEETING_MS = 4 * 60 * MINUTE_MS;

export interface BigMeeting {
  record: MeetingRecord;
  events: AttendanceEvent[];
}

export function bigMeeting(options: { meetingId: string; participants: number; events: number; startedAt: number }): BigMeeting {
  const { meetingId, participants, startedAt } = options;
  const pairs = Math.floor((options.events - 2) / 2);
  const sessionsPerPerson = Math.ceil(pairs / participants);
  const slotMs = MEETING_MS / (sessionsPerPerson + 1);
  const common = (occurredAt: number) => ({ tenantId: TENANT_ID, meetingId, occurredAt: new Date(occurredAt).toISOString(), source: 'event' as const });
  const started = common(startedAt);
  const events: AttendanceEvent[] = [
    { ...started, kind: 'meetingStarted', eventKey: eventKeyFor({ ...started, kind: 'meetingStarted' }), activityId: 'start' },
  ];
  for (let pair = 0; pair < pairs; pair += 1) {
    const person = pair % participants;
    const session = Math.floor(pair / participants);
    const participant = participantOf(person);
    // Each session in its own slot of the meeting, at a moment and for a length that vary from person to person.
    const joinedAt = startedAt + session * slotMs + ((person * 7919) % (slotMs / 2));
    const leftAt = joinedAt + MINUTE_MS + ((person * 104_729) % (slotMs / 2 - MINUTE_MS));
    for (const [kind, at] of [['participantJoined', joinedAt], ['participantLeft', leftAt]] as const) {
      const fields = common(Math.round(at));
      events.push({
        ...fields,
        kind,
        participant,
        eventKey: eventKeyFor({ ...fields, kind, participantKey: participant.key }),
        activityId: `${kind}-${pair}`,
      });
    }
  }
  const ended = common(startedAt + MEETING_MS);
  events.push({ ...ended, kind: 'meetingEnded', eventKey: eventKeyFor({ ...ended, kind: 'meetingEnded' }), activityId: 'end' });
  const organizer = participantOf(0);
  return {
    events,
    record: {
      tenantId: TENANT_ID,
      meetingId,
      title: 'All-hands',
      meetingType: 'Scheduled',
      organizerAadObjectId: organizer.aadObjectId,
      organizerTeamsUserId: organizer.teamsUserId,
      trackingSince: started.occurredAt,
    },
  };
}

/** Participant `index` as the ledger holds them once Teams' join arrived (benchPerson's identity). */
export function participantOf(index: number): Participant {
  const person = benchPerson(index);
  const key = person.aadObjectId ?? person.id;
  return {
    key,
    teamsUserId: person.id,
    aadObjectId: key,
    displayName: person.name,
    email: `participant${index}@contoso.test`,
    tenantId: TENANT_ID,
    role: person.role,
  };
}
