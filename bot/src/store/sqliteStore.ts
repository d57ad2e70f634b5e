/**
 * The embedded default store: one SQLite file (better-sqlite3, WAL, fully synced commits). Reads run here on
 * the main thread's own connection (WAL lets them run beside a commit); writes go to the writer thread
 * (sqliteWriter.ts), which commits together the writes that arrive together.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Correction } from '../attendance/corrections.js';
import type { AttendanceEvent } from '../attendance/events.js';
import type { MeetingAlias } from '../attendance/meetingIds.js';
import type { RosterFact } from '../attendance/roster.js';
import type { RuleChange } from '../attendance/rule.js';
import { openDatabase } from './sqliteSchema.js';
import { SqliteWriter } from './sqliteWriter.js';
import type { WriteMark } from './sqliteWrites.js';
import {
  personKey,
  type AttendanceStore,
  type MeetingKey,
  type MeetingListPage,
  type MeetingListQuery,
  type MeetingRecord,
  type PendingWork,
  type PersonRecord,
  type StoreHealth,
  type WriteMarks,
} from './store.js';
import type { WebhookDelivery } from './webhookOutbox.js';

/**
 * Meeting records kept in memory, the most recently used: every activity of a meeting reads its record. The
 * cache is exact because this process is the file's only writer (SQLite is the one-machine store).
 */
const CACHED_MEETINGS = 1000;
/** One-time claims known to be taken, so that asking again (every activity of an instant meeting does) needs no write. */
const REMEMBERED_CLAIMS = 10_000;

export class SqliteStore implements AttendanceStore {
  private readonly db: Database.Database;
  private readonly writer: SqliteWriter;
  private readonly selectEvents: Database.Statement;
  private readonly selectMeeting: Database.Statement;
  private readonly selectDueWork: Database.Statement;
  private readonly selectClaim: Database.Statement;
  private readonly selectIdle: Database.Statement;
  private readonly selectAlias: Database.Statement;
  private readonly selectPerson: Database.Statement;
  private readonly selectWork: Database.Statement;
  private readonly selectDelivery: Database.Statement;
  private readonly selectDueDeliveries: Database.Statement;
  private readonly selectTenantDeliveries: Database.Statement;
  private readonly selectDisabledEndpoints: Database.Statement;
  private readonly selectMarks: Database.Statement;
  readonly writerId = randomUUID();
  /** This writer's marks count up: a value is never given twice. */
  private lastMark = 0;
  private readonly selectRoster: Database.Statement;
  private readonly selectRule: Database.Statement;
  private readonly selectCorrections: Database.Statement;
  private readonly selectChatMeetings: Database.Statement;
  private readonly meetings = new Map<string, MeetingRecord>();
  private readonly claimed = new Set<string>();

  /** `path`: the database file; `clock`: the time recorded as each meeting's last activity (and as events' arrival, and people's lastSeenAt). */
  constructor(
    path: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    // Opened (and migrated) here first, so the file is ready before the writer thread opens it too.
    this.db = openDatabase(path);
    this.writer = new SqliteWriter(path);
    this.selectEvents = this.db.prepare('SELECT body FROM events WHERE tenant_id = ? AND meeting_id = ?');
    this.selectMeeting = this.db.prepare('SELECT body FROM meetings WHERE tenant_id = ? AND meeting_id = ?');
    this.selectClaim = this.db.prepare('SELECT 1 FROM claims WHERE tenant_id = ? AND meeting_id = ? AND action = ?');
    this.selectDueWork = this.db.prepare('SELECT body FROM pending_work WHERE kind = ? AND due_at <= ? ORDER BY due_at LIMIT ?');
    this.selectAlias = this.db.prepare('SELECT meeting_id AS meetingId FROM meeting_aliases WHERE tenant_id = ? AND kind = ? AND value = ?');
    this.selectPerson = this.db.prepare('SELECT body, last_seen_at AS lastSeenAt FROM people WHERE tenant_id = ? AND lookup_key = ?');
    this.selectWork = this.db.prepare('SELECT body FROM pending_work WHERE tenant_id = ? AND meeting_id = ? AND kind = ?');
    // Rows as arrays: asked on every read of a held meeting, so half the cost of row objects counts.
    this.selectMarks = this.db.prepare('SELECT writer_id, mark FROM write_marks WHERE tenant_id = ? AND meeting_id = ?').raw(true);
    this.selectRoster = this.db.prepare('SELECT body FROM roster_facts WHERE tenant_id = ? AND meeting_id = ?');
    this.selectRule = this.db.prepare('SELECT body FROM meeting_rules WHERE tenant_id = ? AND meeting_id = ?');
    this.selectCorrections = this.db.prepare('SELECT body FROM corrections WHERE tenant_id = ? AND meeting_id = ?');
    this.selectChatMeetings = this.db.prepare(
      'SELECT tenant_id AS tenantId, meeting_id AS meetingId FROM chat_meetings WHERE tenant_id = ? AND chat_id = ? ORDER BY meeting_id',
    );
    this.selectIdle = this.db.prepare(
      'SELECT tenant_id AS tenantId, meeting_id AS meetingId FROM meeting_activity WHERE last_activity_at < ? ORDER BY last_activity_at LIMIT ?',
    );
    this.selectDelivery = this.db.prepare('SELECT body FROM webhook_deliveries WHERE message_id = ? AND endpoint_id = ?');
    this.selectDueDeliveries = this.db.prepare(
      "SELECT body FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
    );
    this.selectTenantDeliveries = this.db.prepare(
      'SELECT body FROM webhook_deliveries WHERE tenant_id = ? ORDER BY created_at DESC, message_id, endpoint_id LIMIT ?',
    );
    this.selectDisabledEndpoints = this.db.prepare('SELECT endpoint_key AS endpointKey FROM disabled_webhook_endpoints');
  }

  async appendEvents(events: readonly AttendanceEvent[]): Promise<{ added: number }> {
    return { added: await this.writer.write('appendEvents', events, this.now(), this.nextMark()) };
  }

  async writeMarks(meeting: MeetingKey): Promise<WriteMarks> {
    return Object.fromEntries(this.selectMarks.all(meeting.tenantId, meeting.meetingId) as [string, string][]);
  }

  private nextMark(): WriteMark {
    this.lastMark += 1;
    return { writerId: this.writerId, mark: String(this.lastMark) };
  }

  async readEvents(meeting: MeetingKey): Promise<AttendanceEvent[]> {
    const rows = this.selectEvents.all(meeting.tenantId, meeting.meetingId) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as AttendanceEvent);
  }

  async saveMeeting(update: MeetingRecord): Promise<MeetingRecord> {
    const saved = await this.writer.write('saveMeeting', update, this.now(), this.nextMark());
    this.remember(saved);
    return { ...saved };
  }

  async getMeeting(meeting: MeetingKey): Promise<MeetingRecord | undefined> {
    const cached = this.meetings.get(cacheKey(meeting));
    if (cached) {
      this.remember(cached);
      return { ...cached };
    }
    const row = this.selectMeeting.get(meeting.tenantId, meeting.meetingId) as { body: string } | undefined;
    if (!row) return undefined;
    const record = JSON.parse(row.body) as MeetingRecord;
    this.remember(record);
    return { ...record };
  }

  async findMeetingByAlias(tenantId: string, alias: MeetingAlias): Promise<MeetingKey | undefined> {
    const row = this.selectAlias.get(tenantId, alias.kind, alias.value) as { meetingId: string } | undefined;
    return row ? { tenantId, meetingId: row.meetingId } : undefined;
  }

  /** A range of the index on (tenant, [organizer,] listed_at, meeting_id), read backwards from the cursor. */
  async listMeetings(query: MeetingListQuery): Promise<MeetingListPage> {
    const conditions = ['tenant_id = @tenantId', 'listed_at IS NOT NULL'];
    if (query.organizerAadObjectId !== undefined) conditions.push('organizer_id = @organizer');
    if (query.since !== undefined) conditions.push('listed_at >= @since');
    if (query.until !== undefined) conditions.push('listed_at < @until');
    const cursor = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    if (cursor) conditions.push('(listed_at, meeting_id) < (@cursorAt, @cursorId)');
    const rows = this.db
      .prepare(`SELECT body, listed_at AS listedAt FROM meetings WHERE ${conditions.join(' AND ')} ORDER BY listed_at DESC, meeting_id DESC LIMIT @limit`)
      .all({
        tenantId: query.tenantId,
        organizer: query.organizerAadObjectId ?? null,
        since: query.since ?? null,
        until: query.until ?? null,
        cursorAt: cursor?.[0] ?? null,
        cursorId: cursor?.[1] ?? null,
        limit: query.limit + 1,
      }) as { body: string; listedAt: string }[];
    const meetings = rows.slice(0, query.limit).map((row) => JSON.parse(row.body) as MeetingRecord);
    const last = meetings.at(-1);
    return rows.length > query.limit && last ? { meetings, cursor: JSON.stringify([last.trackingSince, last.meetingId]) } : { meetings };
  }

  async savePeople(people: readonly PersonRecord[]): Promise<void> {
    if (people.length > 0) await this.writer.write('savePeople', people, this.now());
  }

  async findPerson(tenantId: string, idOrUpn: string): Promise<PersonRecord | undefined> {
    const row = this.selectPerson.get(tenantId, personKey(idOrUpn)) as { body: string; lastSeenAt: string } | undefined;
    return row ? { ...(JSON.parse(row.body) as PersonRecord), lastSeenAt: row.lastSeenAt } : undefined;
  }

  deletePeopleSeenBefore(cutoff: Date, limit: number): Promise<number> {
    return this.writer.write('deletePeopleSeenBefore', cutoff.toISOString(), limit);
  }

  /** Puts the record in the cache as the most recently used (a Map keeps insertion order), evicting the least. */
  private remember(record: MeetingRecord): void {
    const key = cacheKey(record);
    this.meetings.delete(key);
    this.meetings.set(key, record);
    if (this.meetings.size > CACHED_MEETINGS) this.meetings.delete(this.meetings.keys().next().value as string);
  }

  async claimOnce(meeting: MeetingKey, action: string): Promise<boolean> {
    const claim = `${cacheKey(meeting)}\n${action}`;
    if (this.claimed.has(claim)) return false;
    const first = await this.writer.write('claimOnce', key(meeting), action, this.now());
    if (this.claimed.size >= REMEMBERED_CLAIMS) this.claimed.delete(this.claimed.values().next().value as string);
    this.claimed.add(claim);
    return first;
  }

  async hasClaim(meeting: MeetingKey, action: string): Promise<boolean> {
    if (this.claimed.has(`${cacheKey(meeting)}\n${action}`)) return true;
    return this.selectClaim.get(meeting.tenantId, meeting.meetingId, action) !== undefined;
  }

  tryAcquireLease(meeting: MeetingKey, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.writer.write('tryAcquireLease', key(meeting), name, holder, now.getTime() + ttlMs, now.getTime());
  }

  releaseLease(meeting: MeetingKey, name: string, holder: string): Promise<void> {
    return this.writer.write('releaseLease', key(meeting), name, holder);
  }

  scheduleWork(work: PendingWork): Promise<void> {
    return this.writer.write('scheduleWork', work);
  }

  async listDueWork(kind: string, now: Date, limit: number): Promise<PendingWork[]> {
    const rows = this.selectDueWork.all(kind, now.toISOString(), limit) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as PendingWork);
  }

  async getWork(meeting: MeetingKey, kind: string): Promise<PendingWork | undefined> {
    const row = this.selectWork.get(meeting.tenantId, meeting.meetingId, kind) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as PendingWork) : undefined;
  }

  completeWork(meeting: MeetingKey, kind: string): Promise<void> {
    return this.writer.write('completeWork', key(meeting), kind);
  }

  async deleteMeeting(meeting: MeetingKey): Promise<void> {
    this.forget(meeting);
    await this.writer.write('deleteMeeting', key(meeting));
    this.forget(meeting);
  }

  private forget(meeting: MeetingKey): void {
    const prefix = `${cacheKey(meeting)}\n`;
    this.meetings.delete(cacheKey(meeting));
    for (const claim of this.claimed) if (claim.startsWith(prefix)) this.claimed.delete(claim);
  }

  async listMeetingsIdleSince(cutoff: Date, limit: number): Promise<MeetingKey[]> {
    return this.selectIdle.all(cutoff.toISOString(), limit) as MeetingKey[];
  }

  enqueueDeliveries(deliveries: readonly WebhookDelivery[]): Promise<{ added: number }> {
    return this.writer.write('enqueueDeliveries', deliveries).then((added) => ({ added }));
  }

  async getDelivery(messageId: string, endpointId: string): Promise<WebhookDelivery | undefined> {
    const row = this.selectDelivery.get(messageId, endpointId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as WebhookDelivery) : undefined;
  }

  async listDueDeliveries(now: Date, limit: number): Promise<WebhookDelivery[]> {
    return deliveriesOf(this.selectDueDeliveries.all(now.toISOString(), limit));
  }

  updateDelivery(delivery: WebhookDelivery): Promise<void> {
    return this.writer.write('updateDelivery', delivery);
  }

  async listDeliveries(tenantId: string, limit: number): Promise<WebhookDelivery[]> {
    return deliveriesOf(this.selectTenantDeliveries.all(tenantId, limit));
  }

  pruneDeliveries(cutoff: Date): Promise<number> {
    return this.writer.write('pruneDeliveries', cutoff.toISOString());
  }

  disableEndpoint(endpointKey: string, reason: string, at: Date): Promise<void> {
    return this.writer.write('disableEndpoint', endpointKey, reason, at.toISOString());
  }

  async listDisabledEndpoints(): Promise<string[]> {
    return (this.selectDisabledEndpoints.all() as { endpointKey: string }[]).map((row) => row.endpointKey);
  }

  async appendRosterFacts(facts: readonly RosterFact[]): Promise<{ added: number }> {
    return { added: await this.writer.write('appendRosterFacts', facts, this.now()) };
  }

  async readRoster(meeting: MeetingKey): Promise<RosterFact[]> {
    return bodies<RosterFact>(this.selectRoster.all(meeting.tenantId, meeting.meetingId));
  }

  saveRule(meeting: MeetingKey, change: RuleChange): Promise<void> {
    return this.writer.write('saveRule', key(meeting), change, this.now());
  }

  async getRule(meeting: MeetingKey): Promise<RuleChange | undefined> {
    return bodies<RuleChange>([this.selectRule.get(meeting.tenantId, meeting.meetingId)].filter(Boolean))[0];
  }

  appendCorrection(correction: Correction): Promise<boolean> {
    return this.writer.write('appendCorrection', correction, this.now());
  }

  async readCorrections(meeting: MeetingKey): Promise<Correction[]> {
    return bodies<Correction>(this.selectCorrections.all(meeting.tenantId, meeting.meetingId));
  }

  async listChatMeetings(tenantId: string, chatId: string): Promise<MeetingKey[]> {
    return this.selectChatMeetings.all(tenantId, chatId) as MeetingKey[];
  }

  async health(): Promise<StoreHealth> {
    const problem = this.writer.problem;
    if (problem) return { ok: false, kind: 'sqlite', detail: `${problem}; restart the server` };
    try {
      this.db.prepare('SELECT 1').get();
      return { ok: true, kind: 'sqlite' };
    } catch {
      return { ok: false, kind: 'sqlite', detail: 'the database file cannot be read; see the server log' };
    }
  }

  async close(): Promise<void> {
    await this.writer.close();
    this.db.close();
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** A cursor this store made: [listed_at, meeting_id] of the last meeting of the previous page. */
function parseCursor(cursor: string): [string, string] | undefined {
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) return parsed as [string, string];
  } catch {
    // Not one of ours: read from the start.
  }
  return undefined;
}

function bodies<T>(rows: unknown[]): T[] {
  return (rows as { body: string }[]).map((row) => JSON.parse(row.body) as T);
}

/** The tenant id's length first, so that no two different pairs make the same key. */
function cacheKey(meeting: MeetingKey): string {
  return `${meeting.tenantId.length}:${meeting.tenantId}${meeting.meetingId}`;
}

function deliveriesOf(rows: unknown[]): WebhookDelivery[] {
  return (rows as { body: string }[]).map((row) => JSON.parse(row.body) as WebhookDelivery);
}

/** Just the meeting's key: a MeetingRecord passed as a key would otherwise be copied whole to the writer thread. */
function key(meeting: MeetingKey): MeetingKey {
  return { tenantId: meeting.tenantId, meetingId: meeting.meetingId };
}
