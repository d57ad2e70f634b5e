/**
 * The SQLite file: its schema steps and how every connection to it is opened (WAL, fully synced commits, a
 * wait instead of an error while another connection writes).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

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
  // Every id an outside system may hold for a meeting (attendance/meetingIds.ts), and the listing by time and
  // organizer; the chat thread ids of meetings stored before are indexed from their records.
  `CREATE TABLE meeting_aliases (
     tenant_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     value TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     PRIMARY KEY (tenant_id, kind, value)
   );
   CREATE INDEX meeting_aliases_by_meeting ON meeting_aliases (tenant_id, meeting_id);
   INSERT OR IGNORE INTO meeting_aliases (tenant_id, kind, value, meeting_id)
     SELECT tenant_id, 'thread', json_extract(body, '$.chatId'), meeting_id FROM meetings
     WHERE json_extract(body, '$.chatId') LIKE '19:%@thread.%';
   ALTER TABLE meetings ADD COLUMN listed_at TEXT;
   ALTER TABLE meetings ADD COLUMN organizer_id TEXT;
   UPDATE meetings SET listed_at = json_extract(body, '$.trackingSince'), organizer_id = json_extract(body, '$.organizerAadObjectId');
   CREATE INDEX meetings_by_time ON meetings (tenant_id, listed_at, meeting_id) WHERE listed_at IS NOT NULL;
   CREATE INDEX meetings_by_organizer ON meetings (tenant_id, organizer_id, listed_at, meeting_id) WHERE listed_at IS NOT NULL;
   CREATE TABLE people (
     tenant_id TEXT NOT NULL,
     lookup_key TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (tenant_id, lookup_key)
   );`,
  // The webhook outbox (see webhookOutbox.ts), and the endpoints that answered 410 Gone.
  `CREATE TABLE webhook_deliveries (
     message_id TEXT NOT NULL,
     endpoint_id TEXT NOT NULL,
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     status TEXT NOT NULL,
     next_attempt_at TEXT,
     created_at TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (message_id, endpoint_id)
   );
   CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
   CREATE INDEX webhook_deliveries_by_tenant ON webhook_deliveries (tenant_id, created_at);
   CREATE INDEX webhook_deliveries_by_meeting ON webhook_deliveries (tenant_id, meeting_id);
   CREATE TABLE disabled_webhook_endpoints (
     endpoint_key TEXT PRIMARY KEY,
     reason TEXT NOT NULL,
     disabled_at TEXT NOT NULL
   );`,
  // Each writer's mark per meeting (AttendanceStore.writeMarks): a meeting with none yet is simply read once more.
  `CREATE TABLE IF NOT EXISTS write_marks (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     writer_id TEXT NOT NULL,
     mark TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id, writer_id)
   );`,
  // The register: roster facts and corrections (append-only), the organizer's rule, and each chat's meetings.
  `CREATE TABLE roster_facts (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     fact_key TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id, fact_key)
   );
   CREATE TABLE meeting_rules (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id)
   );
   CREATE TABLE corrections (
     tenant_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     id TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (tenant_id, meeting_id, id)
   );
   CREATE TABLE chat_meetings (
     tenant_id TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     meeting_id TEXT NOT NULL,
     PRIMARY KEY (tenant_id, chat_id, meeting_id)
   );
   CREATE INDEX chat_meetings_by_meeting ON chat_meetings (tenant_id, meeting_id);
   INSERT OR IGNORE INTO chat_meetings (tenant_id, chat_id, meeting_id)
     SELECT tenant_id, json_extract(body, '$.chatId'), meeting_id FROM meetings WHERE json_extract(body, '$.chatId') IS NOT NULL;`,
  // When each entry of the people directory was last saved (for retention). The file holds no date for the entries
  // already there, so they count as saved at this upgrade: retention deletes them a period after it at the latest.
  `ALTER TABLE people ADD COLUMN last_seen_at TEXT;
   UPDATE people SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
   CREATE INDEX people_by_last_seen ON people (last_seen_at);`,
];

/** Every table that holds rows of a meeting: what deleting a meeting deletes. */
export const MEETING_TABLES = [
  'events',
  'meetings',
  'meeting_aliases',
  'claims',
  'leases',
  'pending_work',
  'meeting_activity',
  'webhook_deliveries',
  'write_marks',
  'roster_facts',
  'meeting_rules',
  'corrections',
  'chat_meetings',
] as const;

/**
 * Each connection's page cache, in KiB: SQLite's own default (2 MB). better-sqlite3 builds SQLite with a 16 MB
 * default, and the server has two connections (the reader here, the writer thread's), so a busy file held 32 MB
 * of pages the meetings held in memory (docs/live-state.md) and the OS's file cache already hold.
 */
export const PAGE_CACHE_KIB = 2000;

/** Opens the file (creating its folder), sets the connection up and brings the schema up to date. */
export function openDatabase(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (const [index, step] of MIGRATIONS.entries()) {
    if (index < applied) continue;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
}
