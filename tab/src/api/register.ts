/** The register's API calls: a report with its register, corrections (list, make), the rule, a class's roll-up. */
import type { Correction, CorrectionRequest } from '../../../bot/src/attendance/corrections.js';
import type { RegisterReport, ReportRule } from '../../../bot/src/attendance/registerReport.js';
import type { AttendanceRule } from '../../../bot/src/attendance/rule.js';
import type { ClassRollup } from '../../../bot/src/attendance/rollup.js';
import { ApiProblem, problemFrom } from './problems';

export type ClassRollupAnswer = ClassRollup & { meetings: { meetingId: string; meetingTitle: string | null }[]; meetingsNotShown: number };

const meetingPath = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}`;
const correctionsPath = (meetingId: string, reportId: string) => `${meetingPath(meetingId)}/attendanceReports/${encodeURIComponent(reportId)}/corrections`;

async function call<T>(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    cache: 'no-store',
  }).catch(() => {
    throw new ApiProblem('unavailable', 'The Attendance service cannot be reached. Check your connection.');
  });
  if (!response.ok) throw await problemFrom(response);
  return (await response.json()) as T;
}

export function fetchRegisterReport(meetingId: string, reportId: string, token: string): Promise<RegisterReport> {
  return call(`${meetingPath(meetingId)}/attendanceReports/${encodeURIComponent(reportId)}`, token);
}

export async function fetchCorrections(meetingId: string, reportId: string, token: string): Promise<Correction[]> {
  return (await call<{ value: Correction[] }>(correctionsPath(meetingId, reportId), token)).value;
}

export function postCorrection(meetingId: string, reportId: string, token: string, request: CorrectionRequest): Promise<Correction> {
  return call(correctionsPath(meetingId, reportId), token, { method: 'POST', body: request });
}

export function putRule(meetingId: string, token: string, rule: AttendanceRule): Promise<ReportRule> {
  return call(`${meetingPath(meetingId)}/rule`, token, { method: 'PUT', body: rule });
}

export function fetchClassRollup(chatId: string, token: string): Promise<ClassRollupAnswer> {
  return call(`/api/chats/${encodeURIComponent(chatId)}/attendance`, token);
}
