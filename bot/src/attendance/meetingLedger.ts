/**
 * One meeting's ledger held in memory: the set of its stored events and what the replay (ledger.ts) makes of
 * them. The replay stays the one definition of attendance; this keeps it running: a fact that comes after every
 * fact counted so far (the usual case: Teams sends events as they happen) and changes no one's best source is
 * applied to it as one more step; any other fact (late, or a better source for someone) replays them all again,
 * in memory. It also keeps a digest of the set which every instance computes alike (an ETag's basis), and the
 * indexes a read needs: a person's row in the latest run, and the roles each person had.
 */
import { createHash } from 'node:crypto';
import type { MeetingParticipation } from './access.js';
import { deliveryKeyFor, isParticipantEvent, type AttendanceEvent, type EventSource } from './events.js';
import {
  canonicalOrder,
  compareEvents,
  countedSources,
  preferredSources,
  SessionReplay,
  sourcesOfEachPerson,
  timed,
  type MeetingSession,
  type ParticipantAttendance,
  type TimedEvent,
} from './ledger.js';

/** What the replay gave, and its indexes: kept until a fact is added. */
interface Replay {
  sessions: MeetingSession[];
  latestByKey: Map<string, ParticipantAttendance>;
  rolesByObjectId: Map<string, string[]>;
}

/** The replay running over the facts held, and what it needs to tell whether a new fact can be one more step. */
interface Running {
  replay: SessionReplay;
  /** The last fact it counted, in canonical order. */
  last: TimedEvent | undefined;
  sourcesByPerson: Map<string, Set<EventSource>>;
}

const NO_ROLES: readonly string[] = [];

export class MeetingLedger {
  private readonly events = new Map<string, AttendanceEvent>();
  private readonly deliveries = new Set<string>();
  /** The XOR of a hash of each event key: the same for the same set, whatever order the events came in. */
  private readonly digestWords = new Uint32Array(4);
  /** Keys added since the digest was last asked for: hashed then, not on the way in. */
  private unhashed: string[] = [];
  private replay: Replay | undefined;
  private running: Running | undefined;
  /** Facts added since the running replay last took them in. */
  private pending: AttendanceEvent[] = [];

  /** How many events are held. */
  get size(): number {
    return this.events.size;
  }

  /**
   * Adds the events not held yet, skipping a fact held under the same event key or delivery, as the store does
   * (the first one wins). Returns how many were added.
   */
  add(events: Iterable<AttendanceEvent>): number {
    let added = 0;
    for (const event of events) {
      if (this.holds(event)) continue;
      this.events.set(event.eventKey, event);
      const delivery = deliveryKeyFor(event);
      if (delivery) this.deliveries.add(delivery);
      this.unhashed.push(event.eventKey);
      this.pending.push(event);
      added += 1;
    }
    if (added > 0) this.replay = undefined;
    return added;
  }

  /** True when this fact (its event key, or its delivery) is held already. */
  holds(event: AttendanceEvent): boolean {
    const delivery = deliveryKeyFor(event);
    return this.events.has(event.eventKey) || (delivery !== undefined && this.deliveries.has(delivery));
  }

  /** Changes exactly when the set of events does; equal on every instance holding the same set. */
  get digest(): string {
    for (const eventKey of this.unhashed) {
      const hash = createHash('sha256').update(eventKey).digest();
      for (let word = 0; word < this.digestWords.length; word += 1) this.digestWords[word]! ^= hash.readUInt32LE(word * 4);
    }
    this.unhashed = [];
    return `${this.events.size.toString(36)}.${[...this.digestWords].map((word) => word.toString(36)).join('.')}`;
  }

  /** The replay of the events held: buildSessions, run again only after events were added. */
  sessions(): MeetingSession[] {
    return this.current().sessions;
  }

  /** A person's entry in the latest run of the meeting (one lookup, whatever the meeting's size). */
  latestEntry(participantKey: string): ParticipantAttendance | undefined {
    return this.current().latestByKey.get(participantKey);
  }

  participation(): MeetingParticipation {
    const { sessions, rolesByObjectId } = this.current();
    return { tenantId: sessions[0]?.tenantId, rolesOf: (objectId) => rolesByObjectId.get(objectId) ?? NO_ROLES };
  }

  private current(): Replay {
    if (this.replay) return this.replay;
    const running = this.takeInPending(this.pending) ?? this.replayAll();
    this.pending = [];
    const sessions = running.replay.sessions();
    const rolesByObjectId = new Map<string, string[]>();
    for (const session of sessions) {
      for (const { participant } of session.participants) {
        if (participant.aadObjectId === undefined) continue;
        const roles = rolesByObjectId.get(participant.aadObjectId) ?? [];
        roles.push(participant.role ?? 'Unknown');
        rolesByObjectId.set(participant.aadObjectId, roles);
      }
    }
    const latest = sessions.at(-1)?.participants ?? [];
    this.replay = { sessions, latestByKey: new Map(latest.map((entry) => [entry.participant.key, entry])), rolesByObjectId };
    return this.replay;
  }

  /** The running replay with the new facts applied as further steps, or undefined when one of them cannot be. */
  private takeInPending(pending: readonly AttendanceEvent[]): Running | undefined {
    const running = this.running;
    if (!running) return undefined;
    this.running = undefined;
    for (const next of pending.map(timed).sort(compareEvents)) {
      const { event } = next;
      if (isParticipantEvent(event)) {
        const sources = running.sourcesByPerson.get(event.participant.key) ?? new Set<EventSource>();
        const counted = countedSources(sources);
        sources.add(event.source);
        running.sourcesByPerson.set(event.participant.key, sources);
        if (countedSources(sources) !== counted) return undefined;
        if (!counted.has(event.source)) continue;
      }
      if (running.last && compareEvents(next, running.last) <= 0) return undefined;
      running.replay.apply(event);
      running.last = next;
    }
    this.running = running;
    return running;
  }

  private replayAll(): Running {
    const events = [...this.events.values()];
    const sourcesByPerson = sourcesOfEachPerson(events);
    const replay = new SessionReplay();
    const counted = canonicalOrder(preferredSources(events));
    for (const event of counted) replay.apply(event);
    const lastCounted = counted.at(-1);
    this.running = { replay, last: lastCounted && timed(lastCounted), sourcesByPerson };
    return this.running;
  }
}
