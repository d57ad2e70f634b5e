/**
 * The storage port. Events are facts: appended once, never changed; everything else is derived from them.
 * Each adapter (SQLite here, Azure Tables later) must pass test/store/storeContract.ts.
 */
import type { Correction } from '../attendance/corrections.js';
import type { AttendanceEvent } from '../attendance/events.js';
import type { RosterFact } from '../attendance/roster.js';
import type { RuleChange } from '../attendance/rule.js';
import type { MeetingDetails } from '../attendance/meeting.js';
import { withDerivedIds, type MeetingAlias } from '../attendance/meetingIds.js';
import type { WebhookOutbox } from './webhookOutbox.js';

/** A meeting as the app knows it: Teams' details plus where to reach its chat. */
export interface MeetingRecord extends MeetingDetails {
  /** The meeting chat's conversation id ("19:meeting_…@thread.v2"). */
  chatId?: string;
  /** The Bot Framework service URL to reach that chat. */
  serviceUrl?: string;
  /** When Teams' meeting details were last fetched successfully; absent means "fetch again". */
  detailsFetchedAt?: string;
  /** When fetching them was last tried, so failures are retried at a calm pace. */
  detailsAttemptedAt?: string;
  /** Why roster sampling could not cover this meeting (fully), in words for the organizer and the logs. */
  samplingProblem?: string;
  /** Graph's onlineMeeting id, when Teams' meeting details give it (`msGraphResourceId`). */
  onlineMeetingId?: string;
  /** The organizer's user principal name (their sign-in e-mail), when known. */
  organizerUpn?: string;
  /** The numeric code of a `https://teams.microsoft.com/meet/<code>` join link. */
  joinMeetingId?: string;
  /** When the meeting last ended (a meetingEnd's time): participant events up to it are late news for a report. */
  lastEndedAt?: string;
}

export type MeetingKey = Pick<MeetingDetails, 'tenantId' | 'meetingId'>;

/** A person of a tenant the app has seen (an organizer, a participant whose e-mail was looked up). */
export interface PersonRecord {
  tenantId: string;
  /** The Entra object id. */
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
  /**
   * When the store last saved this person (ISO 8601, by the store's clock, as meeting activity is dated): set by
   * savePeople (a value passed in is ignored), so retention can delete people not seen for its period.
   */
  lastSeenAt?: string;
}

/** Which meetings of a tenant to list: newest first by when they began (their record's `trackingSince`). */
export interface MeetingListQuery {
  tenantId: string;
  /** Only meetings this Entra object id organised. */
  organizerAadObjectId?: string;
  /** Meetings that began at or after this instant (ISO 8601). */
  since?: string;
  /** Meetings that began before this instant (ISO 8601). */
  until?: string;
  /** At most this many per page. */
  limit: number;
  /** Where the previous page ended (its `cursor`). */
  cursor?: string;
}

export interface MeetingListPage {
  meetings: MeetingRecord[];
  /** Present when there may be more: pass it back as the query's `cursor`. */
  cursor?: string;
}

/** Work to do later for a meeting (e.g. reconciling with Graph call records), kept across restarts. */
export interface PendingWork extends MeetingKey {
  /** What to do; one pending item per meeting and kind. */
  kind: string;
  /** Not before this instant (ISO 8601). */
  dueAt: string;
  attempts: number;
  /** When the work was first scheduled (ISO 8601), to give up after a deadline. */
  firstScheduledAt: string;
  lastError?: string;
  /** The activity that asked for the work, when what it posts is a reply to it. */
  replyToId?: string;
}

/**
 * Writer id → that writer's mark for one meeting (see AttendanceStore.writeMarks). A writer is one opened store:
 * one server instance, and a new one after each restart.
 */
export type WriteMarks = Readonly<Record<string, string>>;

export interface StoreHealth {
  ok: boolean;
  kind: string;
  detail?: string;
}

export interface AttendanceStore extends WebhookOutbox {
  /**
   * Durably appends events, all or none. A fact already stored (same event key, or the same delivery)
   * is skipped, not an error. Resolves only once the events would survive a crash.
   */
  appendEvents(events: readonly AttendanceEvent[]): Promise<{ added: number }>;
  /** Every stored event of one meeting, in no particular order. */
  readEvents(meeting: MeetingKey): Promise<AttendanceEvent[]>;
  /** This opened store's writer id: the key of its own mark in writeMarks. Another process (or a restart) has another. */
  readonly writerId: string;
  /**
   * One mark per writer that added events of the meeting or saved its record: each such write gives that writer's
   * mark a value it never had before, stored together with the write. Skipped duplicates change nothing; an empty
   * object means nothing is stored. One small read, so that a copy of the meeting held in memory (see
   * meetings/materialisedStore.ts) can tell on every read whether another instance wrote since it was loaded.
   */
  writeMarks(meeting: MeetingKey): Promise<WriteMarks>;
  /** Merges the given fields into the meeting's record (fields left undefined are kept) and returns it. */
  saveMeeting(update: MeetingRecord): Promise<MeetingRecord>;
  getMeeting(meeting: MeetingKey): Promise<MeetingRecord | undefined>;
  /**
   * The meeting of this tenant that a normalised id (attendance/meetingIds.ts) leads to: one keyed read.
   * saveMeeting indexes every alias of the record it saves (were two meetings ever to claim one alias, either may win).
   */
  findMeetingByAlias(tenantId: string, alias: MeetingAlias): Promise<MeetingKey | undefined>;
  /**
   * A tenant's meetings (of one organizer, when asked), newest first by `trackingSince` (ties in no set order), one page: a ranged
   * read of an index, never a scan of the tenant's meetings. Records without `trackingSince` are not listed.
   */
  listMeetings(query: MeetingListQuery): Promise<MeetingListPage>;
  /** Adds or updates people of a tenant (fields left undefined are kept), dated now (`lastSeenAt`). */
  savePeople(people: readonly PersonRecord[]): Promise<void>;
  /** A person of the tenant by Entra object id or by UPN/e-mail (any case): one keyed read. */
  findPerson(tenantId: string, idOrUpn: string): Promise<PersonRecord | undefined>;
  /**
   * Deletes people, of every tenant, last saved before `cutoff`: at most `limit` lookup entries (a person has one
   * per key of personLookupKeys, all saved together), and says how many. An entry under a UPN or e-mail the person
   * no longer has is not saved again, so it goes once it is that old. Deleting a meeting never deletes people
   * (they are the tenant's, shared by its meetings): this does.
   */
  deletePeopleSeenBefore(cutoff: Date, limit: number): Promise<number>;
  /** Records that a one-time action (a notice, a summary) is being done; true only for the first caller. */
  claimOnce(meeting: MeetingKey, action: string): Promise<boolean>;
  /** Whether a one-time action of the meeting has been claimed already (by any instance); claims nothing. */
  hasClaim(meeting: MeetingKey, action: string): Promise<boolean>;
  /**
   * Takes or renews a named lease on a meeting (e.g. "roster-sampler") for `holder` until `now + ttlMs`.
   * True when `holder` holds it afterwards: it was free, expired, or already held by `holder`. Atomic
   * across every instance sharing the store.
   */
  tryAcquireLease(meeting: MeetingKey, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Gives a lease up early, if `holder` still holds it. */
  releaseLease(meeting: MeetingKey, name: string, holder: string): Promise<void>;
  /** Adds or replaces the pending work of this meeting and kind. */
  scheduleWork(work: PendingWork): Promise<void>;
  /** Pending work of a kind that is due at `now`, soonest first, at most `limit` items. */
  listDueWork(kind: string, now: Date, limit: number): Promise<PendingWork[]>;
  /** The pending work of this meeting and kind, if there is any. */
  getWork(meeting: MeetingKey, kind: string): Promise<PendingWork | undefined>;
  /** Removes the pending work of this meeting and kind (done, or given up). */
  completeWork(meeting: MeetingKey, kind: string): Promise<void>;
  /**
   * Deletes everything stored about one meeting: its events, its record and its index entries, its one-time
   * claims, its leases, its pending work of every kind, its webhook deliveries, its roster, rule and corrections,
   * and its place in its chat's meetings. Deleting a meeting that is not there (any more) is not an error.
   */
  deleteMeeting(meeting: MeetingKey): Promise<void>;
  /**
   * Meetings whose last activity is before `cutoff`, at most `limit` of them, in no particular order. A
   * meeting's last activity is the last time, by the store's clock, that events of it were appended (even
   * ones already stored: a redelivery is activity too), its record was saved, or roster facts, its rule or a
   * correction were stored; claims, leases and pending work do not count. Deleted meetings are not listed.
   */
  listMeetingsIdleSince(cutoff: Date, limit: number): Promise<MeetingKey[]>;
  /**
   * Durably appends roster facts (who was a member of the meeting's chat, when). A fact already stored (same
   * meeting, person and time) is skipped, not an error. Counts as activity of the meeting.
   */
  appendRosterFacts(facts: readonly RosterFact[]): Promise<{ added: number }>;
  /** Every roster fact of one meeting, in no particular order. */
  readRoster(meeting: MeetingKey): Promise<RosterFact[]>;
  /** Sets the meeting's register rule (replacing the one before). Counts as activity of the meeting. */
  saveRule(meeting: MeetingKey, change: RuleChange): Promise<void>;
  /** The meeting's rule, when its organizer set one. */
  getRule(meeting: MeetingKey): Promise<RuleChange | undefined>;
  /**
   * Durably appends a correction; false (and nothing written) when one with its id exists. Corrections are
   * never changed or removed (except with their meeting). Counts as activity of the meeting.
   */
  appendCorrection(correction: Correction): Promise<boolean>;
  /** Every correction of one meeting, in no particular order. */
  readCorrections(meeting: MeetingKey): Promise<Correction[]>;
  /**
   * The meetings of one chat thread in a tenant (a recurring class; a Meet Now started again in the same group
   * chat): those whose record was saved with that `chatId`. Deleted meetings are not listed.
   */
  listChatMeetings(tenantId: string, chatId: string): Promise<MeetingKey[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** `base` with every field of `update` that is defined: how every adapter's saveMeeting merges. */
export function mergeDefined<T extends object>(base: T, update: Partial<T>): T {
  const merged = { ...base };
  for (const [field, value] of Object.entries(update)) {
    if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
  }
  return merged;
}

/** How every adapter's saveMeeting completes a merged record: the ids derived from what it holds. */
export function mergeMeeting(base: MeetingRecord, update: MeetingRecord): MeetingRecord {
  return withDerivedIds(mergeDefined(base, update));
}

/** The key a person is found by: the object id, or the UPN/e-mail, compared without case. */
export function personLookupKeys(person: PersonRecord): string[] {
  const keys = [personKey(person.id)];
  for (const name of [person.userPrincipalName, person.mail]) if (name) keys.push(personKey(name));
  return [...new Set(keys)];
}

export function personKey(idOrUpn: string): string {
  return idOrUpn.trim().toLowerCase();
}
