/**
 * The roster: who was expected in a meeting. Facts, each "this person was a member of the meeting's chat
 * (or channel) at this moment", read when tracking starts, at each start and at each end; appended, never
 * changed. Someone first seen on the roster during a session is expected from that moment on.
 */
import type { Participant } from './events.js';

export interface RosterFact {
  tenantId: string;
  meetingId: string;
  participant: Participant;
  /** When the roster that listed this person was read: the Teams timestamp of the activity that asked for it. */
  observedAt: string;
}

/** Bots (Teams ids "28:…") are members of chats, not people who attend. */
export function isBot(participant: Pick<Participant, 'teamsUserId'>): boolean {
  return participant.teamsUserId.startsWith('28:');
}

/** The idempotency key of a fact: the same person seen at the same moment is one fact. */
export function rosterFactKey(fact: Pick<RosterFact, 'participant' | 'observedAt'>): string {
  return `${fact.participant.key}|${fact.observedAt}`;
}

/** Each person on the roster by `until`, with when they were first seen on it (facts after `until` are ignored). */
export function rosterAsOf(facts: readonly RosterFact[], until: number): Map<string, { participant: Participant; firstSeenAt: number }> {
  const people = new Map<string, { participant: Participant; firstSeenAt: number }>();
  for (const fact of facts) {
    const seenAt = Date.parse(fact.observedAt);
    if (seenAt > until || isBot(fact.participant)) continue;
    const known = people.get(fact.participant.key);
    if (!known) people.set(fact.participant.key, { participant: fact.participant, firstSeenAt: seenAt });
    else if (seenAt < known.firstSeenAt) people.set(fact.participant.key, { participant: { ...known.participant, ...fact.participant }, firstSeenAt: seenAt });
    else known.participant = { ...fact.participant, ...known.participant };
  }
  return people;
}
