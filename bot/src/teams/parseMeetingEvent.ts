/**
 * Teams meeting event activities (start, end, participant join/leave) → ledger events.
 * Parsed here, tolerantly: Teams documents PascalCase keys but its own examples use camelCase, channel
 * meetings send `JoinUrl: null`, and a join can carry several members (botbuilder's strict parser throws).
 */
import { z } from 'zod';
import { eventKeyFor, type AttendanceEvent, type Participant, type ParticipantEvent } from '../attendance/events.js';
import type { MeetingDetails } from '../attendance/meeting.js';
import { activityTimestamp } from './activityTime.js';
import { MAX_MEETING_ID_LENGTH, meetingRefOf, type MeetingRef } from './meetingRef.js';

export const MEETING_EVENT_NAMES = {
  start: 'application/vnd.microsoft.meetingStart',
  end: 'application/vnd.microsoft.meetingEnd',
  join: 'application/vnd.microsoft.meetingParticipantJoin',
  leave: 'application/vnd.microsoft.meetingParticipantLeave',
} as const;

export type MeetingEventName = (typeof MEETING_EVENT_NAMES)[keyof typeof MEETING_EVENT_NAMES];

export interface ParsedMeetingEvent {
  ref: MeetingRef;
  events: AttendanceEvent[];
  /** Meeting facts the start/end payload carried (title, type, join URL). */
  details: Partial<MeetingDetails>;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

const text = z.string().trim().min(1);
const optionalText = text.nullish().catch(undefined);
/**
 * A meeting detail longer than Teams ever sends is ignored, not stored: the meeting record must fit an Azure
 * Tables property (32K characters), and is written after the events, so a record too large to write failed
 * the activity after its events were stored, on every retry.
 */
const detailText = (maxLength: number) => text.max(maxLength).nullish().catch(undefined);

const lifecycleValueSchema = z
  .object({
    id: optionalText,
    joinUrl: detailText(4096),
    title: detailText(1024),
    meetingType: detailText(64),
  })
  .nullish();

/** A member as Teams sends it in join/leave events and in connector answers (getMeetingParticipant). */
export const memberSchema = z.object({
  user: z.object({
    id: text,
    aadObjectId: optionalText,
    name: optionalText,
    email: optionalText,
    userPrincipalName: optionalText,
    tenantId: optionalText,
  }),
  meeting: z.object({ role: optionalText, inMeeting: z.boolean().nullish() }).nullish(),
});

const participantValueSchema = z.object({ members: z.array(memberSchema).min(1).max(1000) });

export function isMeetingEventName(name: unknown): name is MeetingEventName {
  return Object.values(MEETING_EVENT_NAMES).includes(name as MeetingEventName);
}

export function parseMeetingEvent(activity: {
  name?: string;
  id?: string;
  value?: unknown;
  timestamp?: unknown;
  rawTimestamp?: unknown;
}): ParseResult<ParsedMeetingEvent> {
  const ref = meetingRefOf(activity);
  if (!ref) {
    return {
      ok: false,
      problem: `channelData.meeting.id (at most ${MAX_MEETING_ID_LENGTH} characters) and a tenant id (channelData.tenant.id) are required`,
    };
  }
  const occurredAt = activityTimestamp(activity);
  if (!occurredAt) return { ok: false, problem: 'timestamp is missing or not a date' };
  const value = camelCaseKeys(activity.value);
  const common = {
    tenantId: ref.tenantId,
    meetingId: ref.meetingId,
    occurredAt,
    source: 'event' as const,
    ...(activity.id ? { activityId: activity.id } : {}),
  };

  if (activity.name === MEETING_EVENT_NAMES.start || activity.name === MEETING_EVENT_NAMES.end) {
    const parsed = lifecycleValueSchema.safeParse(value);
    if (!parsed.success) return { ok: false, problem: `value: ${summarise(parsed.error)}` };
    const kind = activity.name === MEETING_EVENT_NAMES.start ? ('meetingStarted' as const) : ('meetingEnded' as const);
    const event = { ...common, kind, eventKey: eventKeyFor({ meetingId: ref.meetingId, kind, occurredAt }) };
    return { ok: true, value: { ref, events: [event], details: lifecycleDetails(parsed.data) } };
  }

  if (activity.name === MEETING_EVENT_NAMES.join || activity.name === MEETING_EVENT_NAMES.leave) {
    const parsed = participantValueSchema.safeParse(value);
    if (!parsed.success) return { ok: false, problem: `value: ${summarise(parsed.error)}` };
    const kind = activity.name === MEETING_EVENT_NAMES.join ? ('participantJoined' as const) : ('participantLeft' as const);
    const events: ParticipantEvent[] = parsed.data.members.map((member) => {
      const participant = participantFrom(member);
      return {
        ...common,
        kind,
        participant,
        eventKey: eventKeyFor({ meetingId: ref.meetingId, kind, occurredAt, participantKey: participant.key }),
      };
    });
    return { ok: true, value: { ref, events, details: {} } };
  }

  return { ok: false, problem: `not a meeting event: ${String(activity.name)}` };
}

/** A Teams member (from an event or a connector answer) as a ledger participant, keyed by Entra id when known. */
export function participantFrom(member: z.infer<typeof memberSchema>): Participant {
  const { user } = member;
  const participant: Participant = { key: user.aadObjectId ?? user.id, teamsUserId: user.id };
  if (user.aadObjectId) participant.aadObjectId = user.aadObjectId;
  if (user.name) participant.displayName = user.name;
  const email = user.email ?? user.userPrincipalName;
  if (email) participant.email = email;
  if (user.tenantId) participant.tenantId = user.tenantId;
  if (member.meeting?.role) participant.role = member.meeting.role;
  return participant;
}

function lifecycleDetails(value: z.infer<typeof lifecycleValueSchema>): Partial<MeetingDetails> {
  const details: Partial<MeetingDetails> = {};
  if (value?.title) details.title = value.title;
  if (value?.meetingType) details.meetingType = value.meetingType;
  if (value?.joinUrl) details.joinUrl = value.joinUrl;
  return details;
}

/** How deep key casing is normalised: the deepest field we read is value.members[].user.id. */
const CASING_DEPTH = 4;

/** `{ JoinUrl: … }` and `{ joinUrl: … }` alike: the first letter of each key lower-cased, down to the fields we read. */
export function camelCaseKeys(input: unknown, depth = CASING_DEPTH): unknown {
  if (depth === 0 || input === null || typeof input !== 'object') return input;
  if (Array.isArray(input)) return input.map((item) => camelCaseKeys(item, depth - 1));
  // A loop rather than Object.fromEntries(Object.entries(…)): this runs for every activity, on the hot path.
  // No prototype, so that a key "__proto__" in the payload stays an ordinary (ignored) field.
  const output: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) output[key.charAt(0).toLowerCase() + key.slice(1)] = camelCaseKeys(value, depth - 1);
  return output;
}

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
    .join('; ');
}
