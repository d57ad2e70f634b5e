/**
 * The Teams connector calls the bot makes (meeting details, chat members, one participant's state, posts),
 * one attempt each: the retries, time limits and budgets are the ConnectorGate's (connectorCalls/). The
 * clients are botbuilder's own (botframework-connector, with the turn's credentials, as TeamsInfo builds
 * them) minus their retry policy, which would otherwise repeat a throttled call three more times inside
 * each attempt, and with the gate's abort signal passed through.
 */
import { createRequire } from 'node:module';
import { TurnContext, type Activity, type TeamsChannelAccount } from 'botbuilder';
import type { MeetingRef } from './meetingRef.js';

/** Teams documents getMeetingParticipant for rosters under 350. */
export const ROSTER_LIMIT = 350;
const PAGE_SIZE = 100;

export interface MeetingInfo {
  title?: string;
  meetingType?: string;
  joinUrl?: string;
  organizerAadObjectId?: string;
  organizerTeamsUserId?: string;
}

export interface ChatMember {
  teamsUserId: string;
  aadObjectId?: string;
  name?: string;
  email?: string;
  tenantId?: string;
}

export interface ParticipantState {
  inMeeting: boolean;
  role?: string;
}

interface CallOptions {
  abortSignal: AbortSignal;
}

/** The parts of botframework-connector used here (botbuilder does not re-export its clients). */
interface Pipeline {
  removePolicy(options: { name: string }): unknown;
}
interface ServiceClientShape {
  client: { pipeline: Pipeline };
}
interface TeamsClient extends ServiceClientShape {
  teams: {
    fetchMeetingInfo(meetingId: string, options: CallOptions): Promise<{ details?: { title?: string; type?: string; joinUrl?: string }; organizer?: { id?: string; aadObjectId?: string } }>;
    fetchMeetingParticipant(
      meetingId: string,
      participantId: string,
      options: CallOptions & { tenantId: string },
    ): Promise<{ meeting?: { inMeeting?: boolean; role?: string } }>;
  };
}
interface ConnectorClient extends ServiceClientShape {
  conversations: {
    getConversationPagedMembers(
      conversationId: string,
      options: CallOptions & { pageSize: number; continuationToken?: string },
    ): Promise<{ members?: TeamsChannelAccount[]; continuationToken?: string }>;
    sendToConversation(conversationId: string, activity: Partial<Activity>, options: CallOptions): Promise<unknown>;
    replyToActivity(conversationId: string, activityId: string, activity: Partial<Activity>, options: CallOptions): Promise<unknown>;
  };
}
interface BotFrameworkConnector {
  TeamsConnectorClient: new (credentials: unknown, options: { baseUri: string }) => TeamsClient;
  ConnectorClient: new (credentials: unknown, options: { baseUri: string }) => ConnectorClient;
}

/** Resolved from botbuilder's own location: the copy whose credentials the adapter hands out. */
const connectorModule = createRequire(createRequire(import.meta.url).resolve('botbuilder'))('botframework-connector') as BotFrameworkConnector;
/** @azure/core-rest-pipeline's name for the policy that retries 429s and failures inside one call. */
const PIPELINE_RETRY_POLICY = 'defaultRetryPolicy';

function withoutRetries<T extends ServiceClientShape>(client: T): T {
  client.client.pipeline.removePolicy({ name: PIPELINE_RETRY_POLICY });
  return client;
}

/** The credentials of the turn's own connector client (the adapter made it for this turn's service URL). */
function credentialsOf(context: TurnContext): unknown {
  const turnClient = context.turnState.get(context.adapter.ConnectorClientKey) as { credentials?: unknown } | undefined;
  if (!turnClient?.credentials) throw new Error('this turn has no connector client');
  return turnClient.credentials;
}

function teamsClient(context: TurnContext): TeamsClient {
  return withoutRetries(new connectorModule.TeamsConnectorClient(credentialsOf(context), { baseUri: context.activity.serviceUrl }));
}

function connectorClient(context: TurnContext): ConnectorClient {
  return withoutRetries(new connectorModule.ConnectorClient(credentialsOf(context), { baseUri: context.activity.serviceUrl }));
}

export async function fetchMeetingInfo(context: TurnContext, ref: MeetingRef, abortSignal: AbortSignal): Promise<MeetingInfo> {
  const info = await teamsClient(context).teams.fetchMeetingInfo(ref.meetingId, { abortSignal });
  const result: MeetingInfo = {};
  if (info.details?.title) result.title = info.details.title;
  if (info.details?.type) result.meetingType = info.details.type;
  if (info.details?.joinUrl) result.joinUrl = info.details.joinUrl;
  if (info.organizer?.aadObjectId) result.organizerAadObjectId = info.organizer.aadObjectId;
  if (info.organizer?.id) result.organizerTeamsUserId = info.organizer.id;
  return result;
}

/** The meeting chat's members, page by page, up to the roster limit. */
export async function fetchChatMembers(context: TurnContext, ref: MeetingRef, abortSignal: AbortSignal): Promise<ChatMember[]> {
  const conversations = connectorClient(context).conversations;
  const members: ChatMember[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await conversations.getConversationPagedMembers(ref.chatId, {
      abortSignal,
      pageSize: PAGE_SIZE,
      ...(continuationToken ? { continuationToken } : {}),
    });
    for (const member of page.members ?? []) members.push(chatMemberOf(member));
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken && members.length < ROSTER_LIMIT);
  return members.slice(0, ROSTER_LIMIT);
}

function chatMemberOf(member: TeamsChannelAccount): ChatMember {
  const chatMember: ChatMember = { teamsUserId: member.id };
  if (member.aadObjectId) chatMember.aadObjectId = member.aadObjectId;
  if (member.name) chatMember.name = member.name;
  const email = member.email ?? member.userPrincipalName;
  if (email) chatMember.email = email;
  if (member.tenantId) chatMember.tenantId = member.tenantId;
  return chatMember;
}

export async function fetchParticipantState(
  context: TurnContext,
  ref: MeetingRef,
  aadObjectId: string,
  abortSignal: AbortSignal,
): Promise<ParticipantState> {
  const participant = await teamsClient(context).teams.fetchMeetingParticipant(ref.meetingId, aadObjectId, { abortSignal, tenantId: ref.tenantId });
  const state: ParticipantState = { inMeeting: participant.meeting?.inMeeting === true };
  if (participant.meeting?.role) state.role = participant.meeting.role;
  return state;
}

/** Posts a message to the turn's conversation, as a reply to `replyToId` when given (as TurnContext.sendActivity does). */
export async function postMessage(
  context: TurnContext,
  message: Partial<Activity>,
  replyToId: string | undefined,
  abortSignal: AbortSignal,
): Promise<void> {
  const reference = TurnContext.getConversationReference(context.activity);
  const activity = TurnContext.applyConversationReference({ type: 'message', ...message }, { ...reference, activityId: replyToId }, false);
  const conversations = connectorClient(context).conversations;
  const conversationId = reference.conversation?.id ?? '';
  if (replyToId) await conversations.replyToActivity(conversationId, replyToId, activity, { abortSignal });
  else await conversations.sendToConversation(conversationId, activity, { abortSignal });
}
