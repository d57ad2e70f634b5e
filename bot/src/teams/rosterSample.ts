/**
 * One roster sample of a meeting, outside any turn: the chat's members (pagedmembers), each asked
 * getMeetingParticipant for `inMeeting`, a few at a time. Throttling (429 with Retry-After) is retried by
 * botbuilder's HTTP pipeline; what still fails is reported to the caller as a problem, never thrown.
 */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Participant } from '../attendance/events.js';
import type { MeetingRecord } from '../store/store.js';
import { fetchChatMembers, fetchParticipantState, ROSTER_LIMIT } from './connector.js';
import type { MeetingRef } from './meetingRef.js';
import { participantFromChatMember } from './participantFromChatMember.js';

const LOOKUPS_AT_ONCE = 5;

export type SampleOutcome =
  | { ok: true; present: Participant[]; rosterTruncated: boolean; unreadable: number }
  | { ok: false; problem: 'not-installed' | 'meeting-expired' | 'throttled' | 'failed'; detail: string };

export interface ProactiveBot {
  adapter: CloudAdapter;
  /** The bot's app id ('' in local mode). */
  appId: string;
}

/** Runs `work` in a proactive turn for the meeting's chat (needed for the connector calls). */
function inMeetingChat(bot: ProactiveBot, meeting: MeetingRef, work: (context: TurnContext) => Promise<void>): Promise<void> {
  const reference: Partial<ConversationReference> = {
    channelId: 'msteams',
    serviceUrl: meeting.serviceUrl,
    conversation: { id: meeting.chatId, tenantId: meeting.tenantId, isGroup: true, conversationType: 'groupChat', name: '' },
  };
  return bot.adapter.continueConversationAsync(bot.appId, reference, work);
}

export function meetingRefOfRecord(record: MeetingRecord): MeetingRef | undefined {
  if (!record.chatId || !record.serviceUrl) return undefined;
  return { tenantId: record.tenantId, meetingId: record.meetingId, chatId: record.chatId, serviceUrl: record.serviceUrl };
}

export async function takeRosterSample(bot: ProactiveBot, meeting: MeetingRef): Promise<SampleOutcome> {
  let outcome: SampleOutcome = { ok: false, problem: 'failed', detail: 'no sample taken' };
  try {
    await inMeetingChat(bot, meeting, async (context) => {
      const members = await fetchChatMembers(context);
      const askable = members.filter((member) => member.aadObjectId);
      const present: Participant[] = [];
      let unreadable = 0;
      for (let start = 0; start < askable.length; start += LOOKUPS_AT_ONCE) {
        const batch = askable.slice(start, start + LOOKUPS_AT_ONCE);
        const states = await Promise.allSettled(batch.map((member) => fetchParticipantState(context, meeting, member.aadObjectId ?? '')));
        states.forEach((state, index) => {
          const member = batch[index];
          if (!member) return;
          if (state.status === 'rejected') {
            const status = statusOf(state.reason);
            if (status === 403 || status === 429) throw state.reason;
            unreadable += 1;
            return;
          }
          if (state.value.inMeeting) present.push(participantFromChatMember(member, state.value.role));
        });
      }
      outcome = { ok: true, present, rosterTruncated: members.length >= ROSTER_LIMIT, unreadable };
    });
  } catch (error) {
    outcome = problemOf(error);
  }
  return outcome;
}

function problemOf(error: unknown): SampleOutcome {
  const status = statusOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (status === 403) return { ok: false, problem: 'not-installed', detail: 'Teams answered 403: the app is not installed in this meeting' };
  if (status === 404) return { ok: false, problem: 'meeting-expired', detail: 'Teams answered 404: the meeting has expired' };
  if (status === 429) return { ok: false, problem: 'throttled', detail: 'Teams is throttling the roster calls (429)' };
  return { ok: false, problem: 'failed', detail };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
