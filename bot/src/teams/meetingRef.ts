/** Where an activity's meeting is: ids and the route back to its chat, as Teams documents them. */
import { z } from 'zod';

export interface MeetingRef {
  tenantId: string;
  /** `channelData.meeting.id`: the meeting's own id (not the chat's `conversation.id`). */
  meetingId: string;
  chatId: string;
  serviceUrl: string;
}

const refSchema = z.object({
  serviceUrl: z.string().min(1),
  conversation: z.object({ id: z.string().min(1), tenantId: z.string().min(1).optional() }),
  channelData: z
    .object({
      tenant: z.object({ id: z.string().min(1) }).nullish(),
      meeting: z.object({ id: z.string().min(1) }).nullish(),
    })
    .nullish(),
});

/** The meeting an activity belongs to, or undefined when it did not come from a meeting (or its chat). */
export function meetingRefOf(activity: unknown): MeetingRef | undefined {
  const parsed = refSchema.safeParse(activity);
  if (!parsed.success) return undefined;
  const { channelData, conversation, serviceUrl } = parsed.data;
  const meetingId = channelData?.meeting?.id;
  const tenantId = channelData?.tenant?.id ?? conversation.tenantId;
  if (!meetingId || !tenantId) return undefined;
  return { tenantId, meetingId, chatId: conversation.id, serviceUrl };
}
