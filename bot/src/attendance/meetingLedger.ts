/**
 * One meeting's ledger held in memory: the set of its stored events and what the replay (ledger.ts) makes of
 * them. The replay stays the one definition of attendance; this keeps its result until an event is added, the
 * events it came from (so adding a few never needs the store), a digest of that set which every instance
 * computes alike (an ETag's basis), and the indexes a read needs: a person's row in the latest run, and the
 * roles each person had (access decisions without a scan).
 */
import { createHash } from 'node:crypto';
import type { MeetingParticipation } from './access.js';
import { deliveryKeyFor, type AttendanceEvent } from './events.js';
import { buildSessions, type MeetingSession, type ParticipantAttendance } from './ledger.js';

/** The replay of the events held, and its indexes. */
interface Replay {
  sessions: MeetingSession[];
  latestByKey: Map<string, ParticipantAttendance>;
  rolesByObjectId: Map<string, string[]>;
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
    const sessions = buildSessions([...this.events.values()]);
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
}
