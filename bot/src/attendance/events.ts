/**
 * The ledger's vocabulary: what happened in a meeting, already translated from Teams' wire format.
 * Everything in attendance/ works on these types only: no Teams, HTTP or storage types leak in here.
 */

/**
 * Where a presence fact came from; the report says how exact a figure is from this.
 * - event: a Teams meeting event (exact)
 * - seeded: found in the meeting when the app was added (exact from then; earlier time unknown)
 * - sampled: a change seen by polling the roster (accurate to one sampling interval)
 * - reconciled: a session from Microsoft Graph call records, after the meeting (exact)
 */
export type EventSource = 'event' | 'seeded' | 'sampled' | 'reconciled';

export interface Participant {
  /** Stable identity: the Entra object id when Teams gives one, else the Teams user id ("29:…"). */
  key: string;
  teamsUserId: string;
  aadObjectId?: string;
  displayName?: string;
  email?: string;
  tenantId?: string;
  /** Teams' meeting role as Teams spells it: Organizer, Coorganizer, Presenter, Attendee, … */
  role?: string;
}

interface EventBase {
  /** Idempotency key: the same fact delivered twice (or retried under a new activity id) has the same key. */
  eventKey: string;
  tenantId: string;
  meetingId: string;
  /** The Teams activity's timestamp, in ISO 8601 UTC. Ordering and durations use this, never arrival time. */
  occurredAt: string;
  /** The activity that carried the event, when there was one. */
  activityId?: string;
  source: EventSource;
  /** For sampled facts: how often the roster was polled, so the report can state the uncertainty. */
  sampleIntervalSeconds?: number;
}

export interface MeetingStarted extends EventBase {
  kind: 'meetingStarted';
}

export interface MeetingEnded extends EventBase {
  kind: 'meetingEnded';
}

export interface ParticipantJoined extends EventBase {
  kind: 'participantJoined';
  participant: Participant;
}

export interface ParticipantLeft extends EventBase {
  kind: 'participantLeft';
  participant: Participant;
}

/**
 * Someone found already in the meeting when tracking began (the app was added mid-meeting):
 * present from `occurredAt` on, with earlier minutes unknown.
 */
export interface ParticipantFoundPresent extends EventBase {
  kind: 'participantFoundPresent';
  participant: Participant;
}

export type AttendanceEvent =
  | MeetingStarted
  | MeetingEnded
  | ParticipantJoined
  | ParticipantLeft
  | ParticipantFoundPresent;

export type ParticipantEvent = ParticipantJoined | ParticipantLeft | ParticipantFoundPresent;

export function isParticipantEvent(event: AttendanceEvent): event is ParticipantEvent {
  return 'participant' in event;
}

/**
 * Builds the idempotency key from the event's meaning: meeting, kind, person and time (and the source, for
 * facts that did not come from Teams events, so a sample never shadows a real event at the same instant).
 */
export function eventKeyFor(parts: {
  meetingId: string;
  kind: AttendanceEvent['kind'];
  occurredAt: string;
  participantKey?: string;
  source?: EventSource;
}): string {
  const key = [parts.meetingId, parts.kind, parts.participantKey ?? '', parts.occurredAt];
  if (parts.source === 'sampled' || parts.source === 'reconciled') key.push(parts.source);
  return key.join('|');
}

/** Identifies one delivery of a fact (the same activity redelivered), when the activity id is known. */
export function deliveryKeyFor(event: AttendanceEvent): string | undefined {
  if (!event.activityId) return undefined;
  return [event.activityId, event.kind, isParticipantEvent(event) ? event.participant.key : ''].join('|');
}
