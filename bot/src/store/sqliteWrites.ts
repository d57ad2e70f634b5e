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
import { mergeDefined, type MeetingKey, type MeetingRecord, type PendingWork } from './store.js';

export interface WriteOperations {
  appendEvents(events: readonly AttendanceEvent[], receivedAt: string): number;
  saveMeeting(update: MeetingRecord, savedAt: string): MeetingRecord;
  claimOnce(meeting: MeetingKey, action: string, claimedAt: string): boolean;
  /** `expiresAt` and `now` in milliseconds since the epoch. */
  tryAcquireLease(meeting: MeetingKey, name: string, holder: string, expiresAt: number, now: number): boolean;
  releaseLease(meeting: MeetingKey, name: string, holder: string): void;
  scheduleWork(work: PendingWork): void;
  completeWork(meeting: MeetingKey, kind: string): void;
  deleteMeeting(meeting: MeetingKey): void;
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
  private readonly insertClaim: Database.Statement;
  private readonly upsertLease: Database.Statement;
  private readonly deleteLease: Database.Statement;
  private readonly upsertWork: Database.Statement;
  private readonly deleteWork: Database.Statement;
  private readonly deleteMeetingRows: Database.Statement[];
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
      `INSERT INTO meetings (tenant_id, meeting_id, body, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
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
  }

  appendEvents(events: readonly AttendanceEvent[], receivedAt: string): number {
    let added = 0;
    const touched = new Set<string>();
    for (const event of events) {
      const meetingKey = JSON.stringify([event.tenantId, event.meetingId]);
      if (!touched.has(meetingKey)) {
        touched.add(meetingKey);
        this.touchMeeting.run(event.tenantId, event.meetingId, receivedAt);
      }
      added += this.insertEvent.run({
        tenantId: event.tenantId,
        meetingId: event.meetingId,
        eventKey: event.eventKey,
        deliveryKey: deliveryKeyFor(event) ?? null,
        body: JSON.stringify(event),
        receivedAt,
      }).changes;
    }
    return added;
  }

  saveMeeting(update: MeetingRecord, savedAt: string): MeetingRecord {
    const row = this.selectMeeting.get(update.tenantId, update.meetingId) as { body: string } | undefined;
    const known = row ? (JSON.parse(row.body) as MeetingRecord) : { tenantId: update.tenantId, meetingId: update.meetingId };
    const merged = mergeDefined(known, update);
    this.upsertMeeting.run(update.tenantId, update.meetingId, JSON.stringify(merged), savedAt);
    this.touchMeeting.run(update.tenantId, update.meetingId, savedAt);
    if (merged.chatId) this.insertChatMeeting.run(update.tenantId, merged.chatId, update.meetingId);
    return merged;
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
