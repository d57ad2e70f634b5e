/**
 * The Teams connector calls the bot makes (meeting details, chat members, one participant's state),
 * each bounded in time so a slow service never holds up the answer to Teams (which retries after ~15 s).
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { MeetingRef } from './meetingRef.js';

const CALL_TIMEOUT_MS = 5000;
/** Teams documents getMeetingParticipant for rosters under 350. */
export const ROSTER_LIMIT = 350;
const PAGE_SIZE = 100;

export interface MeetingInfo {
  title?: string;
  meetingType?: string;
  joinUrl?: string;
  /** Teams' `msGraphResourceId`: the id Graph knows the meeting by (may be empty for instant meetings). */
  onlineMeetingId?: string;
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

export async function fetchMeetingInfo(context: TurnContext, ref: MeetingRef): Promise<MeetingInfo> {
  const info = await withTimeout(TeamsInfo.getMeetingInfo(context, ref.meetingId), 'getMeetingInfo');
  const result: MeetingInfo = {};
  if (info.details?.title) result.title = info.details.title;
  if (info.details?.type) result.meetingType = info.details.type;
  if (info.details?.joinUrl) result.joinUrl = info.details.joinUrl;
  if (info.details?.msGraphResourceId) result.onlineMeetingId = info.details.msGraphResourceId;
  if (info.organizer?.aadObjectId) result.organizerAadObjectId = info.organizer.aadObjectId;
  if (info.organizer?.id) result.organizerTeamsUserId = info.organizer.id;
  return result;
}

/** The meeting chat's members, page by page, up to the roster limit. */
export async function fetchChatMembers(context: TurnContext): Promise<ChatMember[]> {
  const members: ChatMember[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await withTimeout(TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken), 'getPagedMembers');
    for (const member of page.members ?? []) {
      const chatMember: ChatMember = { teamsUserId: member.id };
      if (member.aadObjectId) chatMember.aadObjectId = member.aadObjectId;
      if (member.name) chatMember.name = member.name;
      const email = member.email ?? member.userPrincipalName;
      if (email) chatMember.email = email;
      if (member.tenantId) chatMember.tenantId = member.tenantId;
      members.push(chatMember);
    }
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken && members.length < ROSTER_LIMIT);
  return members.slice(0, ROSTER_LIMIT);
}

export async function fetchParticipantState(
  context: TurnContext,
  ref: MeetingRef,
  aadObjectId: string,
): Promise<ParticipantState> {
  const participant = await withTimeout(
    TeamsInfo.getMeetingParticipant(context, ref.meetingId, aadObjectId, ref.tenantId),
    'getMeetingParticipant',
  );
  const state: ParticipantState = { inMeeting: participant.meeting?.inMeeting === true };
  if (participant.meeting?.role) state.role = participant.meeting.role;
  return state;
}

async function withTimeout<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
