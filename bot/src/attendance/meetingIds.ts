/**
 * The ids an outside system may hold for one meeting, and how each spelling of them becomes one normalised
 * key. An LMS holds the join link the teacher pasted (in any of its encodings), sometimes the chat thread id,
 * Graph's online-meeting id or the numeric code of a `/meet/<code>` link; the bot holds Teams' meeting id.
 * Pure: the stores index what `meetingAliases` returns, the API looks up what `aliasesForId` returns.
 */
import type { MeetingDetails } from './meeting.js';

/**
 * A normalised id that leads to one meeting of a tenant:
 * - thread: the meeting chat's thread id "19:meeting_…@thread.v2" (also what a meetup-join link names);
 * - onlineMeetingId: Graph's onlineMeeting id;
 * - joinMeetingId: the numeric code of a "https://teams.microsoft.com/meet/<code>?p=…" link.
 */
export type MeetingAliasKind = 'thread' | 'onlineMeetingId' | 'joinMeetingId';

export interface MeetingAlias {
  kind: MeetingAliasKind;
  value: string;
}

/** The ids of a meeting beyond its Teams meeting id, as its record keeps them. */
export interface MeetingIds extends MeetingDetails {
  chatId?: string;
}

/** Decoding rounds for a join link: a link encoded twice (inside a $filter, then in the query string) needs two. */
const MAX_DECODING_ROUNDS = 4;

/** A Teams chat thread id, as it appears in a decoded meetup-join path. */
const THREAD_IN_PATH = /\/meetup-join\/(19:[^/?#\s]+@thread\.[a-z0-9]+)/i;
/** A bare thread id (an LMS that stored the chat id instead of the link). */
const BARE_THREAD = /^19:[^/?#\s]+@thread\.[a-z0-9]+$/i;
/** The code of a new-style Meet Now link, `/meet/<digits>`. */
const MEET_CODE_IN_PATH = /\/meet\/(\d{6,20})(?:[/?#]|$)/i;
const BARE_CODE = /^\d{6,20}$/;

/**
 * `text` percent-decoded until it no longer changes (or an escape is malformed): a link encoded once, twice,
 * with upper- or lower-case escapes, all come out the same.
 */
export function fullyDecoded(text: string): string {
  let current = text.trim();
  for (let round = 0; round < MAX_DECODING_ROUNDS && current.includes('%'); round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * The normalised key of a join link (or of a bare thread id or code): the thread id for meetup-join links,
 * the numeric code for `/meet/<code>` links; undefined for anything else. The thread id keeps its case (it
 * is case-sensitive); only the escapes around it are undone.
 */
export function joinLinkAlias(link: string): MeetingAlias | undefined {
  const decoded = fullyDecoded(link);
  const thread = THREAD_IN_PATH.exec(decoded)?.[1] ?? (BARE_THREAD.test(decoded) ? decoded : undefined);
  if (thread) return { kind: 'thread', value: thread };
  const code = MEET_CODE_IN_PATH.exec(decoded)?.[1] ?? (BARE_CODE.test(decoded) ? decoded : undefined);
  if (code) return { kind: 'joinMeetingId', value: code };
  return undefined;
}

/**
 * Graph's onlineMeeting id for a meeting Teams gave no `msGraphResourceId` for: base64 of
 * "1*{organizer object id}*0**{chat thread id}" (undocumented, but the form Graph uses and LMS code relies on).
 */
export function graphOnlineMeetingId(organizerObjectId: string, threadId: string): string {
  return Buffer.from(`1*${organizerObjectId}*0**${threadId}`, 'utf8').toString('base64');
}

/**
 * The chat thread id inside an id of the base64 kinds: Graph's "1*{organizer}*0**{thread}" and Teams'
 * "0#{thread}#0". Undefined when `id` is neither.
 */
export function threadInsideId(id: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(id)) return undefined;
  const decoded = Buffer.from(id.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const thread = /^1\*[^*]*\*0\*\*(19:.+@thread\.[a-z0-9]+)$/i.exec(decoded)?.[1] ?? /^0#(19:.+@thread\.[a-z0-9]+)#0$/i.exec(decoded)?.[1];
  return thread;
}

/**
 * The record's ids completed from what it holds: the numeric code of a `/meet/` join link, and Graph's
 * online-meeting id derived from the organizer and the thread when Teams gave none.
 */
export function withDerivedIds<T extends MeetingIds>(record: T): T {
  const completed = { ...record };
  if (!completed.joinMeetingId && completed.joinUrl) {
    const alias = joinLinkAlias(completed.joinUrl);
    if (alias?.kind === 'joinMeetingId') completed.joinMeetingId = alias.value;
  }
  const onlineMeetingId = onlineMeetingIdFor(completed);
  if (onlineMeetingId) completed.onlineMeetingId = onlineMeetingId;
  return completed;
}

/**
 * Graph's onlineMeeting id of a meeting: Teams' own (`msGraphResourceId`) when it gave one, else derived from
 * the organizer and the meeting chat's thread; undefined while either is unknown.
 */
export function onlineMeetingIdFor(record: Pick<MeetingIds, 'onlineMeetingId' | 'organizerAadObjectId' | 'chatId' | 'joinUrl'>): string | undefined {
  if (record.onlineMeetingId) return record.onlineMeetingId;
  const thread = threadOf(record);
  return record.organizerAadObjectId && thread ? graphOnlineMeetingId(record.organizerAadObjectId, thread) : undefined;
}

/** The meeting chat's thread id: the chat id, else the one a meetup-join link names. */
export function threadOf(record: Pick<MeetingIds, 'chatId' | 'joinUrl'>): string | undefined {
  if (record.chatId && BARE_THREAD.test(record.chatId)) return record.chatId;
  const alias = record.joinUrl ? joinLinkAlias(record.joinUrl) : undefined;
  return alias?.kind === 'thread' ? alias.value : undefined;
}

/** Every alias a store indexes for this record (the Teams meeting id is the record's own key). */
export function meetingAliases(record: MeetingIds): MeetingAlias[] {
  const aliases: MeetingAlias[] = [];
  const add = (alias: MeetingAlias | undefined) => {
    if (alias && !aliases.some((known) => known.kind === alias.kind && known.value === alias.value)) aliases.push(alias);
  };
  if (record.chatId && BARE_THREAD.test(record.chatId)) add({ kind: 'thread', value: record.chatId });
  if (record.joinUrl) add(joinLinkAlias(record.joinUrl));
  if (record.onlineMeetingId) add({ kind: 'onlineMeetingId', value: record.onlineMeetingId });
  if (record.joinMeetingId) add({ kind: 'joinMeetingId', value: record.joinMeetingId });
  return aliases;
}

/**
 * The aliases to try, in order, for an id a caller put in a path ({meetingId}): Graph's id as given, the
 * thread inside a base64 id, and the id read as a thread id or join code. The caller tries the id as a
 * Teams meeting id first.
 */
export function aliasesForId(id: string): MeetingAlias[] {
  const decoded = fullyDecoded(id);
  const aliases: MeetingAlias[] = [{ kind: 'onlineMeetingId', value: decoded }];
  const inside = threadInsideId(decoded);
  if (inside) aliases.push({ kind: 'thread', value: inside });
  const link = joinLinkAlias(decoded);
  if (link) aliases.push(link);
  return aliases;
}
