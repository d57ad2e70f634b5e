/**
 * The report API, shaped like Microsoft Graph's onlineMeeting attendance reports:
 *   GET /api/meetings/{meetingId}/attendanceReports            list (records omitted, as in Graph)
 *   GET /api/meetings/{meetingId}/attendanceReports/{reportId} one report (+ ".csv")
 *   GET /api/meetings/{meetingId}/attendanceReport             the latest report (+ ".csv")
 * The caller's tenant scopes the lookup (another tenant's meeting is simply not found); what the caller
 * may see inside the meeting is decided by attendance/access.ts. Each report carries its register (status per
 * person under the meeting's rule, absentees, corrections: attendance/registerReport.ts).
 */
import type { Request, Response } from 'restify';
import { registerToCsv } from '../../attendance/csv.js';
import { restrictRegisterReport, type RegisterReport } from '../../attendance/registerReport.js';
import { reportSummary, restrictSummary, type RecordWithEmail } from '../../attendance/report.js';
import type { AttendanceRule } from '../../attendance/rule.js';
import { reportNotFound } from '../../errors.js';
import { reportWithEmails } from '../../meetings/participantEmails.js';
import type { MeetingAttendance } from '../../meetings/meetingAttendance.js';
import { loadRegisterInputs, registerReportOf } from '../../meetings/meetingRegister.js';
import { authoriseMeetingRead, type MeetingReadDeps } from './meetingAccess.js';

export interface ReportRouteDeps extends MeetingReadDeps {
  now: () => Date;
  /** The register's rule where the meeting has none of its own. */
  defaultRule: AttendanceRule;
}

const CSV_SUFFIX = '.csv';

export function reportRoutes(deps: ReportRouteDeps) {
  const authorise = (req: Request) => authoriseMeetingRead(deps, req, 'report');

  async function reportFor(attendance: MeetingAttendance, sessionId: string | undefined): Promise<RegisterReport> {
    const session = sessionId
      ? attendance.sessions.find((candidate) => candidate.sessionId === sessionId)
      : attendance.sessions.at(-1);
    if (!session) throw reportNotFound();
    const inputs = await loadRegisterInputs(deps.store, session);
    return registerReportOf({ ...attendance, ...inputs }, session, deps.defaultRule, deps.now().toISOString());
  }

  const withKnownEmails = <R extends RecordWithEmail, T extends { attendanceRecords: R[] }>(tenantId: string, report: T) =>
    reportWithEmails(deps.store, tenantId, report, deps.logger);

  function sendReport(res: Response, report: RegisterReport, asCsv: boolean): void {
    if (!asCsv) {
      res.send(200, report);
      return;
    }
    const body = registerToCsv(report);
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="attendance-${report.id}.csv"`,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  return {
    list: async (req: Request, res: Response) => {
      const { attendance, visibleRecords } = await authorise(req);
      const summaries = attendance.sessions.map((session) => restrictSummary(reportSummary(session, attendance.meeting), session, visibleRecords));
      res.send(200, { value: summaries });
    },
    one: async (req: Request, res: Response) => {
      const { caller, attendance, visibleRecords } = await authorise(req);
      const requested = req.params['reportId'] as string;
      const asCsv = requested.endsWith(CSV_SUFFIX);
      const reportId = asCsv ? requested.slice(0, -CSV_SUFFIX.length) : requested;
      sendReport(res, await withKnownEmails(caller.tenantId, restrictRegisterReport(await reportFor(attendance, reportId), visibleRecords)), asCsv);
    },
    latest: (asCsv: boolean) => async (req: Request, res: Response) => {
      const { caller, attendance, visibleRecords } = await authorise(req);
      sendReport(res, await withKnownEmails(caller.tenantId, restrictRegisterReport(await reportFor(attendance, undefined), visibleRecords)), asCsv);
    },
  };
}
