/** The embedded default store: one SQLite file (better-sqlite3, WAL, fully synced commits). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { deliveryKeyFor, type AttendanceEvent } from '../attendance/events.js';
import { mergeDefined, type AttendanceStore, type MeetingKey, type MeetingRecord, type PendingWork, type StoreHealth } from './store.js';

/** Schema steps; `PRAGMA user_version` says how many have run. Append only: never edit a shipped step. */
const MIGRATIONS = [
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     event_key TEXT NOT NULL,
     delivery_key TEXT,
     body TEXT NOT NULL,
     received_at TEXT NOT NULL,
     UNIQUE (tenant_id, meeting_id, event_key)
   );
   CREATE UNIQUE INDEX events_by_delivery ON events (tenant_id, meeting_id, delivery_key)
     WHERE delivery_key IS NOT NULL;
   CREATE TABLE meetings (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id)
   );
   CREATE TABLE claims (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     action TEXT NOT NULL,
     claimed_at TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id, action)
   );`,
  `CREATE TABLE leases (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     name TEXT NOT NULL,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id, name)
   );`,
  `CREATE TABLE pending_work (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     due_at TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id, kind)
   );
   CREATE INDEX pending_work_by_due ON pending_work (kind, due_at);`,
  // When anything was last stored for each meeting (for retention), started from what is already there.
  `CREATE TABLE meeting_activity (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     last_activity_at TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id)
   );
   CREATE INDEX meeting_activity_by_time ON meeting_activity (last_activity_at);
   INSERT INTO meeting_activity (tenant_id, meeting_id, last_activity_at)
     SELECT tenant_id, meeting_id, MAX(at) FROM (
       SELECT tenant_id, meeting_id, received_at AS at FROM events
       UNION ALL
       SELECT tenant_id, meeting_id, updated_at AS at FROM meetings
     ) GROUP BY tenant_id, meeting_id;`,
];

/** Every table that holds rows of a meeting: what deleting a meeting deletes. */
const MEETING_TABLES = ['events', 'meetings', 'claims', 'leases', 'pending_work', 'meeting_activity'] as const;

export class SqliteStore implements AttendanceStore {
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly selectEvents: Database.Statement;
  private readonly selectMeeting: Database.Statement;
  private readonly upsertMeeting: Database.Statement;
  private readonly insertClaim: Database.Statement;
  private readonly upsertLease: Database.Statement;
  private readonly deleteLease: Database.Statement;
  private readonly upsertWork: Database.Statement;
  private readonly selectDueWork: Database.Statement;
  private readonly deleteWork: Database.Statement;
  private readonly touchMeeting: Database.Statement;
  private readonly selectIdle: Database.Statement;
  private readonly deleteMeetingRows: Database.Statement[];

  /** `clock`: the time recorded as each meeting's last activity (and as events' arrival). */
  constructor(
    path: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.insertEvent = this.db.prepare(
      `INSERT OR IGNORE INTO events (tenant_id, meeting_id, event_key, delivery_key, body, received_at)
       VALUES (@tenantId, @meetingId, @eventKey, @deliveryKey, @body, @receivedAt)`,
    );
    this.selectEvents = this.db.prepare(
      'SELECT body FROM events WHERE tenant_id = ? AND meeting_id = ? ORDER BY seq',
    );
    this.selectMeeting = this.db.prepare('SELECT body FROM meetings WHERE tenant_id = ? AND meeting_id = ?');
    this.upsertMeeting = this.db.prepare(
      `INSERT INTO meetings (tenant_id, meeting_id, body, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
    );
    this.insertClaim = this.db.prepare(
      'INSERT OR IGNORE INTO claims (tenant_id, meeting_id, action, claimed_at) VALUES (?, ?, ?, ?)',
    );
    this.upsertLease = this.db.prepare(
      `INSERT INTO leases (tenant_id, meeting_id, name, holder, expires_at) VALUES (@tenantId, @meetingId, @name, @holder, @expiresAt)
       ON CONFLICT (tenant_id, meeting_id, name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
    );
    this.upsertWork = this.db.prepare(
      `INSERT INTO pending_work (tenant_id, meeting_id, kind, due_at, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id, kind) DO UPDATE SET due_at = excluded.due_at, body = excluded.body`,
    );
    this.selectDueWork = this.db.prepare('SELECT body FROM pending_work WHERE kind = ? AND due_at <= ? ORDER BY due_at LIMIT ?');
    this.deleteWork = this.db.prepare('DELETE FROM pending_work WHERE tenant_id = ? AND meeting_id = ? AND kind = ?');
    this.deleteLease = this.db.prepare('DELETE FROM leases WHERE tenant_id = ? AND meeting_id = ? AND name = ? AND holder = ?');
    this.touchMeeting = this.db.prepare(
      `INSERT INTO meeting_activity (tenant_id, meeting_id, last_activity_at) VALUES (?, ?, ?)
       ON CONFLICT (tenant_id, meeting_id) DO UPDATE SET last_activity_at = excluded.last_activity_at`,
    );
    this.selectIdle = this.db.prepare(
      'SELECT tenant_id AS tenantId, meeting_id AS meetingId FROM meeting_activity WHERE last_activity_at < ? ORDER BY last_activity_at LIMIT ?',
    );
    this.deleteMeetingRows = MEETING_TABLES.map((table) => this.db.prepare(`DELETE FROM ${table} WHERE tenant_id = ? AND meeting_id = ?`));
  }

  private migrate(): void {
    const applied = this.db.pragma('user_version', { simple: true }) as number;
    for (const [index, step] of MIGRATIONS.entries()) {
      if (index < applied) continue;
      this.db.transaction(() => {
        this.db.exec(step);
        this.db.pragma(`user_version = ${index + 1}`);
      })();
    }
  }

  async appendEvents(events: readonly AttendanceEvent[]): Promise<{ added: number }> {
    const receivedAt = this.clock().toISOString();
    const insertAll = this.db.transaction((batch: readonly AttendanceEvent[]) => {
      let added = 0;
      const touched = new Set<string>();
      for (const event of batch) {
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
    });
    return { added: insertAll(events) };
  }

  async readEvents(meeting: MeetingKey): Promise<AttendanceEvent[]> {
    const rows = this.selectEvents.all(meeting.tenantId, meeting.meetingId) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as AttendanceEvent);
  }

  async saveMeeting(update: MeetingRecord): Promise<MeetingRecord> {
    return this.db.transaction(() => {
      const merged = mergeDefined(this.readMeeting(update) ?? { tenantId: update.tenantId, meetingId: update.meetingId }, update);
      const savedAt = this.clock().toISOString();
      this.upsertMeeting.run(update.tenantId, update.meetingId, JSON.stringify(merged), savedAt);
      this.touchMeeting.run(update.tenantId, update.meetingId, savedAt);
      return merged;
    }).immediate();
  }

  async getMeeting(meeting: MeetingKey): Promise<MeetingRecord | undefined> {
    return this.readMeeting(meeting);
  }

  private readMeeting(meeting: MeetingKey): MeetingRecord | undefined {
    const row = this.selectMeeting.get(meeting.tenantId, meeting.meetingId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as MeetingRecord) : undefined;
  }

  async claimOnce(meeting: MeetingKey, action: string): Promise<boolean> {
    return this.insertClaim.run(meeting.tenantId, meeting.meetingId, action, this.clock().toISOString()).changes === 1;
  }

  async tryAcquireLease(meeting: MeetingKey, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const result = this.upsertLease.run({
      tenantId: meeting.tenantId,
      meetingId: meeting.meetingId,
      name,
      holder,
      expiresAt: now.getTime() + ttlMs,
      now: now.getTime(),
    });
    return result.changes === 1;
  }

  async releaseLease(meeting: MeetingKey, name: string, holder: string): Promise<void> {
    this.deleteLease.run(meeting.tenantId, meeting.meetingId, name, holder);
  }

  async scheduleWork(work: PendingWork): Promise<void> {
    this.upsertWork.run(work.tenantId, work.meetingId, work.kind, new Date(work.dueAt).toISOString(), JSON.stringify(work));
  }

  async listDueWork(kind: string, now: Date, limit: number): Promise<PendingWork[]> {
    const rows = this.selectDueWork.all(kind, now.toISOString(), limit) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as PendingWork);
  }

  async completeWork(meeting: MeetingKey, kind: string): Promise<void> {
    this.deleteWork.run(meeting.tenantId, meeting.meetingId, kind);
  }

  async deleteMeeting(meeting: MeetingKey): Promise<void> {
    this.db.transaction(() => {
      for (const statement of this.deleteMeetingRows) statement.run(meeting.tenantId, meeting.meetingId);
    })();
  }

  async listMeetingsIdleSince(cutoff: Date, limit: number): Promise<MeetingKey[]> {
    return this.selectIdle.all(cutoff.toISOString(), limit) as MeetingKey[];
  }

  async health(): Promise<StoreHealth> {
    try {
      this.db.prepare('SELECT 1').get();
      return { ok: true, kind: 'sqlite' };
    } catch {
      return { ok: false, kind: 'sqlite', detail: 'the database file cannot be read; see the server log' };
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
