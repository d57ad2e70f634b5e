/**
 * Who is in a meeting right now, as Teams tells it: the chat's members (pagedmembers), each asked
 * getMeetingParticipant for `inMeeting`, a few at a time. Members without an Entra id cannot be asked.
 * Used when the app is added mid-meeting and by the roster sampler.
 */
import type { TurnContext } from 'botbuilder';
import type { Participant } from '../attendance/events.js';
import { fetchChatMembers, fetchParticipantState, ROSTER_LIMIT } from './connector.js';
import type { MeetingRef } from './meetingRef.js';
import { participantFromChatMember } from './participantFromChatMember.js';

const LOOKUPS_AT_ONCE = 5;

export interface MeetingPresence {
  present: Participant[];
  /** The chat has more members than Teams lets an app look up: only the first ROSTER_LIMIT were asked. */
  rosterTruncated: boolean;
}

/**
 * `onLookupFailure` hears each participant lookup that failed; throwing from it stops the remaining lookups
 * (and rejects with that error), otherwise that member is left out.
 */
export async function presentInMeeting(
  context: TurnContext,
  ref: MeetingRef,
  onLookupFailure: (reason: unknown) => void,
): Promise<MeetingPresence> {
  const members = await fetchChatMembers(context);
  const askable = members.filter((member) => member.aadObjectId);
  const present: Participant[] = [];
  for (let start = 0; start < askable.length; start += LOOKUPS_AT_ONCE) {
    const batch = askable.slice(start, start + LOOKUPS_AT_ONCE);
    const states = await Promise.allSettled(batch.map((member) => fetchParticipantState(context, ref, member.aadObjectId ?? '')));
    states.forEach((state, index) => {
      const member = batch[index];
      if (!member) return;
      if (state.status === 'rejected') onLookupFailure(state.reason);
      else if (state.value.inMeeting) present.push(participantFromChatMember(member, state.value.role));
    });
  }
  return { present, rosterTruncated: members.length >= ROSTER_LIMIT };
}
