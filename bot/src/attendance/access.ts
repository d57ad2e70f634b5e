/**
 * Who may read what about a meeting. The caller's identity comes from a validated token; roles come from
 * Teams (meeting details and participant events), never from anything the caller claims about itself.
 */
import type { MeetingSession } from './ledger.js';
import type { MeetingDetails } from './meeting.js';

/** The app role an application (an LMS, a script) needs to read every meeting of its tenant. */
export const READ_ALL_ROLE = 'Attendance.Read.All';

/**
 * The app role an application needs to delete meetings' attendance. Separate from reading on purpose: a system
 * granted the right to read reports (an LMS) cannot erase them.
 */
export const DELETE_ALL_ROLE = 'Attendance.Delete.All';

/** Meeting roles that see everyone's attendance, as Teams' own report does for organizers. */
const ROLES_THAT_SEE_ALL = new Set(['Organizer', 'Coorganizer', 'Presenter']);

export type Caller =
  | { kind: 'user'; tenantId: string; objectId: string }
  | { kind: 'app'; tenantId: string; appId: string; roles: readonly string[] };

/** What access decisions read of a meeting's sessions: its tenant and the roles Teams gave each person. */
export interface MeetingParticipation {
  /** The tenant of the meeting's first session, when there is one. */
  tenantId: string | undefined;
  /** Every role Teams gave this person (by Entra object id) in any session ('Unknown' where it gave none). */
  rolesOf(objectId: string): readonly string[];
}

/** The participation of these sessions, found by reading them (meetingLedger.ts keeps an index instead). */
export function participationIn(sessions: readonly MeetingSession[]): MeetingParticipation {
  return { tenantId: sessions[0]?.tenantId, rolesOf: (objectId) => meetingRolesOf(objectId, sessions) };
}

export type Visibility =
  | { allowed: true; records: 'all' }
  | { allowed: true; records: 'own'; recordId: string }
  | { allowed: false; reason: string };

export function visibilityFor(
  caller: Caller,
  details: MeetingDetails | undefined,
  sessions: readonly MeetingSession[],
): Visibility {
  return visibilityIn(caller, details, participationIn(sessions));
}

/** visibilityFor, from the meeting's participation (an index, when the meeting is held in memory). */
export function visibilityIn(caller: Caller, details: MeetingDetails | undefined, participation: MeetingParticipation): Visibility {
  if (caller.kind === 'app') {
    const refusal = appRefusal(caller, details, participation, READ_ALL_ROLE);
    return refusal ? { allowed: false, reason: refusal } : { allowed: true, records: 'all' };
  }
  if (details?.organizerAadObjectId === caller.objectId) return { allowed: true, records: 'all' };
  const roles = participation.rolesOf(caller.objectId);
  if (roles.some((role) => ROLES_THAT_SEE_ALL.has(role))) return { allowed: true, records: 'all' };
  if (roles.length > 0) return { allowed: true, records: 'own', recordId: caller.objectId };
  return { allowed: false, reason: 'the caller was not a participant of this meeting' };
}

export type Permission = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may delete a meeting's attendance: its organizer (per Teams' meeting details, or the Organizer role Teams
 * gave them in the meeting), or an application of the meeting's tenant with the Attendance.Delete.All role.
 * Presenters and co-organizers may not: deleting is the organizer's decision.
 */
export function deletionPermission(
  caller: Caller,
  details: MeetingDetails | undefined,
  sessions: readonly MeetingSession[],
): Permission {
  if (caller.kind === 'app') {
    const refusal = appRefusal(caller, details, participationIn(sessions), DELETE_ALL_ROLE);
    return refusal ? { allowed: false, reason: refusal } : { allowed: true };
  }
  if (isOrganizer(caller.objectId, details, meetingRolesOf(caller.objectId, sessions))) return { allowed: true };
  return { allowed: false, reason: "only the meeting's organizer may delete its attendance" };
}

/**
 * Why an application may not do what `role` allows with this meeting, or undefined when it may. App roles are
 * granted per tenant: they open that tenant's meetings, never another tenant's.
 */
function appRefusal(
  caller: Extract<Caller, { kind: 'app' }>,
  details: MeetingDetails | undefined,
  participation: MeetingParticipation,
  role: string,
): string | undefined {
  const meetingTenantId = details?.tenantId ?? participation.tenantId;
  if (meetingTenantId !== undefined && meetingTenantId !== caller.tenantId) return 'the application belongs to another tenant than the meeting';
  return roleRefusal(caller, role);
}

/** Why an application lacking `role` may not use it, or undefined when it was granted the role. */
function roleRefusal(caller: Extract<Caller, { kind: 'app' }>, role: string): string | undefined {
  return caller.roles.includes(role) ? undefined : `the application lacks the ${role} app role`;
}

/** The organizer per Teams' meeting details, or whom Teams gave the Organizer role in the meeting. */
function isOrganizer(objectId: string, details: MeetingDetails | undefined, roles: readonly string[]): boolean {
  return details?.organizerAadObjectId === objectId || roles.includes('Organizer');
}

/** How the side panel addresses a caller: as the organizer, a presenter (or co-organizer), an attendee, or an app. */
export type ViewerRole = 'organizer' | 'presenter' | 'attendee' | 'app';

/** The caller's role in the meeting, for a caller whom visibilityFor allowed in. */
export function viewerRoleFor(
  caller: Caller,
  details: MeetingDetails | undefined,
  sessions: readonly MeetingSession[],
): ViewerRole {
  return viewerRoleIn(caller, details, participationIn(sessions));
}

/** viewerRoleFor, from the meeting's participation. */
export function viewerRoleIn(caller: Caller, details: MeetingDetails | undefined, participation: MeetingParticipation): ViewerRole {
  if (caller.kind === 'app') return 'app';
  const roles = participation.rolesOf(caller.objectId);
  if (isOrganizer(caller.objectId, details, roles)) return 'organizer';
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

/**
 * Who may read what concerns a whole tenant rather than one meeting (the webhook deliveries; for applications,
 * the meetings list and the people of /v1.0/users): applications of that tenant with the Attendance.Read.All
 * app role. Users may not, whatever their meetings (where a route lets users read their own, it asks this of
 * applications only).
 */
export function tenantReadPermission(caller: Caller): Permission {
  if (caller.kind !== 'app') return { allowed: false, reason: `only applications with the ${READ_ALL_ROLE} app role may read this` };
  const refusal = roleRefusal(caller, READ_ALL_ROLE);
  return refusal ? { allowed: false, reason: refusal } : { allowed: true };
}

/**
 * Who may correct a meeting's register and change its rule: its organizer and presenters (co-organizers
 * included), as Teams named them. Attendees may not, nor applications: a correction names the person who made it.
 */
export function correctionPermission(
  caller: Caller,
  details: MeetingDetails | undefined,
  sessions: readonly MeetingSession[],
): Permission {
  if (caller.kind === 'app') return { allowed: false, reason: 'corrections and rule changes are made by a person (the organizer or a presenter), not an application' };
  const role = viewerRoleFor(caller, details, sessions);
  if (role === 'organizer' || role === 'presenter') return { allowed: true };
  return { allowed: false, reason: "only the meeting's organizer and presenters may correct its register or change its rule" };
}
