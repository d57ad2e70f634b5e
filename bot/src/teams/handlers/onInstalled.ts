/**
 * The app was added to a meeting chat. From now on the bot hears the meeting's events; if the meeting is
 * already running, the people in it now are recorded as present since this moment (earlier time unknown).
 * Teams gets its answer once the meeting is remembered and its details are scheduled; who is already there
 * and the welcome are asked and posted after the answer.
 */
import type { TurnContext } from 'botbuilder';
import { eventKeyFor, type ParticipantFoundPresent } from '../../attendance/events.js';
import { badActivity } from '../../errors.js';
import { activityTimestamp } from '../activityTime.js';
import type { BotDeps } from '../botDeps.js';
import { welcomeText } from '../cards/messages.js';
import { meetingRefOf, type MeetingRef } from '../meetingRef.js';
import { presentInMeeting } from '../meetingPresence.js';
import { afterTheAnswer } from './afterTheAnswer.js';
import { rememberMeeting } from './meetingDetails.js';

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
  const meeting = await rememberMeeting(deps, ref, installedAt);
  deps.logger.info({ meetingId: ref.meetingId, installedAt }, 'added to a meeting chat; attendance tracking starts');
  await deps.followUps.meetingSeen(meeting, context.activity.id);
  await deps.followUps.readRoster(ref, 'tracking');
  deps.sampler.consider(ref);

  const installId = context.activity.id;
  const botName = context.activity.recipient?.name || 'Attendance';
  afterTheAnswer(deps, 'recording who is already in the meeting', () => recordWhoIsThere(deps, ref, installedAt));
  afterTheAnswer(deps, 'the welcome message', async () => {
    if (await deps.store.claimOnce(ref, 'welcome')) await deps.connector.post(ref, { text: welcomeText(botName) }, installId);
  });
}

/** Everyone Teams reports as in the meeting now, recorded as present since `occurredAt` (earlier time unknown). */
async function recordWhoIsThere(deps: BotDeps, ref: MeetingRef, occurredAt: string): Promise<void> {
  const presence = await presentInMeeting(deps.connector, ref, (reason) => {
    deps.logger.debug({ err: reason, meetingId: ref.meetingId }, 'could not read one participant state');
  });
  if (presence.unreadable.length > 0) {
    deps.logger.warn(
      { meetingId: ref.meetingId, unreadable: presence.unreadable.length, notFound: presence.notFound },
      'could not learn whether some chat members were already in the meeting; they count from their next join',
    );
  }
  if (presence.present.length === 0) return;
  const present: ParticipantFoundPresent[] = presence.present.map((participant) => ({
    kind: 'participantFoundPresent',
    eventKey: eventKeyFor({ meetingId: ref.meetingId, kind: 'participantFoundPresent', occurredAt, participantKey: participant.key }),
    tenantId: ref.tenantId,
    meetingId: ref.meetingId,
    occurredAt,
    source: 'seeded',
    participant,
  }));
  const { added } = await deps.store.appendEvents(present);
  deps.logger.info({ meetingId: ref.meetingId, present: present.length, added }, 'recorded people already in the meeting');
}
