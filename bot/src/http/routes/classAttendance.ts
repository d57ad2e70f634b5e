/**
 * GET /api/chats/{chatThreadId}/attendance (+ ".csv"): a class's roll-up across the meetings of one chat thread
 * (attendance/rollup.ts). The chat's meetings are looked up in the caller's tenant only; the roll-up covers the
 * meetings where the caller sees everyone (their organizer, a presenter, or an application with
 * Attendance.Read.All), and says how many others it left out.
 */
import type { Request, Response } from 'restify';
import { visibilityIn } from '../../attendance/access.js';
import { rollupToCsv } from '../../attendance/csv.js';
import { secondsBetween } from '../../attendance/duration.js';
import { buildRegister } from '../../attendance/register.js';
import { rollUp, type RolledUpSession } from '../../attendance/rollup.js';
import type { AttendanceRule } from '../../attendance/rule.js';
import { chatNotFound, forbidden } from '../../errors.js';
import { loadMeetingRegister } from '../../meetings/meetingRegister.js';
import { describeCaller, type MeetingReadDeps } from './meetingAccess.js';

export interface ClassAttendanceDeps extends MeetingReadDeps {
  now: () => Date;
  defaultRule: AttendanceRule;
}

export function classAttendanceRoute(deps: ClassAttendanceDeps, asCsv: boolean) {
  return async (req: Request, res: Response): Promise<void> => {
    const caller = await deps.authenticate(req);
    const chatThreadId = req.params['chatThreadId'] as string;
    const keys = await deps.store.listChatMeetings(caller.tenantId, chatThreadId);
    if (keys.length === 0) throw chatNotFound();
    const now = deps.now().toISOString();
    const meetings = [];
    const sessions: RolledUpSession[] = [];
    for (const key of keys) {
      const meeting = await loadMeetingRegister(deps.store, key);
      const visibility = visibilityIn(caller, meeting.meeting, meeting.ledger.participation());
      if (!visibility.allowed || visibility.records !== 'all' || meeting.sessions.length === 0) continue;
      const rule = meeting.ruleChange?.rule ?? deps.defaultRule;
      meetings.push({
        meetingId: key.meetingId,
        meetingTitle: meeting.meeting?.title ?? null,
        reports: meeting.sessions.map((session) => ({ id: session.sessionId, meetingStartDateTime: session.startedAt, meetingEndDateTime: session.endedAt ?? null })),
      });
      for (const session of meeting.sessions) {
        sessions.push({
          meetingId: key.meetingId,
          reportId: session.sessionId,
          startedAt: session.startedAt,
          heldSeconds: secondsBetween(session.startedAt, session.endedAt ?? now),
          register: buildRegister(session, meeting.roster, rule, meeting.corrections, now),
        });
      }
    }
    if (meetings.length === 0) {
      const reason = "the caller is not the organizer or a presenter of any of this chat's meetings";
      deps.logger.warn({ chatThreadId, caller: describeCaller(caller), reason }, 'class roll-up refused');
      throw forbidden(reason);
    }
    sessions.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const rollup = rollUp(sessions);
    if (asCsv) {
      const body = rollupToCsv(rollup);
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="class-attendance.csv"',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    res.send(200, { chatThreadId, meetings, meetingsNotShown: keys.length - meetings.length, ...rollup });
  };
}
