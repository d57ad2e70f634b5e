/**
 * Turning a roster sample (who Teams says is in the meeting now) into ledger facts: a sampled join for
 * each person newly present, a sampled leave for each person no longer present. People whose attendance
 * comes from Teams' own events are left alone: their events are exact and win anyway.
 */
import { eventKeyFor, type Participant, type ParticipantEvent } from './events.js';
import type { MeetingSession } from './ledger.js';

export interface RosterSample {
  tenantId: string;
  meetingId: string;
  /** When the sample was taken (there is no Teams timestamp for a sample: this is our clock). */
  takenAt: string;
  intervalSeconds: number;
  present: readonly Participant[];
}

export function eventsFromSample(session: MeetingSession | undefined, sample: RosterSample): ParticipantEvent[] {
  const live = session && session.endedAt === undefined ? session : undefined;
  const followedByEvents = new Set(
    (live?.participants ?? [])
      .filter((entry) => entry.intervals.some((interval) => interval.source === 'event'))
      .map((entry) => entry.participant.key),
  );
  const presentNow = new Map(
    (live?.participants ?? [])
      .filter((entry) => entry.intervals.some((interval) => interval.leftAt === undefined))
      .map((entry) => [entry.participant.key, entry.participant]),
  );
  const sampledKeys = new Set(sample.present.map((participant) => participant.key));
  const joins = sample.present.filter((participant) => !presentNow.has(participant.key) && !followedByEvents.has(participant.key));
  const leaves = [...presentNow.values()].filter(
    (participant) => !sampledKeys.has(participant.key) && !followedByEvents.has(participant.key),
  );
  return [
    ...joins.map((participant) => sampledEvent('participantJoined', participant, sample)),
    ...leaves.map((participant) => sampledEvent('participantLeft', participant, sample)),
  ];
}

function sampledEvent(kind: 'participantJoined' | 'participantLeft', participant: Participant, sample: RosterSample): ParticipantEvent {
  return {
    kind,
    eventKey: eventKeyFor({ meetingId: sample.meetingId, kind, occurredAt: sample.takenAt, participantKey: participant.key, source: 'sampled' }),
    tenantId: sample.tenantId,
    meetingId: sample.meetingId,
    occurredAt: sample.takenAt,
    source: 'sampled',
    sampleIntervalSeconds: sample.intervalSeconds,
    participant,
  };
}
