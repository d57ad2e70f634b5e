/**
 * Teams' connector as the rest of the bot uses it: each call made outside any turn (botbuilder revokes a
 * turn's context once it is answered, and these calls run after the answer) in a proactive turn for the
 * meeting's chat, and through the ConnectorGate with the policy that suits its purpose.
 */
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import {
  fetchChatMembers,
  fetchMeetingInfo,
  fetchParticipantState,
  postMessage,
  type ChatMember,
  type MeetingInfo,
  type ParticipantState,
} from '../connector.js';
import type { MeetingRef } from '../meetingRef.js';
import type { CallPolicy, ConnectorGate } from './connectorGate.js';

export interface ProactiveBot {
  adapter: CloudAdapter;
  /** The bot's app id ('' in local mode). */
  appId: string;
}

/**
 * Meeting details: at most one call in flight per meeting, at most 3 a minute whatever the load, the answer
 * reused for a minute (every activity of a new meeting wants it).
 */
export const MEETING_DETAILS_POLICY: Partial<CallPolicy> = { attempts: 2, perMinute: 3, cacheMs: 60_000 };
/** The chat's members, all pages in one call: shared by concurrent callers, fresh each time. */
export const CHAT_MEMBERS_POLICY: Partial<CallPolicy> = { attempts: 2, timeoutMs: 15_000 };
/** One person's state: asked once per sample; the sampler backs off as a whole when Teams throttles. */
export const PARTICIPANT_POLICY: Partial<CallPolicy> = { attempts: 1 };
/** A post: each one is its own (never shared), retried when throttled. */
export const POST_POLICY: Partial<CallPolicy> = { attempts: 3, shared: false };

export class TeamsConnector {
  constructor(
    private readonly bot: ProactiveBot,
    readonly gate: ConnectorGate,
  ) {}

  meetingInfo(ref: MeetingRef): Promise<MeetingInfo> {
    return this.gate.run(
      { ...ref, purpose: 'meeting-details' },
      (signal) => this.inMeetingChat(ref, (context) => fetchMeetingInfo(context, ref, signal)),
      MEETING_DETAILS_POLICY,
    );
  }

  chatMembers(ref: MeetingRef): Promise<ChatMember[]> {
    return this.gate.run(
      { ...ref, purpose: 'chat-members' },
      (signal) => this.inMeetingChat(ref, (context) => fetchChatMembers(context, ref, signal)),
      CHAT_MEMBERS_POLICY,
    );
  }

  participantState(ref: MeetingRef, aadObjectId: string): Promise<ParticipantState> {
    return this.gate.run(
      { ...ref, purpose: `participant:${aadObjectId}` },
      (signal) => this.inMeetingChat(ref, (context) => fetchParticipantState(context, ref, aadObjectId, signal)),
      PARTICIPANT_POLICY,
    );
  }

  /** Posts to the meeting chat; as a reply to `replyToId` when given. */
  post(ref: MeetingRef, message: Partial<Activity>, replyToId?: string): Promise<void> {
    return this.gate.run(
      { ...ref, purpose: 'post' },
      (signal) => this.inMeetingChat(ref, (context) => postMessage(context, message, replyToId, signal)),
      POST_POLICY,
    );
  }

  /** Runs `work` in a proactive turn for the meeting's chat (that turn carries the connector's credentials). */
  private async inMeetingChat<T>(meeting: MeetingRef, work: (context: TurnContext) => Promise<T>): Promise<T> {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: meeting.serviceUrl,
      conversation: { id: meeting.chatId, tenantId: meeting.tenantId, isGroup: true, conversationType: 'groupChat', name: '' },
      // Posts go out from the bot: Teams names bots "28:<app id>".
      ...(this.bot.appId ? { bot: { id: `28:${this.bot.appId}`, name: '' } } : {}),
    };
    let result: { value: T } | undefined;
    await this.bot.adapter.continueConversationAsync(this.bot.appId, reference, async (context) => {
      result = { value: await work(context) };
    });
    if (!result) throw new Error('the proactive turn ended without a result');
    return result.value;
  }
}
