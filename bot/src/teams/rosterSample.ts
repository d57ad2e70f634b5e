/**
 * One roster sample of a meeting, outside any turn (see meetingPresence.ts). Throttling (429 with Retry-After) is retried by
 * botbuilder's HTTP pipeline; what still fails is reported to the caller as a problem, never thrown.
 */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Participant } from '../attendance/events.js';
import type { MeetingRecord } from '../store/store.js';
import { presentInMeeting } from './meetingPresence.js';
import type { MeetingRef } from './meetingRef.js';

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
      let unreadable = 0;
      const { present, rosterTruncated } = await presentInMeeting(context, meeting, (reason) => {
        const status = statusOf(reason);
        if (status === 403 || status === 429) throw reason;
        unreadable += 1;
      });
      outcome = { ok: true, present, rosterTruncated, unreadable };
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
