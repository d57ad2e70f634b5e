/**
 * Reconciliation with call records: after a meeting, Microsoft Graph's call record says exactly when each
 * person was connected. Its sessions (one per person, device and modality, often overlapping) become
 * reconciled ledger facts, which the ledger prefers to roster samples (see preferredSources in ledger.ts).
 *
 * - A person's sessions are merged into disjoint intervals (audio, video and screen sharing overlap).
 * - Intervals are clipped to the meeting session they belong to, so a session keeps its start, end and id;
 *   someone connected before an unobserved start is marked as found present (earlier time not counted).
 */
import { eventKeyFor, type AttendanceEvent, type Participant, type ParticipantEvent } from './events.js';
import { unionOf, type Span } from './intervals.js';
import type { MeetingSession } from './ledger.js';

/** One stretch of one person in the call, as one call-record session tells it. */
export interface CallPresence {
  participant: Participant;
  startedAt: string;
  endedAt: string;
}

export type EndedSession = MeetingSession & { endedAt: string };

/** The reconciled joins and leaves of one ended meeting session, from its call record's presences. */
export function reconciledEvents(session: EndedSession, presences: readonly CallPresence[]): ParticipantEvent[] {
  const sessionStart = Date.parse(session.startedAt);
  const sessionEnd = Date.parse(session.endedAt);
  const known = new Map(session.participants.map((entry) => [entry.participant.key, entry.participant]));
  const byPerson = new Map<string, { participant: Participant; spans: Span[] }>();
  for (const presence of presences) {
    const key = presence.participant.key;
    // What Teams told us about the person (their Teams id, email, role) beats the call record's sparser identity.
    const entry = byPerson.get(key) ?? { participant: { ...presence.participant, ...known.get(key) }, spans: [] };
    entry.spans.push({ from: Date.parse(presence.startedAt), to: Date.parse(presence.endedAt) });
    byPerson.set(key, entry);
  }

  const events: ParticipantEvent[] = [];
  for (const { participant, spans } of byPerson.values()) {
    for (const span of unionOf(spans)) {
      const from = Math.max(span.from, sessionStart);
      const to = Math.min(span.to, sessionEnd);
      if (to <= from) continue;
      const presentBeforeTracking = span.from < sessionStart && !session.startObserved;
      events.push(
        reconciledEvent(session, presentBeforeTracking ? 'participantFoundPresent' : 'participantJoined', participant, from),
        reconciledEvent(session, 'participantLeft', participant, to),
      );
    }
  }
  return events;
}

/**
 * The ended sessions still to reconcile: those with no reconciled arrival yet, that ended at or after
 * `endedSince` (older ones were reconciled, or given up on, by earlier work).
 */
export function sessionsAwaitingReconciliation(
  events: readonly AttendanceEvent[],
  sessions: readonly MeetingSession[],
  endedSince: string,
): EndedSession[] {
  const arrivals = events
    .filter((event) => event.source === 'reconciled' && (event.kind === 'participantJoined' || event.kind === 'participantFoundPresent'))
    .map((event) => Date.parse(event.occurredAt));
  return sessions
    .filter((session): session is EndedSession => session.endedAt !== undefined)
    .filter((session) => Date.parse(session.endedAt) >= Date.parse(endedSince))
    .filter((session) => {
      const start = Date.parse(session.startedAt);
      const end = Date.parse(session.endedAt);
      return !arrivals.some((arrival) => arrival >= start && arrival < end);
    });
}

function reconciledEvent(
  session: EndedSession,
  kind: ParticipantEvent['kind'],
  participant: Participant,
  atMillis: number,
): ParticipantEvent {
  const occurredAt = new Date(atMillis).toISOString();
  return {
    kind,
    eventKey: eventKeyFor({ meetingId: session.meetingId, kind, occurredAt, participantKey: participant.key, source: 'reconciled' }),
    tenantId: session.tenantId,
    meetingId: session.meetingId,
    occurredAt,
    source: 'reconciled',
    participant,
  };
}
