/**
 * The attendance rules: raw events in, meeting sessions with per-participant presence intervals out.
 *
 * - Events are ordered by the time Teams stamped on them, never by arrival.
 * - The same fact delivered twice counts once (same event key, or same activity + kind + person).
 * - A join while present and a leave while absent change nothing.
 * - meetingStarted opens a session; meetingEnded closes it and every interval still open in it.
 *   A participant event with no open session opens one (the start was missed or the app came late); a
 *   meetingStarted that then arrives (stamped a moment after the first join) confirms that session's start.
 * - For each person, the best source wins: Teams' own events (with the install-time snapshot) when there are
 *   any, else Graph call records, else roster samples (with the snapshot). Sources are never mixed for one person.
 */
import { createHash } from 'node:crypto';
import {
  deliveryKeyFor,
  isParticipantEvent,
  type AttendanceEvent,
  type EventSource,
  type Participant,
  type ParticipantEvent,
} from './events.js';

export interface PresenceInterval {
  joinedAt: string;
  /** Absent while the person is still in a live meeting. */
  leftAt?: string;
  source: EventSource;
  /** True when the person was already in the meeting when tracking began: earlier minutes are unknown. */
  startedBeforeTracking: boolean;
  /** For sampled intervals: the sampling interval, i.e. the uncertainty of each end. */
  sampleIntervalSeconds?: number;
}

export interface ParticipantAttendance {
  participant: Participant;
  intervals: PresenceInterval[];
}

export interface MeetingSession {
  /** Stable id of this start→end run of the meeting (one Graph attendance report). */
  sessionId: string;
  tenantId: string;
  meetingId: string;
  startedAt: string;
  endedAt?: string;
  /** False when no meetingStart was seen: the meeting may have begun before `startedAt`. */
  startObserved: boolean;
  participants: ParticipantAttendance[];
}

const KIND_ORDER: Record<AttendanceEvent['kind'], number> = {
  meetingStarted: 0,
  participantFoundPresent: 1,
  participantJoined: 1,
  participantLeft: 2,
  meetingEnded: 3,
};

/** An event with its Teams timestamp parsed once (a 100,000-event meeting's sort took a second without). */
export interface TimedEvent {
  event: AttendanceEvent;
  at: number;
}

export function timed(event: AttendanceEvent): TimedEvent {
  return { event, at: Date.parse(event.occurredAt) };
}

/** Removes redelivered facts, then orders by Teams' timestamp (ties broken so the result never depends on arrival). */
export function canonicalOrder(events: readonly AttendanceEvent[]): AttendanceEvent[] {
  const seenKeys = new Set<string>();
  const seenDeliveries = new Set<string>();
  const sorted = events.map(timed).sort(compareEvents);
  const unique: AttendanceEvent[] = [];
  for (const { event } of sorted) {
    const delivery = deliveryKeyFor(event);
    if (seenKeys.has(event.eventKey) || (delivery && seenDeliveries.has(delivery))) continue;
    seenKeys.add(event.eventKey);
    if (delivery) seenDeliveries.add(delivery);
    unique.push(event);
  }
  return unique;
}

/** The canonical order: Teams' timestamp, then the kind (a start before joins, leaves, the end), then the keys. */
export function compareEvents(a: TimedEvent, b: TimedEvent): number {
  return (
    a.at - b.at ||
    KIND_ORDER[a.event.kind] - KIND_ORDER[b.event.kind] ||
    compareText(a.event.eventKey, b.event.eventKey) ||
    compareText(a.event.activityId ?? '', b.event.activityId ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SOURCES_WITH_EVENTS: ReadonlySet<EventSource> = new Set(['event', 'seeded']);
const SOURCES_RECONCILED: ReadonlySet<EventSource> = new Set(['reconciled']);
const SOURCES_SAMPLED: ReadonlySet<EventSource> = new Set(['sampled', 'seeded']);

/** The sources whose facts count for a person who has facts of `sources` (see the rules above). */
export function countedSources(sources: ReadonlySet<EventSource>): ReadonlySet<EventSource> {
  return sources.has('event') ? SOURCES_WITH_EVENTS : sources.has('reconciled') ? SOURCES_RECONCILED : SOURCES_SAMPLED;
}

/** The sources each person's facts come from, by participant key. */
export function sourcesOfEachPerson(events: readonly AttendanceEvent[]): Map<string, Set<EventSource>> {
  const sourcesByPerson = new Map<string, Set<EventSource>>();
  for (const event of events) {
    if (!isParticipantEvent(event)) continue;
    const sources = sourcesByPerson.get(event.participant.key) ?? new Set<EventSource>();
    sources.add(event.source);
    sourcesByPerson.set(event.participant.key, sources);
  }
  return sourcesByPerson;
}

/** Keeps, for each person, only the facts of their best source (see the rules above). */
export function preferredSources(events: readonly AttendanceEvent[]): AttendanceEvent[] {
  const sourcesByPerson = sourcesOfEachPerson(events);
  return events.filter(
    (event) => !isParticipantEvent(event) || countedSources(sourcesByPerson.get(event.participant.key) ?? new Set()).has(event.source),
  );
}

/** Replays a meeting's events into its sessions, oldest first. */
export function buildSessions(events: readonly AttendanceEvent[]): MeetingSession[] {
  const replay = new SessionReplay();
  for (const event of canonicalOrder(preferredSources(events))) replay.apply(event);
  return replay.sessions();
}

/**
 * The replay itself: the facts that count, in canonical order, one at a time. buildSessions runs it over all of
 * a meeting's events; meetingLedger.ts keeps one running while new facts arrive in order.
 */
export class SessionReplay {
  private readonly builders: SessionBuilder[] = [];
  private open: SessionBuilder | undefined;

  apply(event: AttendanceEvent): void {
    switch (event.kind) {
      case 'meetingStarted':
        if (this.open) this.open.confirmStart();
        else {
          this.open = new SessionBuilder(event, true);
          this.builders.push(this.open);
        }
        break;
      case 'meetingEnded':
        this.open?.end(event.occurredAt);
        this.open = undefined;
        break;
      case 'participantJoined':
      case 'participantFoundPresent':
        if (!this.open) {
          this.open = new SessionBuilder(event, false);
          this.builders.push(this.open);
        }
        this.open.join(event);
        break;
      case 'participantLeft':
        this.open?.leave(event);
        break;
    }
  }

  /** The sessions so far. Their participants' entries are the replay's own: they change as facts are applied. */
  sessions(): MeetingSession[] {
    return this.builders.map((builder) => builder.toSession());
  }
}

class SessionBuilder {
  private readonly attendance = new Map<string, ParticipantAttendance>();
  private readonly openIntervals = new Map<string, PresenceInterval>();
  private endedAt: string | undefined;

  constructor(
    private readonly first: AttendanceEvent,
    private startObserved: boolean,
  ) {}

  confirmStart(): void {
    this.startObserved = true;
  }

  join(event: ParticipantEvent): void {
    const entry = this.entryFor(event.participant);
    if (this.openIntervals.has(event.participant.key)) return;
    const interval: PresenceInterval = {
      joinedAt: event.occurredAt,
      source: event.source,
      startedBeforeTracking: event.kind === 'participantFoundPresent',
    };
    if (event.sampleIntervalSeconds) interval.sampleIntervalSeconds = event.sampleIntervalSeconds;
    entry.intervals.push(interval);
    this.openIntervals.set(event.participant.key, interval);
  }

  leave(event: ParticipantEvent): void {
    const interval = this.openIntervals.get(event.participant.key);
    this.entryFor(event.participant);
    if (!interval) return;
    interval.leftAt = event.occurredAt;
    this.openIntervals.delete(event.participant.key);
  }

  end(endedAt: string): void {
    for (const interval of this.openIntervals.values()) interval.leftAt = endedAt;
    this.openIntervals.clear();
    this.endedAt = endedAt;
  }

  toSession(): MeetingSession {
    const session: MeetingSession = {
      sessionId: sessionIdFor(this.first.meetingId, this.first.occurredAt),
      tenantId: this.first.tenantId,
      meetingId: this.first.meetingId,
      startedAt: this.first.occurredAt,
      startObserved: this.startObserved,
      participants: [...this.attendance.values()],
    };
    if (this.endedAt) session.endedAt = this.endedAt;
    return session;
  }

  /** The participant's entry, with what is known about them refreshed from the newest event. */
  private entryFor(participant: Participant): ParticipantAttendance {
    const known = this.attendance.get(participant.key);
    if (!known) {
      const entry = { participant: { ...participant }, intervals: [] };
      this.attendance.set(participant.key, entry);
      return entry;
    }
    known.participant = mergeParticipant(known.participant, participant);
    return known;
  }
}

function mergeParticipant(known: Participant, newer: Participant): Participant {
  const merged: Participant = { key: known.key, teamsUserId: newer.teamsUserId || known.teamsUserId };
  const aadObjectId = newer.aadObjectId || known.aadObjectId;
  const displayName = newer.displayName || known.displayName;
  const email = newer.email || known.email;
  const tenantId = newer.tenantId || known.tenantId;
  const role = newer.role ?? known.role;
  if (aadObjectId) merged.aadObjectId = aadObjectId;
  if (displayName) merged.displayName = displayName;
  if (email) merged.email = email;
  if (tenantId) merged.tenantId = tenantId;
  if (role) merged.role = role;
  return merged;
}

/** A GUID-shaped id derived from the meeting and the session's first moment, stable across restarts. */
export function sessionIdFor(meetingId: string, startedAt: string): string {
  const hex = createHash('sha256').update(`${meetingId}|${startedAt}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}
