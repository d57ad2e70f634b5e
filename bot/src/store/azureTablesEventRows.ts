/**
 * A batch of events as Azure Tables rows, grouped into the transactions that store them: per meeting (one
 * partition), whole events only, at most 100 rows each. Pure: azureTablesStore.ts does the writing.
 */
import { deliveryKeyFor, type AttendanceEvent } from '../attendance/events.js';
import { badActivity } from '../errors.js';
import { partitionKeyFor, rowKeys } from './azureTablesKeys.js';

/** A string property holds at most 64 KB of UTF-16, i.e. 32 K characters. */
export const MAX_EVENT_JSON_CHARS = 32 * 1024;
/**
 * The service's limit for one transaction (which must also stay within one partition), less the one row each
 * transaction adds beside the events: the writer's mark on the meeting.
 */
const MAX_ROWS_PER_TRANSACTION = 100 - 1;

export interface Row {
  partitionKey: string;
  rowKey: string;
  [property: string]: unknown;
}

/** The rows of one event, written together or not at all: the event and, when it came from an activity, its delivery marker. */
export type EventRows = Row[];

/**
 * The transactions that store `events`, each a list of whole events. Checks every event's size before
 * anything is written, so an event too large fails its whole batch.
 */
export function eventTransactions(events: readonly AttendanceEvent[]): EventRows[][] {
  const byMeeting = new Map<string, EventRows[]>();
  for (const event of distinctFacts(events)) {
    const partitionKey = partitionKeyFor(event);
    byMeeting.set(partitionKey, [...(byMeeting.get(partitionKey) ?? []), rowsOf(partitionKey, event)]);
  }
  return [...byMeeting.values()].flatMap(transactionsOf);
}

/** The events without repeats inside the batch itself (a transaction may not hold the same row twice): first one wins, as in SQLite. */
function distinctFacts(events: readonly AttendanceEvent[]): AttendanceEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const keys = [rowKeys.event(event.eventKey), ...optional(deliveryKeyFor(event), rowKeys.delivery)];
    if (keys.some((key) => seen.has(key))) return false;
    for (const key of keys) seen.add(key);
    return true;
  });
}

function rowsOf(partitionKey: string, event: AttendanceEvent): EventRows {
  const body = JSON.stringify(event);
  if (body.length > MAX_EVENT_JSON_CHARS) {
    throw badActivity(
      `one of its events is ${body.length} characters of JSON, more than the ${MAX_EVENT_JSON_CHARS} an Azure Tables property holds`,
    );
  }
  const eventRow = { partitionKey, rowKey: rowKeys.event(event.eventKey), body };
  const marker = optional(deliveryKeyFor(event), (deliveryKey) => ({
    partitionKey,
    rowKey: rowKeys.delivery(deliveryKey),
    eventKey: event.eventKey,
  }));
  return [eventRow, ...marker];
}

/** Groups whole events into transactions of at most MAX_ROWS_PER_TRANSACTION rows. */
function transactionsOf(events: EventRows[]): EventRows[][] {
  const chunks: EventRows[][] = [];
  let current: EventRows[] = [];
  let rowCount = 0;
  for (const rows of events) {
    if (rowCount + rows.length > MAX_ROWS_PER_TRANSACTION) {
      chunks.push(current);
      current = [];
      rowCount = 0;
    }
    current.push(rows);
    rowCount += rows.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function optional<T, R>(value: T | undefined, map: (value: T) => R): R[] {
  return value === undefined ? [] : [map(value)];
}
