/**
 * Turning a roster sample (who Teams says is in the meeting now) into ledger facts: a sampled join for
 * each person newly present, a sampled leave for each person no longer present. People whose attendance
 * comes from Teams' own events are left alone: their events are exact and win anyway.
 *
 * Unknown is not absent: a person whose state could not be read keeps the state they had (no leave, no new
 * interval), and a sample in which nobody could be read changes nothing at all.
 */
import { eventKeyFor, type Participant, type ParticipantEvent } from './events.js';
import type { MeetingSession } from './ledger.js';

export interface RosterSample {
  tenantId: string;
  meetingId: string;
  /** When the sample was taken (there is no Teams timestamp for a sample: this is our clock). */
  takenAt: string;
  intervalSeconds: number;
  /** Teams says they are in the meeting. */
  present: readonly Participant[];
  /** Teams says they are not in the meeting. */
  absent: readonly Participant[];
  /** Their state could not be read (the lookup failed): they keep the state they had. */
  unreadable: readonly Participant[];
}

export function eventsFromSample(session: MeetingSession | undefined, sample: RosterSample): ParticipantEvent[] {
  if (sample.present.length === 0 && sample.absent.length === 0 && sample.unreadable.length > 0) return [];
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
  // Not asked (no longer a chat member) counts as gone; asked without an answer does not.
  const stillThereOrUnknown = new Set([...sample.present, ...sample.unreadable].map((participant) => participant.key));
  const joins = sample.present.filter((participant) => !presentNow.has(participant.key) && !followedByEvents.has(participant.key));
  const leaves = [...presentNow.values()].filter(
    (participant) => !stillThereOrUnknown.has(participant.key) && !followedByEvents.has(participant.key),
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
