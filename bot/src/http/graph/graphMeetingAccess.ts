/**
 * Who and what a Graph-compatible path names, under the report API's rules: the caller from their token, the
 * user segment (`/users/{id or UPN}` must be the meeting's organizer, as in Graph; `/me` is the signed-in user),
 * the meeting by any id an outside system holds (looked up in the caller's tenant only), and what of it the
 * caller may see (attendance/access.ts: organizer and presenters all records, attendees their own, applications
 * with Attendance.Read.All all).
 */
import type { Request } from 'restify';
import type { Caller } from '../../attendance/access.js';
import { aliasesForId } from '../../attendance/meetingIds.js';
import { badRequest } from '../../errors.js';
import { loadMeetingAttendance, type MeetingAttendance } from '../../meetings/meetingAttendance.js';
import type { MeetingRecord } from '../../store/store.js';
import { authoriseLoadedRead, type MeetingReadDeps } from '../routes/meetingAccess.js';
import { itemNotFound } from './graphErrors.js';

/** The user a path is about: `/users/{id or UPN}` as given, or `/me` (the caller). */
export type UserSegment = { kind: 'user'; idOrUpn: string } | { kind: 'me' };

export function userSegmentOf(req: Request): UserSegment {
  const idOrUpn = req.params['userId'] as string | undefined;
  return idOrUpn === undefined ? { kind: 'me' } : { kind: 'user', idOrUpn: idOrUpn.trim() };
}

/** `/me` needs a signed-in user, as in Graph. */
export function requireUserForMe(caller: Caller, segment: UserSegment): void {
  if (segment.kind === 'me' && caller.kind !== 'user') {
    throw badRequest('/me request is only valid with delegated authentication flow. Use /users/{organizer id or UPN} with an application token.');
  }
}

/**
 * Whether the path's user segment names the meeting's organizer: by object id or UPN/e-mail, in any case, also
 * through what the app knows of people. `/me` is not limited to the organizer: the caller's own visibility decides.
 */
export async function namesOrganizer(deps: MeetingReadDeps, segment: UserSegment, meeting: MeetingRecord | undefined): Promise<boolean> {
  if (segment.kind === 'me') return true;
  const organizer = meeting?.organizerAadObjectId?.toLowerCase();
  if (!meeting || !organizer) return false;
  const named = segment.idOrUpn.toLowerCase();
  if (named === organizer || named === meeting.organizerUpn?.toLowerCase()) return true;
  if (!named.includes('@')) return false;
  const person = await deps.store.findPerson(meeting.tenantId, named);
  return person?.id.toLowerCase() === organizer;
}

/** The meeting of the caller's tenant that an id names: Teams' meeting id, Graph's online-meeting id, the chat thread id. */
export async function findMeeting(deps: MeetingReadDeps, tenantId: string, id: string): Promise<MeetingAttendance | undefined> {
  const direct = await loadMeetingAttendance(deps.store, { tenantId, meetingId: id });
  if (direct.meeting || direct.sessions.length > 0) return direct;
  for (const alias of aliasesForId(id)) {
    const key = await deps.store.findMeetingByAlias(tenantId, alias);
    if (!key) continue;
    const found = await loadMeetingAttendance(deps.store, key);
    if (found.meeting) return found;
  }
  return undefined;
}

export interface GraphMeetingRead {
  caller: Caller;
  attendance: MeetingAttendance & { meeting: MeetingRecord };
  /** 'all', or the id of the one record the caller may see. */
  visibleRecords: 'all' | string;
}

/** Throws Graph's 403 when the caller may not read the meeting; logs the refusal as the report API does. */
export function authoriseRead(deps: MeetingReadDeps, caller: Caller, attendance: MeetingAttendance & { meeting: MeetingRecord }): GraphMeetingRead {
  const read = authoriseLoadedRead(deps, caller, attendance, attendance.meeting.meetingId, 'graph read');
  return { ...read, attendance };
}

/** Authenticates, then finds the meeting `/…/onlineMeetings/{meetingId}` names for this user segment, and authorises the read. */
export async function authoriseGraphMeetingRead(deps: MeetingReadDeps, req: Request): Promise<GraphMeetingRead & { segment: UserSegment }> {
  const caller = await deps.authenticate(req);
  const segment = userSegmentOf(req);
  requireUserForMe(caller, segment);
  const found = await findMeeting(deps, caller.tenantId, req.params['meetingId'] as string);
  if (!found?.meeting || !(await namesOrganizer(deps, segment, found.meeting))) {
    throw itemNotFound("No online meeting with this id is recorded for this organizer in your tenant.");
  }
  return { ...authoriseRead(deps, caller, { ...found, meeting: found.meeting }), segment };
}
