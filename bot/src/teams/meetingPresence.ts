/**
 * Who is in a meeting right now, as Teams tells it: the chat's members (pagedmembers), each asked
 * getMeetingParticipant for `inMeeting`, a few at a time. Members without an Entra id cannot be asked.
 * Used when the app is added mid-meeting and by the roster sampler.
 *
 * Unknown is not absent: a member whose lookup failed (an error, a timeout, a 404) is neither present nor
 * absent but unreadable, and whoever reads the presence keeps that person's state as it was.
 */
import type { Participant } from '../attendance/events.js';
import { ROSTER_LIMIT } from './connector.js';
import { statusOf } from './connectorCalls/connectorFailure.js';
import type { TeamsConnector } from './connectorCalls/teamsConnector.js';
import type { MeetingRef } from './meetingRef.js';
import { participantFromChatMember } from './participantFromChatMember.js';

const LOOKUPS_AT_ONCE = 5;

export interface MeetingPresence {
  present: Participant[];
  /** Teams answered that these people are not in the meeting. */
  absent: Participant[];
  /** Nobody knows: their lookup failed. Their state must not change. */
  unreadable: Participant[];
  /** How many of the unreadable lookups Teams answered with 404 (see rosterSample.ts for what that means). */
  notFound: number;
  /** The chat has more members than Teams lets an app look up: only the first ROSTER_LIMIT were asked. */
  rosterTruncated: boolean;
}

/**
 * `onLookupFailure` hears each participant lookup that failed; throwing from it stops the remaining lookups
 * (and rejects with that error), otherwise that member is counted unreadable.
 */
export async function presentInMeeting(
  connector: TeamsConnector,
  ref: MeetingRef,
  onLookupFailure: (reason: unknown) => void,
): Promise<MeetingPresence> {
  const members = await connector.chatMembers(ref);
  const askable = members.filter((member) => member.aadObjectId);
  const presence: MeetingPresence = { present: [], absent: [], unreadable: [], notFound: 0, rosterTruncated: members.length >= ROSTER_LIMIT };
  for (let start = 0; start < askable.length; start += LOOKUPS_AT_ONCE) {
    const batch = askable.slice(start, start + LOOKUPS_AT_ONCE);
    const states = await Promise.allSettled(batch.map((member) => connector.participantState(ref, member.aadObjectId ?? '')));
    states.forEach((state, index) => {
      const member = batch[index];
      if (!member) return;
      if (state.status === 'rejected') {
        onLookupFailure(state.reason);
        presence.unreadable.push(participantFromChatMember(member, undefined));
        if (statusOf(state.reason) === 404) presence.notFound += 1;
      } else if (state.value.inMeeting) presence.present.push(participantFromChatMember(member, state.value.role));
      else presence.absent.push(participantFromChatMember(member, state.value.role));
    });
  }
  return presence;
}
