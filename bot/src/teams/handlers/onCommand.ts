/**
 * A message to the bot: one of the chat commands (report, who is here, help). The answer is read from the
 * store during the turn and posted after Teams has its acknowledgement: a slow connector never holds it.
 */
import { TurnContext, type Activity } from 'botbuilder';
import { buildReport } from '../../attendance/report.js';
import { loadMeetingRegister, registerReportOf } from '../../meetings/meetingRegister.js';
import type { BotDeps } from '../botDeps.js';
import { helpText, NOT_A_MEETING_CHAT, NOTHING_RECORDED_YET } from '../cards/messages.js';
import { presenceCard } from '../cards/presenceCard.js';
import { reportCard } from '../cards/reportCard.js';
import { parseCommand } from '../commands.js';
import { chatRefOf, type MeetingRef } from '../meetingRef.js';
import { afterTheAnswer } from './afterTheAnswer.js';

export async function onCommand(context: TurnContext, deps: BotDeps): Promise<void> {
  const botName = context.activity.recipient?.name || 'Attendance';
  // botbuilder's mention removal edits the text and assumes there is some: a message without text asks for help.
  const command = parseCommand(context.activity.text ? TurnContext.removeRecipientMention(context.activity) : undefined);
  const ref = await meetingOfChat(context, deps);
  deps.logger.info({ command, meetingId: ref?.meetingId }, 'chat command');
  const reply = (message: Partial<Activity>) => replyAfterTheAnswer(context, deps, ref, message);
  if (command === 'help') return reply({ text: helpText(botName) });
  if (!ref) return reply({ text: NOT_A_MEETING_CHAT });
  deps.sampler.consider(ref);
  const register = await loadMeetingRegister(deps.store, ref);
  const { meeting } = register;
  const latest = register.sessions.at(-1);
  if (!meeting || !latest) return reply({ text: NOTHING_RECORDED_YET });
  await deps.followUps.meetingSeen(meeting, context.activity.id);
  const now = deps.now().toISOString();
  const card = command === 'report' ? reportCard(registerReportOf(register, latest, deps.defaultRule, now)) : presenceCard(buildReport(latest, meeting, now));
  reply({ attachments: [card] });
}

/** Replies to the message, after the answer; a chat that is not a meeting's is addressed by its conversation id. */
function replyAfterTheAnswer(context: TurnContext, deps: BotDeps, ref: MeetingRef | undefined, message: Partial<Activity>): void {
  const { activity } = context;
  const chat: MeetingRef = ref ?? {
    tenantId: activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '',
    meetingId: activity.conversation?.id ?? '',
    chatId: activity.conversation?.id ?? '',
    serviceUrl: activity.serviceUrl,
  };
  const replyToId = activity.id;
  afterTheAnswer(deps, 'the reply to a chat command', () => deps.connector.post(chat, message, replyToId));
}

/**
 * The meeting a message belongs to: the one it names, else the known meeting whose chat it was posted in
 * (a message without `channelData.meeting`, as the Agents Playground sends them), found by the chat's thread id.
 */
async function meetingOfChat(context: TurnContext, deps: BotDeps): Promise<MeetingRef | undefined> {
  const chat = chatRefOf(context.activity);
  if (!chat) return undefined;
  if (chat.meetingId) return { ...chat, meetingId: chat.meetingId };
  const known = await deps.store.findMeetingByAlias(chat.tenantId, { kind: 'thread', value: chat.chatId });
  return known ? { ...chat, meetingId: known.meetingId } : undefined;
}
