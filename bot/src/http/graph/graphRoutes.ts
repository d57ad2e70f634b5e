/**
 * The Graph-compatible read paths, so an LMS that reads attendance from Microsoft Graph reads ours by changing
 * its base URL and token scope only:
 *   GET /v1.0/users/{id or UPN}                                            a person the app has seen
 *   GET /v1.0/users/{u}/onlineMeetings?$filter=JoinWebUrl eq '…'           (or joinMeetingIdSettings/joinMeetingId)
 *   GET /v1.0/users/{u}/onlineMeetings/{meetingId}
 *   GET /v1.0/users/{u}/onlineMeetings/{meetingId}/attendanceReports       records listed empty, as Graph does
 *   GET /v1.0/users/{u}/onlineMeetings/{meetingId}/attendanceReports/{reportId}[?$expand=attendanceRecords]
 *   GET /v1.0/users/{u}/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords[?$top=…]
 * and the same under /v1.0/me for user tokens. Access: graphMeetingAccess.ts; errors: graphErrors.ts.
 */
import type { Request, Response, Server } from 'restify';
import { tenantReadPermission } from '../../attendance/access.js';
import type { MeetingSession } from '../../attendance/ledger.js';
import { onlineMeetingResource } from '../../attendance/onlineMeeting.js';
import { buildReport, reportSummary, restrictReport, restrictSummary, type AttendanceReport } from '../../attendance/report.js';
import { badRequest, forbidden } from '../../errors.js';
import { loadMeetingAttendance } from '../../meetings/meetingAttendance.js';
import { reportWithEmails } from '../../meetings/participantEmails.js';
import type { MeetingReadDeps } from '../routes/meetingAccess.js';
import { assignRequestId, itemNotFound, sendGraphError } from './graphErrors.js';
import {
  authoriseGraphMeetingRead,
  authoriseRead,
  namesOrganizer,
  requireUserForMe,
  userSegmentOf,
  type GraphMeetingRead,
  type UserSegment,
} from './graphMeetingAccess.js';
import { expandsRecords, filterAlias, originOf, paging, queryOption, sameRequestWith } from './graphQuery.js';

export interface GraphRouteDeps extends MeetingReadDeps {
  now: () => Date;
}

type Handler = (req: Request, res: Response) => Promise<void>;

const USER_PREFIXES = ['/v1.0/users/:userId', '/v1.0/me'] as const;

export function mountGraphRoutes(server: Server, deps: GraphRouteDeps): void {
  const handle = (route: string, handler: Handler) => async (req: Request, res: Response) => {
    const requestId = assignRequestId(req, res);
    try {
      await handler(req, res);
    } catch (error) {
      sendGraphError(req, res, route, requestId, error, deps.logger);
    }
  };
  const routes = graphHandlers(deps);
  server.get('/v1.0/users/:userId', handle('graph.user', routes.user));
  server.get('/v1.0/me', handle('graph.user', routes.user));
  for (const prefix of USER_PREFIXES) {
    const meetings = `${prefix}/onlineMeetings`;
    server.get(meetings, handle('graph.meetings.list', routes.meetings));
    server.get(`${meetings}/:meetingId`, handle('graph.meetings.one', routes.meeting));
    server.get(`${meetings}/:meetingId/attendanceReports`, handle('graph.reports.list', routes.reports));
    server.get(`${meetings}/:meetingId/attendanceReports/:reportId`, handle('graph.reports.one', routes.report));
    server.get(`${meetings}/:meetingId/attendanceReports/:reportId/attendanceRecords`, handle('graph.records.list', routes.records));
  }
}

function graphHandlers(deps: GraphRouteDeps) {
  const now = () => deps.now().toISOString();

  return {
    user: async (req: Request, res: Response) => {
      const caller = await deps.authenticate(req);
      const segment = userSegmentOf(req);
      requireUserForMe(caller, segment);
      if (caller.kind === 'app') {
        const permission = tenantReadPermission(caller);
        if (!permission.allowed) throw forbidden(permission.reason);
      }
      const named = segment.kind === 'me' ? (caller as { objectId: string }).objectId : segment.idOrUpn;
      const person = await deps.store.findPerson(caller.tenantId, named);
      if (!person && segment.kind === 'user') throw itemNotFound(`No user '${named}' has been seen by the Attendance app in your tenant.`);
      res.send(200, {
        '@odata.context': `${originOf(req)}/v1.0/$metadata#users/$entity`,
        id: person?.id ?? named,
        displayName: person?.displayName ?? null,
        userPrincipalName: person?.userPrincipalName ?? null,
        mail: person?.mail ?? null,
      });
    },

    meetings: async (req: Request, res: Response) => {
      const caller = await deps.authenticate(req);
      const segment = userSegmentOf(req);
      requireUserForMe(caller, segment);
      const filter = queryOption(req, '$filter');
      if (filter === undefined) {
        throw badRequest("Listing online meetings needs a $filter: JoinWebUrl eq '<join link>' or joinMeetingIdSettings/joinMeetingId eq '<code>'.");
      }
      const alias = filterAlias(filter);
      const key = alias ? await deps.store.findMeetingByAlias(caller.tenantId, alias) : undefined;
      const found = key ? await loadMeetingAttendance(deps.store, key) : undefined;
      const context = `${usersContext(req, segment, caller)}/onlineMeetings`;
      if (!found?.meeting || !(await namesOrganizer(deps, segment, found.meeting))) {
        res.send(200, { '@odata.context': context, value: [] });
        return;
      }
      const { attendance } = authoriseRead(deps, caller, { ...found, meeting: found.meeting });
      res.send(200, { '@odata.context': context, value: [await onlineMeetingOf(deps, attendance.meeting, attendance.sessions)] });
    },

    meeting: async (req: Request, res: Response) => {
      const read = await authoriseGraphMeetingRead(deps, req);
      const { meeting, sessions } = read.attendance;
      res.send(200, {
        '@odata.context': `${usersContext(req, read.segment, read.caller)}/onlineMeetings/$entity`,
        ...(await onlineMeetingOf(deps, meeting, sessions)),
      });
    },

    reports: async (req: Request, res: Response) => {
      const read = await authoriseGraphMeetingRead(deps, req);
      const { meeting, sessions } = read.attendance;
      const value = sessions.map((session) => ({
        ...restrictSummary(reportSummary(session, meeting), session, read.visibleRecords),
        attendanceRecords: [],
      }));
      res.send(200, { '@odata.context': `${meetingContext(req, read)}/attendanceReports`, value });
    },

    report: async (req: Request, res: Response) => {
      const read = await authoriseGraphMeetingRead(deps, req);
      const session = sessionOf(read, req);
      const { attendanceRecords, ...summary } = await reportOf(deps, read, session, now());
      res.send(200, {
        '@odata.context': `${meetingContext(req, read)}/attendanceReports('${escapeKey(session.sessionId)}')`,
        ...summary,
        ...(expandsRecords(req) ? { attendanceRecords } : {}),
      });
    },

    records: async (req: Request, res: Response) => {
      const read = await authoriseGraphMeetingRead(deps, req);
      const session = sessionOf(read, req);
      const { top, skip } = paging(req);
      const records = (await reportOf(deps, read, session, now())).attendanceRecords;
      const page = records.slice(skip, skip + top);
      const more = skip + top < records.length;
      res.send(200, {
        '@odata.context': `${meetingContext(req, read)}/attendanceReports('${escapeKey(session.sessionId)}')/attendanceRecords`,
        value: page,
        ...(more ? { '@odata.nextLink': sameRequestWith(req, { $top: String(top), $skiptoken: String(skip + top) }) } : {}),
      });
    },
  };
}

/** The Graph onlineMeeting of a record, with the organizer's name when the app knows it. */
async function onlineMeetingOf(deps: MeetingReadDeps, meeting: GraphMeetingRead['attendance']['meeting'], sessions: readonly MeetingSession[]) {
  const organizer = meeting.organizerAadObjectId ? await deps.store.findPerson(meeting.tenantId, meeting.organizerAadObjectId) : undefined;
  const upn = meeting.organizerUpn ?? organizer?.userPrincipalName;
  return onlineMeetingResource(upn ? { ...meeting, organizerUpn: upn } : meeting, sessions, organizer?.displayName);
}

/** The session's report as the caller may see it, with the e-mails the app has learnt. */
function reportOf(deps: GraphRouteDeps, read: GraphMeetingRead, session: MeetingSession, now: string): Promise<AttendanceReport> {
  const report = restrictReport(buildReport(session, read.attendance.meeting, now), read.visibleRecords);
  return reportWithEmails(deps.store, read.caller.tenantId, report, deps.logger);
}

function sessionOf(read: GraphMeetingRead, req: Request): MeetingSession {
  const reportId = req.params['reportId'] as string;
  const session = read.attendance.sessions.find((candidate) => candidate.sessionId === reportId);
  if (!session) throw itemNotFound('This online meeting has no attendance report with that id. List them at …/attendanceReports.');
  return session;
}

/** `{origin}/v1.0/$metadata#users('{u}')`, as Graph writes it (for /me, the caller's object id). */
function usersContext(req: Request, segment: UserSegment, caller: GraphMeetingRead['caller']): string {
  const user = segment.kind === 'user' ? segment.idOrUpn : caller.kind === 'user' ? caller.objectId : '';
  return `${originOf(req)}/v1.0/$metadata#users('${escapeKey(user)}')`;
}

function meetingContext(req: Request, read: GraphMeetingRead & { segment: UserSegment }): string {
  const id = read.attendance.meeting.onlineMeetingId ?? read.attendance.meeting.meetingId;
  return `${usersContext(req, read.segment, read.caller)}/onlineMeetings('${escapeKey(id)}')`;
}

/** An OData key literal: a quote doubled. */
function escapeKey(value: string): string {
  return value.replace(/'/g, "''");
}
