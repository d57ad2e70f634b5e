/**
 * The store, with the meetings being read held in memory (docs/live-state.md). It wraps the AttendanceStore
 * port, so every writer (Teams' events, roster samples, reconciliation) updates what is held without knowing:
 * events this instance stored are added to the held ledger at once; what another instance wrote is noticed
 * by one small read per request, the store's write marks (AttendanceStore.writeMarks), and the meeting is then
 * read again whole. A poll of a meeting nobody changed touches neither its events nor the replay.
 */
import type { AttendanceEvent } from '../attendance/events.js';
import { deliveryKeyFor } from '../attendance/events.js';
import { MeetingLedger } from '../attendance/meetingLedger.js';
import type { Correction } from '../attendance/corrections.js';
import type { MeetingAlias } from '../attendance/meetingIds.js';
import type { RosterFact } from '../attendance/roster.js';
import type { RuleChange } from '../attendance/rule.js';
import type {
  AttendanceStore,
  MeetingKey,
  MeetingListPage,
  MeetingListQuery,
  MeetingRecord,
  PendingWork,
  PersonRecord,
  StoreHealth,
  WriteMarks,
} from '../store/store.js';
import type { WebhookDelivery } from '../store/webhookOutbox.js';
import { DEFAULT_HOLDING_LIMITS, type HoldingLimits } from './holdingLimits.js';
import type { MeetingSession } from '../attendance/ledger.js';

/** A meeting as read: its record and its ledger (meetingAttendance.ts loads it). */
export interface MeetingAttendance {
  meeting: MeetingRecord | undefined;
  sessions: MeetingSession[];
  /**
   * The events behind `sessions`, their digest and the indexes a read needs. Shared with every reader and kept
   * running as facts arrive: read it (and `sessions`' rows) at once, never change it.
   */
  ledger: MeetingLedger;
}

/** How often the idle meetings are looked for (on a read, never on a timer). */
const SWEEP_EVERY_MS = 30_000;

class HeldMeeting {
  ledger = new MeetingLedger();
  record: MeetingRecord | undefined;
  /** Other writers' marks when the meeting was last read whole: any change means another instance wrote. */
  otherMarks: WriteMarks = {};
  /** This writer has marked the meeting: its mark missing means another instance deleted the meeting. */
  ownMarked = false;
  /** What an own write did is unknown (it failed, or stored only some events): read the meeting whole again. */
  stale = false;
  live = false;
  lastReadAt = 0;
  loading: Promise<void> | undefined;
  /** Events this instance stored while the meeting was being read whole: the read may have missed them. */
  addedDuringLoad: AttendanceEvent[] | undefined;
  savesInFlight = 0;
  savesOverlapped = false;
  checking: Promise<boolean> | undefined;
}

export class MaterialisedStore implements AttendanceStore {
  private readonly held = new Map<string, HeldMeeting>();
  private lastSweepAt = 0;

  constructor(
    private readonly inner: AttendanceStore,
    private readonly now: () => Date = () => new Date(),
    private readonly limits: HoldingLimits = DEFAULT_HOLDING_LIMITS,
  ) {}

  get writerId(): string {
    return this.inner.writerId;
  }

  /** The meeting's record and ledger, current with the store: the held copy, read again whole only when needed. */
  async attendance(key: MeetingKey): Promise<MeetingAttendance> {
    const now = this.now().getTime();
    this.sweep(now);
    const id = idOf(key);
    let meeting = this.held.get(id);
    let loaded = false;
    if (!meeting) {
      meeting = new HeldMeeting();
      this.held.set(id, meeting);
      await this.load(meeting, key).catch((error: unknown) => {
        this.held.delete(id);
        throw error;
      });
      loaded = true;
    } else if (meeting.loading) {
      await meeting.loading;
    } else if (await this.changedElsewhere(meeting, key)) {
      await this.load(meeting, key);
      loaded = true;
    }
    const sessions = meeting.ledger.sessions();
    const latest = sessions.at(-1);
    meeting.live = latest !== undefined && latest.endedAt === undefined;
    meeting.lastReadAt = now;
    // Most recently read last: the Map's order is the eviction order.
    this.held.delete(id);
    const worthHolding = (meeting.ledger.size > 0 || meeting.record !== undefined) && meeting.ledger.size <= this.limits.maxEvents;
    if (worthHolding || meeting.loading) this.held.set(id, meeting);
    if (loaded) this.enforceLimits();
    return { meeting: meeting.record && { ...meeting.record }, sessions, ledger: meeting.ledger };
  }

  async appendEvents(events: readonly AttendanceEvent[]): Promise<{ added: number }> {
    let result: { added: number };
    try {
      result = await this.inner.appendEvents(events);
    } catch (error) {
      for (const meeting of this.heldOf(events).keys()) meeting.stale = true;
      throw error;
    }
    const allAdded = result.added === distinctFacts(events);
    for (const [meeting, ofMeeting] of this.heldOf(events)) {
      if (allAdded) {
        meeting.ledger.add(ofMeeting);
        meeting.addedDuringLoad?.push(...ofMeeting);
        meeting.ownMarked = true;
      } else if (result.added > 0 && !ofMeeting.every((event) => meeting.ledger.holds(event))) {
        // Some were stored and some were known already, but which is not said: read the meeting again.
        meeting.stale = true;
      }
    }
    return result;
  }

  readEvents(meeting: MeetingKey): Promise<AttendanceEvent[]> {
    return this.inner.readEvents(meeting);
  }

  writeMarks(meeting: MeetingKey): Promise<WriteMarks> {
    return this.inner.writeMarks(meeting);
  }

  async saveMeeting(update: MeetingRecord): Promise<MeetingRecord> {
    const before = this.held.get(idOf(update));
    if (before) {
      before.savesOverlapped ||= before.savesInFlight > 0;
      before.savesInFlight += 1;
    }
    try {
      const saved = await this.inner.saveMeeting(update);
      const meeting = this.held.get(idOf(update));
      // The record as stored after this save, unless another save or a read overlapped it: then read again.
      if (meeting === before && meeting && !meeting.savesOverlapped && !meeting.loading) {
        meeting.record = saved;
        meeting.ownMarked = true;
      } else if (meeting) meeting.stale = true;
      return saved;
    } catch (error) {
      if (before) before.stale = true;
      throw error;
    } finally {
      if (before) {
        before.savesInFlight -= 1;
        if (before.savesInFlight === 0) before.savesOverlapped = false;
      }
    }
  }

  getMeeting(meeting: MeetingKey): Promise<MeetingRecord | undefined> {
    return this.inner.getMeeting(meeting);
  }

  claimOnce(meeting: MeetingKey, action: string): Promise<boolean> {
    return this.inner.claimOnce(meeting, action);
  }

  hasClaim(meeting: MeetingKey, action: string): Promise<boolean> {
    return this.inner.hasClaim(meeting, action);
  }

  findMeetingByAlias(tenantId: string, alias: MeetingAlias): Promise<MeetingKey | undefined> {
    return this.inner.findMeetingByAlias(tenantId, alias);
  }

  listMeetings(query: MeetingListQuery): Promise<MeetingListPage> {
    return this.inner.listMeetings(query);
  }

  savePeople(people: readonly PersonRecord[]): Promise<void> {
    return this.inner.savePeople(people);
  }

  findPerson(tenantId: string, idOrUpn: string): Promise<PersonRecord | undefined> {
    return this.inner.findPerson(tenantId, idOrUpn);
  }

  deletePeopleSeenBefore(cutoff: Date, limit: number): Promise<number> {
    return this.inner.deletePeopleSeenBefore(cutoff, limit);
  }

  getWork(meeting: MeetingKey, kind: string): Promise<PendingWork | undefined> {
    return this.inner.getWork(meeting, kind);
  }

  enqueueDeliveries(deliveries: readonly WebhookDelivery[]): Promise<{ added: number }> {
    return this.inner.enqueueDeliveries(deliveries);
  }

  getDelivery(messageId: string, endpointId: string): Promise<WebhookDelivery | undefined> {
    return this.inner.getDelivery(messageId, endpointId);
  }

  listDueDeliveries(now: Date, limit: number): Promise<WebhookDelivery[]> {
    return this.inner.listDueDeliveries(now, limit);
  }

  updateDelivery(delivery: WebhookDelivery): Promise<void> {
    return this.inner.updateDelivery(delivery);
  }

  listDeliveries(tenantId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.inner.listDeliveries(tenantId, limit);
  }

  pruneDeliveries(cutoff: Date): Promise<number> {
    return this.inner.pruneDeliveries(cutoff);
  }

  disableEndpoint(endpointKey: string, reason: string, at: Date): Promise<void> {
    return this.inner.disableEndpoint(endpointKey, reason, at);
  }

  listDisabledEndpoints(): Promise<string[]> {
    return this.inner.listDisabledEndpoints();
  }

  appendRosterFacts(facts: readonly RosterFact[]): Promise<{ added: number }> {
    return this.inner.appendRosterFacts(facts);
  }

  readRoster(meeting: MeetingKey): Promise<RosterFact[]> {
    return this.inner.readRoster(meeting);
  }

  saveRule(meeting: MeetingKey, change: RuleChange): Promise<void> {
    return this.inner.saveRule(meeting, change);
  }

  getRule(meeting: MeetingKey): Promise<RuleChange | undefined> {
    return this.inner.getRule(meeting);
  }

  appendCorrection(correction: Correction): Promise<boolean> {
    return this.inner.appendCorrection(correction);
  }

  readCorrections(meeting: MeetingKey): Promise<Correction[]> {
    return this.inner.readCorrections(meeting);
  }

  listChatMeetings(tenantId: string, chatId: string): Promise<MeetingKey[]> {
    return this.inner.listChatMeetings(tenantId, chatId);
  }

  tryAcquireLease(meeting: MeetingKey, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.inner.tryAcquireLease(meeting, name, holder, ttlMs, now);
  }

  releaseLease(meeting: MeetingKey, name: string, holder: string): Promise<void> {
    return this.inner.releaseLease(meeting, name, holder);
  }

  scheduleWork(work: PendingWork): Promise<void> {
    return this.inner.scheduleWork(work);
  }

  listDueWork(kind: string, now: Date, limit: number): Promise<PendingWork[]> {
    return this.inner.listDueWork(kind, now, limit);
  }

  completeWork(meeting: MeetingKey, kind: string): Promise<void> {
    return this.inner.completeWork(meeting, kind);
  }

  async deleteMeeting(meeting: MeetingKey): Promise<void> {
    this.held.delete(idOf(meeting));
    try {
      await this.inner.deleteMeeting(meeting);
    } finally {
      this.held.delete(idOf(meeting));
    }
  }

  listMeetingsIdleSince(cutoff: Date, limit: number): Promise<MeetingKey[]> {
    return this.inner.listMeetingsIdleSince(cutoff, limit);
  }

  health(): Promise<StoreHealth> {
    return this.inner.health();
  }

  close(): Promise<void> {
    this.held.clear();
    return this.inner.close();
  }

  /** How many meetings and events are held now (for tests and the benchmarks). */
  holding(): { meetings: number; events: number } {
    let events = 0;
    for (const meeting of this.held.values()) events += meeting.ledger.size;
    return { meetings: this.held.size, events };
  }

  /** Whether another instance wrote (or deleted) the meeting since it was read whole; concurrent reads share one check. */
  private changedElsewhere(meeting: HeldMeeting, key: MeetingKey): Promise<boolean> {
    if (meeting.stale) return Promise.resolve(true);
    meeting.checking ??= this.inner
      .writeMarks(key)
      .then((marks) => {
        const own = this.inner.writerId;
        if (meeting.ownMarked && marks[own] === undefined) return true;
        const writers = new Set([...Object.keys(marks), ...Object.keys(meeting.otherMarks)]);
        return [...writers].some((writer) => writer !== own && marks[writer] !== meeting.otherMarks[writer]);
      })
      .finally(() => {
        meeting.checking = undefined;
      });
    return meeting.checking;
  }

  /** Reads the meeting whole (marks first, so that a write landing meanwhile shows as a change next time). */
  private load(meeting: HeldMeeting, key: MeetingKey): Promise<void> {
    meeting.loading ??= (async () => {
      meeting.stale = false;
      meeting.addedDuringLoad = [];
      const savesBefore = meeting.savesInFlight;
      try {
        const marks = await this.inner.writeMarks(key);
        const [record, events] = await Promise.all([this.inner.getMeeting(key), this.inner.readEvents(key)]);
        const ledger = new MeetingLedger();
        ledger.add(events);
        ledger.add(meeting.addedDuringLoad);
        const own = this.inner.writerId;
        meeting.ledger = ledger;
        meeting.record = record;
        meeting.otherMarks = Object.fromEntries(Object.entries(marks).filter(([writer]) => writer !== own));
        meeting.ownMarked = marks[own] !== undefined || meeting.addedDuringLoad.length > 0;
        if (meeting.savesInFlight > 0 || savesBefore > 0) meeting.stale = true;
      } catch (error) {
        meeting.stale = true;
        throw error;
      } finally {
        meeting.addedDuringLoad = undefined;
        meeting.loading = undefined;
      }
    })();
    return meeting.loading;
  }

  /** The held meetings these events belong to, each with its events. */
  private heldOf(events: readonly AttendanceEvent[]): Map<HeldMeeting, AttendanceEvent[]> {
    const byMeeting = new Map<HeldMeeting, AttendanceEvent[]>();
    for (const event of events) {
      const meeting = this.held.get(idOf(event));
      if (!meeting) continue;
      const ofMeeting = byMeeting.get(meeting) ?? [];
      ofMeeting.push(event);
      byMeeting.set(meeting, ofMeeting);
    }
    return byMeeting;
  }

  /** Lets go of the meetings nobody read for a while: ended ones sooner than live ones. */
  private sweep(now: number): void {
    if (now - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.lastSweepAt = now;
    for (const [id, meeting] of this.held) {
      const idleMs = now - meeting.lastReadAt;
      if (!meeting.loading && idleMs > (meeting.live ? this.limits.liveIdleMs : this.limits.endedIdleMs)) this.held.delete(id);
    }
    this.enforceLimits();
  }

  /** Within the limits again, letting go of the least recently read first. */
  private enforceLimits(): void {
    let { events } = this.holding();
    for (const [id, meeting] of this.held) {
      if (this.held.size <= this.limits.maxMeetings && events <= this.limits.maxEvents) return;
      this.held.delete(id);
      events -= meeting.ledger.size;
    }
  }
}

/** The tenant id's length first, so that no two different pairs make the same id. */
function idOf(meeting: MeetingKey): string {
  return `${meeting.tenantId.length}:${meeting.tenantId}${meeting.meetingId}`;
}

/** How many facts of a batch a store can add at most: repeats within it (same event key or delivery) count once. */
function distinctFacts(events: readonly AttendanceEvent[]): number {
  const keys = new Set<string>();
  const deliveries = new Set<string>();
  let distinct = 0;
  for (const event of events) {
    const delivery = deliveryKeyFor(event);
    if (keys.has(event.eventKey) || (delivery !== undefined && deliveries.has(delivery))) continue;
    keys.add(event.eventKey);
    if (delivery) deliveries.add(delivery);
    distinct += 1;
  }
  return distinct;
}
