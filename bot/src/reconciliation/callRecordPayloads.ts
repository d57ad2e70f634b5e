/**
 * Microsoft Graph's call-record answers, validated and translated into our types. Tolerant on purpose:
 * an item we cannot read is skipped (and counted), never a reason to drop the rest; unknown fields are ignored.
 * Shapes: callRecords.callRecord (list) and callRecords.session, whose caller and callee are endpoints
 * (see callEndpoint.ts for who they are).
 */
import { z } from 'zod';
import type { Participant } from '../attendance/events.js';
import type { CallPresence } from '../attendance/reconciliation.js';
import { readEndpoint, type CallPerson } from './callEndpoint.js';

/** ISO 8601 with a zone; Graph writes seven fractional digits ("…18:52:21.2169889Z"), we keep milliseconds. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const instant = z
  .string()
  .regex(ISO_DATE_TIME)
  .transform((value) => Date.parse(value))
  .refine(Number.isFinite)
  .transform((millis) => new Date(millis).toISOString());

const callRecordSchema = z.object({
  id: z.string().min(1),
  joinWebUrl: z.string().nullish(),
  startDateTime: instant,
  endDateTime: instant.nullish().catch(null),
});

/** Caller and callee are read by readEndpoint, which never fails: an endpoint that is nobody is still a session. */
const sessionSchema = z.object({
  startDateTime: instant,
  endDateTime: instant,
  caller: z.unknown(),
  callee: z.unknown(),
});

export interface CallRecordSummary {
  id: string;
  joinWebUrl?: string;
  startedAt: string;
  endedAt?: string;
}

export interface Parsed<T> {
  items: T[];
  /** Items that did not have the documented shape. */
  unreadable: number;
}

export interface ParsedSessions extends Parsed<CallPresence> {
  /** Sessions Graph listed, readable or not. */
  sessions: number;
  /** How many callers and callees of the readable sessions had each shape (see readEndpoint). */
  endpointShapes: Record<string, number>;
}

export function parseCallRecords(items: readonly unknown[]): Parsed<CallRecordSummary> {
  const records: CallRecordSummary[] = [];
  let unreadable = 0;
  for (const item of items) {
    const parsed = callRecordSchema.safeParse(item);
    if (!parsed.success) {
      unreadable += 1;
      continue;
    }
    const { id, joinWebUrl, startDateTime, endDateTime } = parsed.data;
    records.push({ id, startedAt: startDateTime, ...(joinWebUrl ? { joinWebUrl } : {}), ...(endDateTime ? { endedAt: endDateTime } : {}) });
  }
  return { items: records, unreadable };
}

/** Each session's people (caller and callee, when they are Entra users) with the session's start and end. */
export function parseCallSessions(items: readonly unknown[]): ParsedSessions {
  const presences: CallPresence[] = [];
  const endpointShapes: Record<string, number> = {};
  let unreadable = 0;
  for (const item of items) {
    const parsed = sessionSchema.safeParse(item);
    if (!parsed.success) {
      unreadable += 1;
      continue;
    }
    const { startDateTime, endDateTime, caller, callee } = parsed.data;
    for (const endpoint of [readEndpoint(caller), readEndpoint(callee)]) {
      endpointShapes[endpoint.shape] = (endpointShapes[endpoint.shape] ?? 0) + 1;
      if (endpoint.person) presences.push({ participant: participantOf(endpoint.person), startedAt: startDateTime, endedAt: endDateTime });
    }
  }
  return { items: presences, unreadable, sessions: items.length, endpointShapes };
}

function participantOf(person: CallPerson): Participant {
  // Call records carry no Teams user id ("29:…"); the Entra object id is the participant's key all the same.
  const participant: Participant = { key: person.id, teamsUserId: '', aadObjectId: person.id };
  if (person.displayName) participant.displayName = person.displayName;
  if (person.tenantId) participant.tenantId = person.tenantId;
  // Teams' own e-mail for the person, when the meeting saw them, wins (see reconciledEvents).
  if (person.userPrincipalName) participant.email = person.userPrincipalName;
  return participant;
}
