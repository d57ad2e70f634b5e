/**
 * The app was added to a meeting chat. From now on the bot hears the meeting's events; if the meeting is
 * already running, the people in it now are recorded as present since this moment (earlier time unknown).
 */
import type { TurnContext } from 'botbuilder';
import { eventKeyFor, type ParticipantFoundPresent } from '../../attendance/events.js';
import { badActivity } from '../../errors.js';
import { activityTimestamp } from '../activityTime.js';
import type { BotDeps } from '../botDeps.js';
import { welcomeText } from '../cards/messages.js';
import { meetingRefOf, type MeetingRef } from '../meetingRef.js';
import { presentInMeeting } from '../meetingPresence.js';
import { ensureMeetingDetails, rememberMeeting } from './meetingDetails.js';
import { followUp, warnIfInstant } from './notices.js';

export function botWasAdded(activity: { membersAdded?: { id?: string }[]; recipient?: { id?: string } }): boolean {
  const botId = activity.recipient?.id;
  return Boolean(botId) && (activity.membersAdded ?? []).some((member) => member.id === botId);
}

export async function onInstalled(context: TurnContext, deps: BotDeps): Promise<void> {
  const ref = meetingRefOf(context.activity);
  if (!ref) {
    deps.logger.info({ conversationId: context.activity.conversation?.id }, 'added outside a meeting chat; nothing to record');
    return;
  }
  const installedAt = activityTimestamp(context.activity);
  if (!installedAt) throw badActivity('timestamp is missing or not a date');
  let meeting = await rememberMeeting(deps, ref, installedAt);
  deps.logger.info({ meetingId: ref.meetingId, installedAt }, 'added to a meeting chat; attendance tracking starts');

  await followUp(deps, 'fetching meeting details', async () => {
    meeting = await ensureMeetingDetails(context, deps, ref, meeting);
  });
  await followUp(deps, 'recording who is already in the meeting', async () => {
    const present = await participantsInMeeting(context, deps, ref, installedAt);
    if (present.length === 0) return;
    const { added } = await deps.store.appendEvents(present);
    deps.logger.info({ meetingId: ref.meetingId, present: present.length, added }, 'recorded people already in the meeting');
  });
  deps.sampler.consider(ref);
  await followUp(deps, 'the welcome message', async () => {
    if (await deps.store.claimOnce(ref, 'welcome')) await context.sendActivity(welcomeText(context.activity.recipient.name || 'Attendance'));
  });
  await followUp(deps, 'the instant-meeting notice', () => warnIfInstant(context, deps, meeting));
}

/** Everyone Teams reports as in the meeting now, as present since `occurredAt` (earlier time unknown). */
async function participantsInMeeting(
  context: TurnContext,
  deps: BotDeps,
  ref: MeetingRef,
  occurredAt: string,
): Promise<ParticipantFoundPresent[]> {
  const { present } = await presentInMeeting(context, ref, (reason) => {
    deps.logger.warn({ err: reason, meetingId: ref.meetingId }, 'could not read one participant state');
  });
  return present.map((participant) => ({
    kind: 'participantFoundPresent',
    eventKey: eventKeyFor({ meetingId: ref.meetingId, kind: 'participantFoundPresent', occurredAt, participantKey: participant.key }),
    tenantId: ref.tenantId,
    meetingId: ref.meetingId,
    occurredAt,
    source: 'seeded',
    participant,
  }));
}
