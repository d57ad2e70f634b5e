/**
 * DELETE /api/meetings/{meetingId}: erases everything recorded about a meeting (events, record, pending work),
 * for its organizer or an application with Attendance.Delete.All (attendance/access.ts decides). The same gate
 * as the reads: a valid token, the meeting looked up in the caller's tenant only. Each deletion is logged with
 * who asked for it; the data itself is not.
 */
import type { Request, Response } from 'restify';
import { deletionPermission } from '../../attendance/access.js';
import { forbidden } from '../../errors.js';
import { authenticateAndLoad, describeCaller, type MeetingReadDeps } from './meetingAccess.js';

export function deleteMeetingRoute(deps: MeetingReadDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { caller, attendance } = await authenticateAndLoad(deps, req);
    const meeting = { tenantId: caller.tenantId, meetingId: req.params['meetingId'] as string };
    const permission = deletionPermission(caller, attendance.meeting, attendance.sessions);
    if (!permission.allowed) {
      deps.logger.warn({ meetingId: meeting.meetingId, caller: describeCaller(caller), reason: permission.reason }, 'meeting deletion refused');
      throw forbidden(permission.reason);
    }
    await deps.store.deleteMeeting(meeting);
    deps.logger.info(
      { meetingId: meeting.meetingId, tenantId: meeting.tenantId, caller: describeCaller(caller), sessions: attendance.sessions.length },
      'meeting attendance deleted on request',
    );
    res.send(204);
  };
}
