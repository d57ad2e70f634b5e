/**
 * Changing a meeting's register, for its organizer and presenters (attendance/access.ts):
 *   PUT  /api/meetings/{meetingId}/rule                                       the meeting's rule
 *   POST /api/meetings/{meetingId}/attendanceReports/{reportId}/corrections   a correction (201)
 *   GET  /api/meetings/{meetingId}/attendanceReports/{reportId}/corrections   the trail (all of it, or the caller's own)
 * A correction is checked against the session and its register before it is appended; nothing is ever edited.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { correctionPermission, type Caller } from '../../attendance/access.js';
import { correctionOrder, correctionProblem, type Correction } from '../../attendance/corrections.js';
import type { MeetingSession } from '../../attendance/ledger.js';
import { buildRegister } from '../../attendance/register.js';
import { reportRule } from '../../attendance/registerReport.js';
import type { RosterFact } from '../../attendance/roster.js';
import type { AttendanceRule } from '../../attendance/rule.js';
import { badRequest, forbidden, reportNotFound } from '../../errors.js';
import type { MeetingAttendance } from '../../meetings/meetingAttendance.js';
import { loadRegisterInputs } from '../../meetings/meetingRegister.js';
import { registerChanged, type RegisterChangedListener } from '../../meetings/registerChanged.js';
import { parseCorrection, parseRule } from './registerBodies.js';
import { authenticateAndLoad, authoriseMeetingRead, describeCaller, type MeetingReadDeps } from './meetingAccess.js';

export interface RegisterRouteDeps extends MeetingReadDeps {
  now: () => Date;
  defaultRule: AttendanceRule;
  onRegisterChanged?: RegisterChangedListener;
}

export function registerEditRoutes(deps: RegisterRouteDeps) {
  /** The caller, allowed to change this meeting's register, and the meeting. */
  async function authoriseEdit(req: Request, what: string): Promise<{ caller: Extract<Caller, { kind: 'user' }>; attendance: MeetingAttendance }> {
    const { caller, attendance } = await authenticateAndLoad(deps, req);
    const permission = correctionPermission(caller, attendance.meeting, attendance.sessions);
    if (!permission.allowed || caller.kind !== 'user') {
      const reason = permission.allowed ? 'not a person' : permission.reason;
      deps.logger.warn({ meetingId: req.params['meetingId'] as string, caller: describeCaller(caller), reason }, `${what} refused`);
      throw forbidden(reason);
    }
    return { caller, attendance };
  }

  function sessionOf(attendance: MeetingAttendance, req: Request): MeetingSession {
    const session = attendance.sessions.find((candidate) => candidate.sessionId === req.params['reportId']);
    if (!session) throw reportNotFound();
    return session;
  }

  return {
    putRule: async (req: Request, res: Response) => {
      const { caller, attendance } = await authoriseEdit(req, 'rule change');
      const rule = parseRule(req.body);
      const key = { tenantId: caller.tenantId, meetingId: req.params['meetingId'] as string };
      const { roster } = await loadRegisterInputs(deps.store, key);
      const change = { rule, changedBy: personOf(caller, attendance.sessions, roster), changedAt: deps.now().toISOString() };
      await deps.store.saveRule(key, change);
      await registerChanged(deps, { ...key, reportIds: attendance.sessions.map((session) => session.sessionId), cause: 'rule' });
      res.send(200, reportRule(deps.defaultRule, change));
    },

    postCorrection: async (req: Request, res: Response) => {
      const { caller, attendance } = await authoriseEdit(req, 'correction');
      const session = sessionOf(attendance, req);
      const request = parseCorrection(req.body);
      const key = { tenantId: caller.tenantId, meetingId: req.params['meetingId'] as string };
      const inputs = await loadRegisterInputs(deps.store, key);
      const now = deps.now().toISOString();
      const register = buildRegister(session, inputs.roster, inputs.ruleChange?.rule ?? deps.defaultRule, inputs.corrections, now);
      const span = { from: Date.parse(session.startedAt), to: Date.parse(session.endedAt ?? now) };
      const people = new Set(register.entries.map((entry) => entry.participant.key));
      const earlier = inputs.corrections.filter((correction) => correction.reportId === session.sessionId);
      const problem = correctionProblem(request, span, people, earlier);
      if (problem) throw badRequest(`The correction cannot be made: ${problem}.`);
      const correction: Correction = {
        ...request,
        id: randomUUID(),
        tenantId: key.tenantId,
        meetingId: key.meetingId,
        reportId: session.sessionId,
        by: personOf(caller, attendance.sessions, inputs.roster),
        at: now,
      };
      await deps.store.appendCorrection(correction);
      deps.logger.info(
        { meetingId: key.meetingId, reportId: session.sessionId, correctionId: correction.id, action: correction.action, caller: describeCaller(caller) },
        'correction stored',
      );
      await registerChanged(deps, { ...key, reportIds: [session.sessionId], cause: 'correction' });
      res.send(201, correction);
    },

    listCorrections: async (req: Request, res: Response) => {
      const { caller, attendance, visibleRecords } = await authoriseMeetingRead(deps, req, 'corrections');
      const session = sessionOf(attendance, req);
      const { corrections } = await loadRegisterInputs(deps.store, { tenantId: caller.tenantId, meetingId: req.params['meetingId'] as string });
      const value = corrections
        .filter((correction) => correction.reportId === session.sessionId)
        .filter((correction) => visibleRecords === 'all' || correction.participantId === visibleRecords)
        .sort(correctionOrder);
      res.send(200, { value });
    },
  };
}

/** Who made a change: the caller's object id, and the name Teams gave them in the meeting or its chat, when known. */
function personOf(caller: Extract<Caller, { kind: 'user' }>, sessions: readonly MeetingSession[], roster: readonly RosterFact[]): Correction['by'] {
  const known = [...sessions.flatMap((session) => session.participants.map((entry) => entry.participant)), ...roster.map((fact) => fact.participant)];
  const displayName = known.find((participant) => participant.aadObjectId === caller.objectId && participant.displayName)?.displayName ?? null;
  return { id: caller.objectId, displayName };
}
