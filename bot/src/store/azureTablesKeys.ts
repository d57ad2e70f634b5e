/**
 * Where each fact lives in Azure Table Storage. One partition per tenant + meeting, so a meeting's rows can
 * be written in one transaction (transactions never span partitions) and read with one range query; within
 * it, the kind of row is a row-key prefix. Pending work has one partition per kind of work instead, so the
 * due items of every meeting are one query away.
 */
import { createHash } from 'node:crypto';
import type { MeetingKey } from './store.js';

/**
 * Characters escaped in keys: those Azure forbids (/ \ # ? and control characters), % (point operations put
 * keys in the URL, where some proxies and older service versions decode it), our separator | and the escape
 * character ~ itself, so that the encoding stays one-to-one.
 */
const UNSAFE_IN_KEYS = /[/\\#?%|~\u0000-\u001f\u007f-\u009f]/g;

/** `value` with each unsafe character written as ~ and two hex digits (every unsafe character is below U+0100). */
export function escapeKey(value: string): string {
  return value.replace(UNSAFE_IN_KEYS, (char) => `~${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Azure Tables keys hold at most 1 KiB (512 UTF-16 units); ours stay well below, with room for prefixes. */
const MAX_KEY_LENGTH = 400;

/**
 * A key that fits: short ones unchanged; a longer one (only adversarial input gets there) keeps its start and
 * ends in "~h" + its SHA-256, which escapeKey never produces (after ~ it writes two hex digits), so keys stay distinct.
 */
export function boundedKey(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `${key.slice(0, MAX_KEY_LENGTH - 66)}~h${createHash('sha256').update(key).digest('hex')}`;
}

/** Teams meeting ids are base64 (they may contain / + =); tenants are escaped too, so the | after them separates. */
function meetingPart(meeting: MeetingKey): string {
  return `${escapeKey(meeting.tenantId)}|${escapeKey(meeting.meetingId)}`;
}

export function partitionKeyFor(meeting: MeetingKey): string {
  return boundedKey(`meeting|${meetingPart(meeting)}`);
}

export const workKeys = {
  partition: (kind: string) => `work|${escapeKey(kind)}`,
  /** One row per meeting and kind, so scheduling again replaces the item. */
  row: (meeting: MeetingKey) => boundedKey(meetingPart(meeting)),
};

/**
 * One row per meeting saying when anything was last stored for it (for retention), all in one partition so
 * that the idle ones are one query away. Its row keys always hold a |, so a key without one is free for markers.
 */
export const activityKeys = {
  partition: 'activity',
  row: (meeting: MeetingKey) => boundedKey(meetingPart(meeting)),
  /** Marks that the meetings stored before activity rows existed have been given one. */
  backfilledMarker: 'backfilled',
  /** Marks that the people stored before their rows were dated have been dated (azureTablesPeople.ts). */
  peopleBackfilledMarker: 'people-backfilled',
};

/** Pending work lives in partitions work|<kind>, and these bound their range ('}' follows '|'). */
export const WORK_PARTITIONS_FROM = 'work|';
export const WORK_PARTITIONS_UNTIL = 'work}';

export const EVENT_PREFIX = 'event|';
/** The first row key after every `event|…` key ('}' follows '|'), to read a meeting's events as one range. */
export const AFTER_EVENTS = 'event}';

export const MARK_PREFIX = 'mark|';
/** The first row key after every `mark|…` key, to read a meeting's write marks as one range. */
export const AFTER_MARKS = 'mark}';
export const ROSTER_PREFIX = 'roster|';
export const AFTER_ROSTER = 'roster}';
export const CORRECTION_PREFIX = 'correction|';
export const AFTER_CORRECTIONS = 'correction}';

/** Each chat thread's meetings: one partition per tenant + chat, one row per meeting (for a class's roll-up). */
export const chatKeys = {
  partition: (tenantId: string, chatId: string) => boundedKey(`chat|${escapeKey(tenantId)}|${escapeKey(chatId)}`),
  row: (meetingId: string) => boundedKey(escapeKey(meetingId)),
};

export const rowKeys = {
  /** One stored fact; its key is the event key, so the same fact from a new activity is a duplicate. */
  event: (eventKey: string) => boundedKey(`${EVENT_PREFIX}${escapeKey(eventKey)}`),
  /** Marks a delivery (activity + kind + person) as stored, so a redelivery with another timestamp is a duplicate. */
  delivery: (deliveryKey: string) => boundedKey(`delivery|${escapeKey(deliveryKey)}`),
  meeting: 'meeting',
  claim: (action: string) => `claim|${escapeKey(action)}`,
  lease: (name: string) => `lease|${escapeKey(name)}`,
  /** A writer's mark on the meeting (AttendanceStore.writeMarks), rewritten in every transaction that adds its events. */
  mark: (writerId: string) => boundedKey(`${MARK_PREFIX}${escapeKey(writerId)}`),
  /** One roster fact; its key is the person and the time, so reading the same roster twice stores it once. */
  roster: (factKey: string) => boundedKey(`${ROSTER_PREFIX}${escapeKey(factKey)}`),
  rule: 'rule',
  correction: (id: string) => boundedKey(`${CORRECTION_PREFIX}${escapeKey(id)}`),
};

/**
 * The indexes of a tenant's meetings, each its own partition so a lookup is one keyed read and a listing one
 * range query: the aliases (row `kind|value` → meeting id), the people (row = lookup key → person), and the
 * listings by time, of the whole tenant and of each organizer (row = reversed time + meeting id, so the
 * newest come first in key order).
 */
export const indexKeys = {
  aliasPartition: (tenantId: string) => `alias|${escapeKey(tenantId)}`,
  aliasRow: (kind: string, value: string) => boundedKey(`${escapeKey(kind)}|${escapeKey(value)}`),
  peoplePartition: (tenantId: string) => `people|${escapeKey(tenantId)}`,
  personRow: (lookupKey: string) => boundedKey(escapeKey(lookupKey)),
  listingPartition: (tenantId: string, organizerAadObjectId?: string) =>
    boundedKey(
      organizerAadObjectId === undefined
        ? `listing|${escapeKey(tenantId)}`
        : `listing-by-organizer|${escapeKey(tenantId)}|${escapeKey(organizerAadObjectId)}`,
    ),
  listingRow: (listedAt: string, meetingId: string) => boundedKey(`${reversedTime(listedAt)}|${escapeKey(meetingId)}`),
  /** The first row key of meetings that began before `until`, and the first after those that began at or after `since`. */
  listingFrom: (until: string) => `${reversedTime(until)}}`,
  listingUntil: (since: string) => `${reversedTime(since)}}`,
};

/** Milliseconds before the year 10000, zero-padded: later instants sort first. Sub-millisecond parts are ignored. */
function reversedTime(iso: string): string {
  const MAX = 253402300800000;
  return String(MAX - Date.parse(iso)).padStart(15, '0');
}

/**
 * The webhook outbox: every delivery in one partition (one per event and endpoint, a few per meeting, deleted
 * after days), so due ones and a tenant's are one query away; the disabled endpoints in another.
 */
export const webhookKeys = {
  deliveries: 'webhook-deliveries',
  delivery: (messageId: string, endpointId: string) => boundedKey(`${escapeKey(messageId)}|${escapeKey(endpointId)}`),
  disabledEndpoints: 'webhook-endpoints-disabled',
  disabledEndpoint: (endpointKey: string) => boundedKey(escapeKey(endpointKey)),
};

/** The people live in partitions people|<tenant>, and these bound their range ('}' follows '|'). */
export const PEOPLE_PARTITIONS_FROM = 'people|';
export const PEOPLE_PARTITIONS_UNTIL = 'people}';
