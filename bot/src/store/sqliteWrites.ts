/**
 * Every write to the SQLite file, made on the one connection that writes (in the writer thread, see
 * sqliteWriter.ts), and the group commit that makes many of them durable with one fsync. The times an
 * operation records come in as arguments: the clock is the app's, on the main thread.
 */
import type Database from 'better-sqlite3';
import type { Correction } from '../attendance/corrections.js';
import { deliveryKeyFor, type AttendanceEvent } from '../attendance/events.js';
import { rosterFactKey, type RosterFact } from '../attendance/roster.js';
import type { RuleChange } from '../attendance/rule.js';
import { MEETING_TABLES } from './sqliteSchema.js';
import { meetingAliases } from '../attendance/meetingIds.js';
import {
  mergeDefined,
  mergeMeeting,
  personKey,
  personLookupKeys,
  type MeetingKey,
  type MeetingRecord,
  type PendingWork,
  type PersonRecord,
} from './store.js';
import type { WebhookDelivery } from './webhookOutbox.js';

/** The mark a write leaves on each meeting it changes (AttendanceStore.writeMarks). */
export interface WriteMark {
  writerId: string;
  mark: string;
}

export interface WriteOperations {
  appendEvents(events: readonly AttendanceEvent[], receivedAt: string, mark: WriteMark): number;
  saveMeeting(update: MeetingRecord, savedAt: string, mark: WriteMark): MeetingRecord;
  savePeople(people: readonly PersonRecord[], seenAt: string): void;
  deletePeopleSeenBefore(cutoff: string, limit: number): number;
  claimOnce(meeting: MeetingKey, action: string, claimedAt: string): boolean;
  /** `expiresAt` and `now` in milliseconds since the epoch. */
  tryAcquireLease(meeting: MeetingKey, name: string, holder: string, expiresAt: number, now: number): boolean;
  releaseLease(meeting: MeetingKey, name: string, holder: string): void;
  scheduleWork(work: PendingWork): void;
  completeWork(meeting: MeetingKey, kind: string): void;
  deleteMeeting(meeting: MeetingKey): void;
  enqueueDeliveries(deliveries: readonly WebhookDelivery[]): number;
  updateDelivery(delivery: WebhookDelivery): void;
  pruneDeliveries(cutoff: string): number;
  disableEndpoint(endpointKey: string, reason: string, disabledAt: string): void;
  appendRosterFacts(facts: readonly RosterFact[], receivedAt: string): number;
  saveRule(meeting: MeetingKey, change: RuleChange, savedAt: string): void;
  appendCorrection(correction: Correction, savedAt: string): boolean;
}

export type WriteOperation = keyof WriteOperations;

/** One call of an operation, as it crosses to the writer thread. */
export type WriteRequest = { [K in WriteOperation]: { operation: K; args: Parameters<WriteOperations[K]> } }[WriteOperation];

/** What became of one request; `code` is SQLite's error code, when SQLite refused it. */
export type WriteOutcome = { ok: true; value: unknown } | { ok: false; message: string; code?: string };

export class SqliteWrites implements WriteOperations {
  private readonly insertEvent: Database.Statement;
  private readonly touchMeeting: Database.Statement;
  private readonly selectMeeting: Database.Statement;
  private readonly upsertMeeting: Database.Statement;
  private readonly upsertAlias: Database.Statement;
  private readonly selectPerson: Database.Statement;
  private readonly upsertPerson: Database.Statement;
  private readonly deletePeopleBefore: Database.Statement;
  private readonly upsertMark: Database.Statement;
  private readonly insertClaim: Database.Statement;
  private readonly upsertLease: Database.Statement;
  private readonly deleteLease: Database.Statement;
  private readonly upsertWork: Database.Statement;
  private readonly deleteWork: Database.Statement;
  private readonly deleteMeetingRows: Database.Statement[];
  private readonly insertDelivery: Database.Statement;
  private readonly replaceDelivery: Database.Statement;
  private readonly deleteDeliveriesBefore: Database.Statement;
  private readonly insertDisabledEndpoint: Database.Statement;
  private readonly insertChatMeeting: Database.Statement;
  private readonly insertRosterFact: Database.Statement;
  private readonly upsertRule: Database.Statement;
  private readonly insertCorrection: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertEvent = db.prepare(
      `INSERT OR IGNORE INTO events (tenant_id, meeting_id, event_key, delivery_key, body, received_at)
       VALUES (@tenantId, @meetingId, @eventKey, @deliveryKey, @body, @receivedAt)`,
    );
    this.touchMeeting = db.prepare(
      `INSERT INTO meeting_activity (tenant_id, meeting_id, last_activity_at) VALUES (?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id) DO UPDATE SET last_activity_at = excluded.last_activity_at`,
    );
    this.selectMeeting = db.prepare('SELECT body FROM meetings WHERE tenant_id = ? AND meeting_id = ?');
    this.upsertMeeting = db.prepare(
      `INSERT INTO meetings (tenant_id, meeting_id, body, updated_at, listed_at, organizer_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
         listed_at = excluded.listed_at, organizer_id = excluded.organizer_id`,
    );
    this.upsertAlias = db.prepare(
      `INSERT INTO meeting_aliases (tenant_id, kind, value, meeting_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, kind, value) DO UPDATE SET meeting_id = excluded.meeting_id`,
    );
    this.selectPerson = db.prepare('SELECT body FROM people WHERE tenant_id = ? AND lookup_key = ?');
    this.upsertPerson = db.prepare(
      `INSERT INTO people (tenant_id, lookup_key, body, last_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, lookup_key) DO UPDATE SET body = excluded.body, last_seen_at = excluded.last_seen_at`,
    );
    this.deletePeopleBefore = db.prepare('DELETE FROM people WHERE rowid IN (SELECT rowid FROM people WHERE last_seen_at < ? LIMIT ?)');
    this.upsertMark = db.prepare(
      `INSERT INTO write_marks (tenant_id, meeting_id, writer_id, mark) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id, writer_id) DO UPDATE SET mark = excluded.mark`,
    );
    this.insertClaim = db.prepare('INSERT OR IGNORE INTO claims (tenant_id, meeting_id, action, claimed_at) VALUES (?, ?, ?, ?)');
    this.upsertLease = db.prepare(
      `INSERT INTO leases (tenant_id, meeting_id, name, holder, expires_at) VALUES (@tenantId, @meetingId, @name, @holder, @expiresAt)
       ON CONFLICT (tenant_id, meeting_id, name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
    );
    this.deleteLease = db.prepare('DELETE FROM leases WHERE tenant_id = ? AND meeting_id = ? AND name = ? AND holder = ?');
    this.upsertWork = db.prepare(
      `INSERT INTO pending_work (tenant_id, meeting_id, kind, due_at, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id, kind) DO UPDATE SET due_at = excluded.due_at, body = excluded.body`,
    );
    this.deleteWork = db.prepare('DELETE FROM pending_work WHERE tenant_id = ? AND meeting_id = ? AND kind = ?');
    this.insertChatMeeting = db.prepare('INSERT OR IGNORE INTO chat_meetings (tenant_id, chat_id, meeting_id) VALUES (?, ?, ?)');
    this.insertRosterFact = db.prepare('INSERT OR IGNORE INTO roster_facts (tenant_id, meeting_id, fact_key, body) VALUES (?, ?, ?, ?)');
    this.upsertRule = db.prepare(
      `INSERT INTO meeting_rules (tenant_id, meeting_id, body) VALUES (?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id) DO UPDATE SET body = excluded.body`,
    );
    this.insertCorrection = db.prepare('INSERT OR IGNORE INTO corrections (tenant_id, meeting_id, id, body) VALUES (?, ?, ?, ?)');
    this.deleteMeetingRows = MEETING_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE tenant_id = ? AND meeting_id = ?`));
    const deliveryColumns = '(message_id, endpoint_id, tenant_id, meeting_id, status, next_attempt_at, created_at, body)';
    const deliveryValues = '(@messageId, @endpointId, @tenantId, @meetingId, @status, @nextAttemptAt, @createdAt, @body)';
    this.insertDelivery = db.prepare(`INSERT OR IGNORE INTO webhook_deliveries ${deliveryColumns} VALUES ${deliveryValues}`);
    this.replaceDelivery = db.prepare(`INSERT OR REPLACE INTO webhook_deliveries ${deliveryColumns} VALUES ${deliveryValues}`);
    this.deleteDeliveriesBefore = db.prepare('DELETE FROM webhook_deliveries WHERE created_at < ?');
    this.insertDisabledEndpoint = db.prepare(
      'INSERT OR IGNORE INTO disabled_webhook_endpoints (endpoint_key, reason, disabled_at) VALUES (?, ?, ?)',
    );
  }

  appendEvents(events: readonly AttendanceEvent[], receivedAt: string, mark: WriteMark): number {
    let added = 0;
    const touched = new Set<string>();
    const marked = new Set<string>();
    for (const event of events) {
      const meetingKey = JSON.stringify([event.tenantId, event.meetingId]);
      if (!touched.has(meetingKey)) {
        touched.add(meetingKey);
        this.touchMeeting.run(event.tenantId, event.meetingId, receivedAt);
      }
      const inserted = this.insertEvent.run({
        tenantId: event.tenantId,
        meetingId: event.meetingId,
        eventKey: event.eventKey,
        deliveryKey: deliveryKeyFor(event) ?? null,
        body: JSON.stringify(event),
        receivedAt,
      }).changes;
      added += inserted;
      if (inserted > 0 && !marked.has(meetingKey)) {
        marked.add(meetingKey);
        this.upsertMark.run(event.tenantId, event.meetingId, mark.writerId, mark.mark);
      }
    }
    return added;
  }

  saveMeeting(update: MeetingRecord, savedAt: string, mark: WriteMark): MeetingRecord {
    const row = this.selectMeeting.get(update.tenantId, update.meetingId) as { body: string } | undefined;
    const known = row ? (JSON.parse(row.body) as MeetingRecord) : { tenantId: update.tenantId, meetingId: update.meetingId };
    const merged = mergeMeeting(known, update);
    const { tenantId, meetingId } = update;
    this.upsertMeeting.run(tenantId, meetingId, JSON.stringify(merged), savedAt, merged.trackingSince ?? null, merged.organizerAadObjectId ?? null);
    for (const alias of meetingAliases(merged)) this.upsertAlias.run(tenantId, alias.kind, alias.value, meetingId);
    this.touchMeeting.run(tenantId, meetingId, savedAt);
    this.upsertMark.run(update.tenantId, update.meetingId, mark.writerId, mark.mark);
    if (merged.chatId) this.insertChatMeeting.run(tenantId, merged.chatId, meetingId);
    return merged;
  }

  /** The date is a column, not part of the body. */
  savePeople(people: readonly PersonRecord[], seenAt: string): void {
    for (const person of people) {
      const row = this.selectPerson.get(person.tenantId, personKey(person.id)) as { body: string } | undefined;
      const { lastSeenAt: _dated, ...merged } = row ? mergeDefined(JSON.parse(row.body) as PersonRecord, person) : person;
      const body = JSON.stringify(merged);
      for (const key of personLookupKeys(merged)) this.upsertPerson.run(person.tenantId, key, body, seenAt);
    }
  }

  deletePeopleSeenBefore(cutoff: string, limit: number): number {
    return this.deletePeopleBefore.run(cutoff, limit).changes;
  }

  claimOnce(meeting: MeetingKey, action: string, claimedAt: string): boolean {
    return this.insertClaim.run(meeting.tenantId, meeting.meetingId, action, claimedAt).changes === 1;
  }

  tryAcquireLease(meeting: MeetingKey, name: string, holder: string, expiresAt: number, now: number): boolean {
    return this.upsertLease.run({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, name, holder, expiresAt, now }).changes === 1;
  }

  releaseLease(meeting: MeetingKey, name: string, holder: string): void {
    this.deleteLease.run(meeting.tenantId, meeting.meetingId, name, holder);
  }

  scheduleWork(work: PendingWork): void {
    this.upsertWork.run(work.tenantId, work.meetingId, work.kind, new Date(work.dueAt).toISOString(), JSON.stringify(work));
  }

  completeWork(meeting: MeetingKey, kind: string): void {
    this.deleteWork.run(meeting.tenantId, meeting.meetingId, kind);
  }

  deleteMeeting(meeting: MeetingKey): void {
    for (const statement of this.deleteMeetingRows) statement.run(meeting.tenantId, meeting.meetingId);
  }

  enqueueDeliveries(deliveries: readonly WebhookDelivery[]): number {
    let added = 0;
    for (const delivery of deliveries) added += this.insertDelivery.run(deliveryRow(delivery)).changes;
    return added;
  }

  updateDelivery(delivery: WebhookDelivery): void {
    this.replaceDelivery.run(deliveryRow(delivery));
  }

  pruneDeliveries(cutoff: string): number {
    return this.deleteDeliveriesBefore.run(cutoff).changes;
  }

  disableEndpoint(endpointKey: string, reason: string, disabledAt: string): void {
    this.insertDisabledEndpoint.run(endpointKey, reason, disabledAt);
  }

  appendRosterFacts(facts: readonly RosterFact[], receivedAt: string): number {
    let added = 0;
    for (const fact of facts) {
      this.touchMeeting.run(fact.tenantId, fact.meetingId, receivedAt);
      added += this.insertRosterFact.run(fact.tenantId, fact.meetingId, rosterFactKey(fact), JSON.stringify(fact)).changes;
    }
    return added;
  }

  saveRule(meeting: MeetingKey, change: RuleChange, savedAt: string): void {
    this.upsertRule.run(meeting.tenantId, meeting.meetingId, JSON.stringify(change));
    this.touchMeeting.run(meeting.tenantId, meeting.meetingId, savedAt);
  }

  appendCorrection(correction: Correction, savedAt: string): boolean {
    const added = this.insertCorrection.run(correction.tenantId, correction.meetingId, correction.id, JSON.stringify(correction)).changes === 1;
    if (added) this.touchMeeting.run(correction.tenantId, correction.meetingId, savedAt);
    return added;
  }
}

/** Times normalised to UTC ISO strings, so that comparing them as text compares instants. */
function deliveryRow(delivery: WebhookDelivery): Record<string, string | null> {
  return {
    messageId: delivery.messageId,
    endpointId: delivery.endpointId,
    tenantId: delivery.tenantId,
    meetingId: delivery.meetingId,
    status: delivery.status,
    nextAttemptAt: delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toISOString() : null,
    createdAt: new Date(delivery.createdAt).toISOString(),
    body: JSON.stringify(delivery),
  };
}

/**
 * Group commit: the requests in one transaction, each all or nothing in a savepoint of its own (one that
 * fails is rolled back alone and reported), then one commit, so one fsync makes them all durable. If the
 * commit fails, every request fails: none is reported done unless it is on disk.
 */
export function commitTogether(db: Database.Database, writes: SqliteWrites, requests: readonly WriteRequest[]): WriteOutcome[] {
  const runOne = db.transaction((request: WriteRequest) => (writes[request.operation] as (...args: unknown[]) => unknown)(...request.args));
  try {
    return db
      .transaction(() =>
        requests.map((request): WriteOutcome => {
          // SQLite rolls the whole transaction back on some errors (a full disk): stop rather than go on in autocommit.
          if (!db.inTransaction) throw new Error('the transaction was rolled back by SQLite');
          try {
            return { ok: true, value: runOne(request) };
          } catch (error) {
            return failed(error);
          }
        }),
      )
      .immediate();
  } catch (error) {
    const outcome = failed(error);
    return requests.map(() => outcome);
  }
}

function failed(error: unknown): WriteOutcome {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    ok: false,
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
