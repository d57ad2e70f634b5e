/**
 * Microsoft Graph's call-record answers, validated and translated into our types. Tolerant on purpose:
 * an item we cannot read is skipped (and counted), never a reason to drop the rest; unknown fields are ignored.
 * Shapes: callRecords.callRecord (list) and callRecords.session, whose caller and callee are endpoints that
 * carry an identity set when they are people (a conferencing server's endpoint has none).
 */
import { z } from 'zod';
import type { Participant } from '../attendance/events.js';
import type { CallPresence } from '../attendance/reconciliation.js';

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

/** An Entra user: `id` is the object id, the key Teams' events use as `aadObjectId`. */
const userIdentitySchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  tenantId: z.string().nullish(),
});

/** Guests, phones and applications have no `user` and cannot be matched to a Teams participant: left out. */
const endpointSchema = z
  .object({ identity: z.object({ user: userIdentitySchema.nullish().catch(null) }).nullish().catch(null) })
  .nullish()
  .catch(null);

const sessionSchema = z.object({
  startDateTime: instant,
  endDateTime: instant,
  caller: endpointSchema,
  callee: endpointSchema,
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
export function parseCallSessions(items: readonly unknown[]): Parsed<CallPresence> {
  const presences: CallPresence[] = [];
  let unreadable = 0;
  for (const item of items) {
    const parsed = sessionSchema.safeParse(item);
    if (!parsed.success) {
      unreadable += 1;
      continue;
    }
    const { startDateTime, endDateTime, caller, callee } = parsed.data;
    for (const user of [caller?.identity?.user, callee?.identity?.user]) {
      if (user) presences.push({ participant: participantOf(user), startedAt: startDateTime, endedAt: endDateTime });
    }
  }
  return { items: presences, unreadable };
}

function participantOf(user: z.infer<typeof userIdentitySchema>): Participant {
  // Call records carry no Teams user id ("29:…"); the Entra object id is the participant's key all the same.
  const participant: Participant = { key: user.id, teamsUserId: '', aadObjectId: user.id };
  if (user.displayName) participant.displayName = user.displayName;
  if (user.tenantId) participant.tenantId = user.tenantId;
  return participant;
}
