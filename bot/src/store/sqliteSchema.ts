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
];

/** Every table that holds rows of a meeting: what deleting a meeting deletes. */
export const MEETING_TABLES = [
  'events',
  'meetings',
  'claims',
  'leases',
  'pending_work',
  'meeting_activity',
  'roster_facts',
  'meeting_rules',
  'corrections',
  'chat_meetings',
] as const;

/** Opens the file (creating its folder), sets the connection up and brings the schema up to date. */
export function openDatabase(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
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
