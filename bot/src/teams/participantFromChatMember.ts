/** A chat member (pagedmembers) with their meeting role, as a ledger participant. */
import type { Participant } from '../attendance/events.js';
import type { ChatMember } from './connector.js';
import { participantFrom } from './parseMeetingEvent.js';

export function participantFromChatMember(member: ChatMember, role: string | undefined): Participant {
  return participantFrom({
    user: {
      id: member.teamsUserId,
      aadObjectId: member.aadObjectId,
      name: member.name,
      email: member.email,
      tenantId: member.tenantId,
    },
    meeting: { role },
  });
}
