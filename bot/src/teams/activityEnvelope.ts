/**
 * What every activity must carry for the bot to handle it and answer it, checked before botbuilder sees it.
 * botbuilder trusts these fields: it builds each reply from them (conversation, from, recipient, id, locale,
 * serviceUrl), and its connector, serializer and mention helpers throw on a wrong type or reach for a default
 * service on a missing URL, which surfaced as a 500 for what is the sender's mistake. Teams always sends them
 * well formed. Unknown fields inside the accounts are dropped, so nothing made up is echoed back in a reply.
 */
import { z } from 'zod';
import type { ParseResult } from './parseMeetingEvent.js';

const optionalText = z.string().nullish();
/** Text without lone surrogates (String.prototype.isWellFormed, which this TypeScript target does not declare). */
const WELL_FORMED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

const channelAccount = z.object({
  id: z.string().min(1),
  name: optionalText,
  aadObjectId: optionalText,
  role: optionalText,
});

const conversationAccount = z.object({
  // Sent back in URLs and in the connector's x-ms-conversation-id header, where only printable ASCII is valid;
  // kept in the meeting record as the chat to post to (Teams' chat ids are about 100 characters).
  id: z.string().max(1024).regex(/^[\x20-\x7e]+$/, 'must be printable ASCII'),
  name: optionalText,
  conversationType: optionalText,
  tenantId: optionalText,
  aadObjectId: optionalText,
  role: optionalText,
  isGroup: z.boolean().nullish(),
});

/** Teams' @mention ({ type: "mention", text: "<at>Attendance</at>", mentioned: { id, name } }), as botbuilder reads it. */
const mention = z.looseObject({ text: z.string(), mentioned: z.looseObject({ id: z.string() }) });

const entity = z
  .looseObject({ type: z.string() })
  .refine((value) => value.type.toLowerCase() !== 'mention' || mention.safeParse(value).success, 'a mention needs text and mentioned.id');

const serviceUrl = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), 'must be an http(s) URL');

const envelopeSchema = z.object({
  type: z.string().min(1),
  // A reply goes to …/activities/{id}: Teams' ids are short, a URL only so long (counted in UTF-16 units,
  // not the code points zod's max counts), and a lone surrogate cannot be URL-encoded.
  id: z
    .string()
    .refine((value) => value.length <= 512, 'longer than 512 characters')
    .regex(WELL_FORMED, 'must be well-formed Unicode')
    .nullish(),
  channelId: z.string().min(1),
  serviceUrl,
  conversation: conversationAccount,
  from: channelAccount,
  recipient: channelAccount,
  replyToId: optionalText,
  locale: optionalText,
  text: optionalText,
  // botbuilder's mention helpers read entities.length: null becomes absent.
  entities: z
    .array(entity)
    .nullish()
    .transform((value) => value ?? undefined),
  membersAdded: z.array(channelAccount).nullish(),
  membersRemoved: z.array(channelAccount).nullish(),
});

export type ActivityEnvelope = z.infer<typeof envelopeSchema>;

/** The envelope fields of a request body, checked and cleaned; the rest of the activity is the handlers' to parse. */
export function parseActivityEnvelope(body: object): ParseResult<ActivityEnvelope> {
  const parsed = envelopeSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
  return { ok: false, problem: problems.join('; ') };
}
