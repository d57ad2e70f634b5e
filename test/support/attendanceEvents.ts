/**
 * Builders for ledger events, so tests read as timelines ("Ana joins at 09:00:05.456") rather than as
 * object literals. Event keys are built with the production `eventKeyFor`, as the Teams parser does.
 */
import {
  eventKeyFor,
  type EventSource,
  type MeetingEnded,
  type MeetingStarted,
  type Participant,
  type ParticipantFoundPresent,
  type ParticipantJoined,
  type ParticipantLeft,
} from '../../bot/src/attendance/events.js';

export const TENANT_ID = '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f';
export const MEETING_ID = 'MCMxOTptZWV0aW5nX1lUZ3l@thread.v2';

export interface EventOptions {
  /** Defaults to an id derived from the fact, so building the same fact twice gives the same delivery. */
  activityId?: string | null;
  source?: EventSource;
  meetingId?: string;
  sampleIntervalSeconds?: number;
}

/** Today's test meeting day at the given UTC wall time: at('09:00:05.456'). */
export function at(time: string): string {
  return new Date(`2025-11-26T${time}Z`).toISOString();
}

export function person(key: string, extra: Partial<Participant> = {}): Participant {
  return { key, teamsUserId: key.startsWith('29:') ? key : `29:${key}`, ...extra };
}

export const ana = person('5d3c2b1a-0000-4000-8000-000000000101', {
  teamsUserId: '29:1AnaTeacher1',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000101',
  displayName: 'Ana Teacher',
  tenantId: TENANT_ID,
  role: 'Organizer',
});

export const bob = person('5d3c2b1a-0000-4000-8000-000000000202', {
  teamsUserId: '29:1BobStudent2',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000202',
  displayName: 'Bob Student',
  tenantId: TENANT_ID,
  role: 'Attendee',
});

export const guest = person('29:1GuestVisitor9', { displayName: 'Guest Visitor', role: 'Attendee' });

function base(kind: string, occurredAt: string, participantKey: string | undefined, options: EventOptions) {
  const meetingId = options.meetingId ?? MEETING_ID;
  const activityId =
    options.activityId === undefined ? `activity|${kind}|${participantKey ?? ''}|${occurredAt}` : options.activityId;
  return {
    tenantId: TENANT_ID,
    meetingId,
    occurredAt,
    source: options.source ?? ('event' as const),
    ...(activityId === null ? {} : { activityId }),
    ...(options.sampleIntervalSeconds ? { sampleIntervalSeconds: options.sampleIntervalSeconds } : {}),
  };
}

export function meetingStarted(occurredAt: string, options: EventOptions = {}): MeetingStarted {
  const common = base('meetingStarted', occurredAt, undefined, options);
  return { ...common, kind: 'meetingStarted', eventKey: eventKeyFor({ ...common, kind: 'meetingStarted' }) };
}

export function meetingEnded(occurredAt: string, options: EventOptions = {}): MeetingEnded {
  const common = base('meetingEnded', occurredAt, undefined, options);
  return { ...common, kind: 'meetingEnded', eventKey: eventKeyFor({ ...common, kind: 'meetingEnded' }) };
}

export function joined(participant: Participant, occurredAt: string, options: EventOptions = {}): ParticipantJoined {
  const common = base('participantJoined', occurredAt, participant.key, options);
  return {
    ...common,
    kind: 'participantJoined',
    participant,
    eventKey: eventKeyFor({ ...common, kind: 'participantJoined', participantKey: participant.key }),
  };
}

export function left(participant: Participant, occurredAt: string, options: EventOptions = {}): ParticipantLeft {
  const common = base('participantLeft', occurredAt, participant.key, options);
  return {
    ...common,
    kind: 'participantLeft',
    participant,
    eventKey: eventKeyFor({ ...common, kind: 'participantLeft', participantKey: participant.key }),
  };
}

export function foundPresent(
  participant: Participant,
  occurredAt: string,
  options: EventOptions = {},
): ParticipantFoundPresent {
  const common = base('participantFoundPresent', occurredAt, participant.key, { source: 'seeded', ...options });
  return {
    ...common,
    kind: 'participantFoundPresent',
    participant,
    eventKey: eventKeyFor({ ...common, kind: 'participantFoundPresent', participantKey: participant.key }),
  };
}

/** The one element of a list, failing the test when there are none or several. */
export function single<T>(items: readonly T[], what = 'item'): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, got ${items.length}`);
  return items[0] as T;
}

/** The element at `index`, failing the test when it is missing. */
export function nth<T>(items: readonly T[], index: number, what = 'item'): T {
  const item = items[index];
  if (item === undefined) throw new Error(`expected a ${what} at index ${index}, got ${items.length} in all`);
  return item;
}
