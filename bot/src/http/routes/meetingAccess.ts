/**
 * The one gate in front of every read of a meeting (reports, CSV, the side panel's live view) and its deletion: a valid token,
 * the meeting looked up in the caller's own tenant only (another tenant's meeting is simply not found), then
 * attendance/access.ts decides what the caller may see of it.
 */
import type { Request } from 'restify';
import { visibilityIn, type Caller } from '../../attendance/access.js';
import { forbidden, meetingNotFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { loadMeetingAttendance, type MeetingAttendance } from '../../meetings/meetingAttendance.js';
import type { AttendanceStore } from '../../store/store.js';
import type { Authenticate } from '../rateLimit.js';

export interface MeetingReadDeps {
  store: AttendanceStore;
  /** Token validation behind the per-caller rate limit. */
  authenticate: Authenticate;
  logger: Logger;
}

export interface MeetingRead {
  caller: Caller;
  attendance: MeetingAttendance;
  /** 'all', or the id of the one record the caller may see. */
  visibleRecords: 'all' | string;
}

/**
 * Authenticates, loads the meeting named by the `meetingId` route parameter, and says what the caller may see.
 * `purpose` names the read in the log line of a refusal ("report access refused").
 */
export async function authoriseMeetingRead(deps: MeetingReadDeps, req: Request, purpose: string): Promise<MeetingRead> {
  const { caller, attendance } = await authenticateAndLoad(deps, req);
  return authoriseLoadedRead(deps, caller, attendance, req.params['meetingId'] as string, purpose);
}

/**
 * What the caller may see of a meeting already loaded (from the held copy's participation index): a 403, logged
 * as "<purpose> access refused", when nothing.
 */
export function authoriseLoadedRead(
  deps: Pick<MeetingReadDeps, 'logger'>,
  caller: Caller,
  attendance: MeetingAttendance,
  meetingId: string,
  purpose: string,
): MeetingRead {
  const visibility = visibilityIn(caller, attendance.meeting, attendance.ledger.participation());
  if (!visibility.allowed) {
    deps.logger.warn({ meetingId, caller: describeCaller(caller), reason: visibility.reason }, `${purpose} access refused`);
    throw forbidden(visibility.reason);
  }
  return { caller, attendance, visibleRecords: visibility.records === 'all' ? 'all' : visibility.recordId };
}

/** The caller (from the token) and the meeting named by the route, looked up in the caller's tenant only: 404 if nothing is recorded there. */
export async function authenticateAndLoad(
  deps: Pick<MeetingReadDeps, 'store' | 'authenticate'>,
  req: Request,
): Promise<{ caller: Caller; attendance: MeetingAttendance }> {
  const caller = await deps.authenticate(req);
  const meetingId = req.params['meetingId'] as string;
  const attendance = await loadMeetingAttendance(deps.store, { tenantId: caller.tenantId, meetingId });
  if (!attendance.meeting && attendance.sessions.length === 0) throw meetingNotFound();
  return { caller, attendance };
}

export function describeCaller(caller: Caller): string {
  return caller.kind === 'app' ? `app ${caller.appId}` : `user ${caller.objectId}`;
}
