/**
 * The report API, shaped like Microsoft Graph's onlineMeeting attendance reports:
 *   GET /api/meetings/{meetingId}/attendanceReports            list (records omitted, as in Graph)
 *   GET /api/meetings/{meetingId}/attendanceReports/{reportId} one report (+ ".csv")
 *   GET /api/meetings/{meetingId}/attendanceReport             the latest report (+ ".csv")
 * The caller's tenant scopes the lookup (another tenant's meeting is simply not found); what the caller
 * may see inside the meeting is decided by attendance/access.ts.
 */
import type { Request, Response } from 'restify';
import { visibilityFor, type Caller } from '../../attendance/access.js';
import { reportToCsv } from '../../attendance/csv.js';
import { buildReport, reportSummary, restrictReport, type AttendanceReport } from '../../attendance/report.js';
import { forbidden, meetingNotFound, reportNotFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { loadMeetingAttendance, type MeetingAttendance } from '../../meetings/meetingAttendance.js';
import type { AttendanceStore } from '../../store/store.js';
import type { TokenValidator } from '../auth/entraToken.js';

export interface ReportRouteDeps {
  store: AttendanceStore;
  validateToken: TokenValidator;
  logger: Logger;
  now: () => Date;
}

const CSV_SUFFIX = '.csv';

export function reportRoutes(deps: ReportRouteDeps) {
  /** Authenticates, loads the caller-visible meeting, and says what the caller may see of it. */
  async function authorise(req: Request) {
    const caller = await deps.validateToken(req.header('authorization'));
    const meetingId = req.params['meetingId'] as string;
    const attendance = await loadMeetingAttendance(deps.store, { tenantId: caller.tenantId, meetingId });
    if (!attendance.meeting && attendance.sessions.length === 0) throw meetingNotFound();
    const visibility = visibilityFor(caller, attendance.meeting, attendance.sessions);
    if (!visibility.allowed) {
      deps.logger.warn({ meetingId, caller: describeCaller(caller), reason: visibility.reason }, 'report access refused');
      throw forbidden(visibility.reason);
    }
    return { attendance, visibleRecords: visibility.records === 'all' ? ('all' as const) : visibility.recordId };
  }

  function reportFor(attendance: MeetingAttendance, sessionId: string | undefined): AttendanceReport {
    const session = sessionId
      ? attendance.sessions.find((candidate) => candidate.sessionId === sessionId)
      : attendance.sessions.at(-1);
    if (!session) throw reportNotFound();
    return buildReport(session, attendance.meeting, deps.now().toISOString());
  }

  function sendReport(res: Response, report: AttendanceReport, asCsv: boolean): void {
    if (!asCsv) {
      res.send(200, report);
      return;
    }
    const body = reportToCsv(report);
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="attendance-${report.id}.csv"`,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  return {
    list: async (req: Request, res: Response) => {
      const { attendance } = await authorise(req);
      res.send(200, { value: attendance.sessions.map((session) => reportSummary(session, attendance.meeting)) });
    },
    one: async (req: Request, res: Response) => {
      const { attendance, visibleRecords } = await authorise(req);
      const requested = req.params['reportId'] as string;
      const asCsv = requested.endsWith(CSV_SUFFIX);
      const reportId = asCsv ? requested.slice(0, -CSV_SUFFIX.length) : requested;
      sendReport(res, restrictReport(reportFor(attendance, reportId), visibleRecords), asCsv);
    },
    latest: (asCsv: boolean) => async (req: Request, res: Response) => {
      const { attendance, visibleRecords } = await authorise(req);
      sendReport(res, restrictReport(reportFor(attendance, undefined), visibleRecords), asCsv);
    },
  };
}

function describeCaller(caller: Caller): string {
  return caller.kind === 'app' ? `app ${caller.appId}` : `user ${caller.objectId}`;
}
