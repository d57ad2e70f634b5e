/** A message to the bot: one of the chat commands (report, who is here, help). */
import { TurnContext } from 'botbuilder';
import { buildReport } from '../../attendance/report.js';
import { loadMeetingAttendance } from '../../meetings/meetingAttendance.js';
import type { BotDeps } from '../botDeps.js';
import { helpText, NOT_A_MEETING_CHAT, NOTHING_RECORDED_YET } from '../cards/messages.js';
import { presenceCard } from '../cards/presenceCard.js';
import { reportCard } from '../cards/reportCard.js';
import { parseCommand } from '../commands.js';
import { chatRefOf, type MeetingRef } from '../meetingRef.js';
import { ensureMeetingDetails } from './meetingDetails.js';
import { followUp } from './notices.js';

export async function onCommand(context: TurnContext, deps: BotDeps): Promise<void> {
  const botName = context.activity.recipient?.name || 'Attendance';
  // botbuilder's mention removal edits the text and assumes there is some: a message without text asks for help.
  const command = parseCommand(context.activity.text ? TurnContext.removeRecipientMention(context.activity) : undefined);
  const ref = await meetingOfChat(context, deps);
  deps.logger.info({ command, meetingId: ref?.meetingId }, 'chat command');
  if (command === 'help') {
    await context.sendActivity(helpText(botName));
    return;
  }
  if (!ref) {
    await context.sendActivity(NOT_A_MEETING_CHAT);
    return;
  }
  deps.sampler.consider(ref);
  const { meeting, sessions } = await loadMeetingAttendance(deps.store, ref);
  const latest = sessions.at(-1);
  if (!meeting || !latest) {
    await context.sendActivity(NOTHING_RECORDED_YET);
    return;
  }
  let details = meeting;
  await followUp(deps, 'fetching meeting details', async () => {
    details = await ensureMeetingDetails(context, deps, ref, meeting);
  });
  const report = buildReport(latest, details, deps.now().toISOString());
  await context.sendActivity({ attachments: [command === 'report' ? reportCard(report) : presenceCard(report)] });
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
