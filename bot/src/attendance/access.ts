/**
 * Who may read what about a meeting. The caller's identity comes from a validated token; roles come from
 * Teams (meeting details and participant events), never from anything the caller claims about itself.
 */
import type { MeetingSession } from './ledger.js';
import type { MeetingDetails } from './meeting.js';

/** The app role an application (an LMS, a script) needs to read every meeting of its tenant. */
export const READ_ALL_ROLE = 'Attendance.Read.All';

/** Meeting roles that see everyone's attendance, as Teams' own report does for organizers. */
const ROLES_THAT_SEE_ALL = new Set(['Organizer', 'Coorganizer', 'Presenter']);

export type Caller =
  | { kind: 'user'; tenantId: string; objectId: string }
  | { kind: 'app'; tenantId: string; appId: string; roles: readonly string[] };

export type Visibility =
  | { allowed: true; records: 'all' }
  | { allowed: true; records: 'own'; recordId: string }
  | { allowed: false; reason: string };

export function visibilityFor(
  caller: Caller,
  details: MeetingDetails | undefined,
  sessions: readonly MeetingSession[],
): Visibility {
  if (caller.kind === 'app') {
    // The app role is granted per tenant: it opens that tenant's meetings, never another tenant's.
    const meetingTenantId = details?.tenantId ?? sessions[0]?.tenantId;
    if (meetingTenantId !== undefined && meetingTenantId !== caller.tenantId) {
      return { allowed: false, reason: 'the application belongs to another tenant than the meeting' };
    }
    return caller.roles.includes(READ_ALL_ROLE)
      ? { allowed: true, records: 'all' }
      : { allowed: false, reason: `the application lacks the ${READ_ALL_ROLE} app role` };
  }
  if (details?.organizerAadObjectId === caller.objectId) return { allowed: true, records: 'all' };
  const roles = meetingRolesOf(caller.objectId, sessions);
  if (roles.some((role) => ROLES_THAT_SEE_ALL.has(role))) return { allowed: true, records: 'all' };
  if (roles.length > 0) return { allowed: true, records: 'own', recordId: caller.objectId };
  return { allowed: false, reason: 'the caller was not a participant of this meeting' };
}

/** How the side panel addresses a caller: as the organizer, a presenter (or co-organizer), an attendee, or an app. */
export type ViewerRole = 'organizer' | 'presenter' | 'attendee' | 'app';

/** The caller's role in the meeting, for a caller whom visibilityFor allowed in. */
export function viewerRoleFor(
  caller: Caller,
  details: MeetingDetails | undefined,
  sessions: readonly MeetingSession[],
): ViewerRole {
  if (caller.kind === 'app') return 'app';
  const roles = meetingRolesOf(caller.objectId, sessions);
  if (details?.organizerAadObjectId === caller.objectId || roles.includes('Organizer')) return 'organizer';
  return roles.some((role) => ROLES_THAT_SEE_ALL.has(role)) ? 'presenter' : 'attendee';
}

/** Every role Teams gave this person in any session of the meeting ('Unknown' where it gave none). */
function meetingRolesOf(objectId: string, sessions: readonly MeetingSession[]): string[] {
  return sessions.flatMap((session) =>
    session.participants
      .filter((entry) => entry.participant.aadObjectId === objectId)
      .map((entry) => entry.participant.role ?? 'Unknown'),
  );
}
