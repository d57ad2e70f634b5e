/** Where an activity's meeting is: ids and the route back to its chat, as Teams documents them. */
import { z } from 'zod';

export interface MeetingRef {
  tenantId: string;
  /** `channelData.meeting.id`: the meeting's own id (not the chat's `conversation.id`). */
  meetingId: string;
  chatId: string;
  serviceUrl: string;
}

/**
 * The longest meeting id accepted. Teams' are about 100 to 130 characters; the bound keeps every recorded
 * meeting addressable in a report URL (the HTTP router takes path parameters up to this length, and a request
 * line only so much) rather than recorded and never readable, and leaves room for the id inside an Azure
 * Tables row key (512 characters at most, holding the meeting id, the person and the time).
 */
export const MAX_MEETING_ID_LENGTH = 256;
/** Tenant ids are GUIDs; the bound keeps a caller's token (which names the tenant) within header limits. */
const MAX_TENANT_ID_LENGTH = 128;

/** Text of at most `max` UTF-16 code units, as the router and Azure Tables count them (zod's max counts code points). */
const textUpTo = (max: number) =>
  z
    .string()
    .min(1)
    .refine((value) => value.length <= max, `longer than ${max} characters`);

const tenantId = textUpTo(MAX_TENANT_ID_LENGTH);

const refSchema = z.object({
  serviceUrl: z.string().min(1),
  conversation: z.object({ id: z.string().min(1), tenantId: tenantId.optional() }),
  channelData: z
    .object({
      tenant: z.object({ id: tenantId }).nullish(),
      meeting: z.object({ id: textUpTo(MAX_MEETING_ID_LENGTH) }).nullish(),
    })
    .nullish(),
});

/** The meeting an activity belongs to, or undefined when it did not come from a meeting (or its chat). */
export function meetingRefOf(activity: unknown): MeetingRef | undefined {
  const chat = chatRefOf(activity);
  return chat?.meetingId ? { ...chat, meetingId: chat.meetingId } : undefined;
}

/** Where an activity came from when it names no meeting: the tenant and the chat, to look the meeting up by. */
export type ChatRef = Omit<MeetingRef, 'meetingId'> & { meetingId?: string };

/**
 * The chat an activity came from, and its meeting when the activity names one. Typed messages do not always
 * carry `channelData.meeting` (Microsoft's Agents Playground never adds it), while their chat is the meeting's.
 */
export function chatRefOf(activity: unknown): ChatRef | undefined {
  const parsed = refSchema.safeParse(activity);
  if (!parsed.success) return undefined;
  const { channelData, conversation, serviceUrl } = parsed.data;
  const tenantId = channelData?.tenant?.id ?? conversation.tenantId;
  if (!tenantId) return undefined;
  const meetingId = channelData?.meeting?.id;
  return { tenantId, chatId: conversation.id, serviceUrl, ...(meetingId ? { meetingId } : {}) };
}
