/** Loads what a meeting's register needs besides its events (roster, rule, corrections) and builds its reports. */
import type { Correction } from '../attendance/corrections.js';
import type { MeetingSession } from '../attendance/ledger.js';
import { buildRegister } from '../attendance/register.js';
import { buildRegisterReport, reportRule, type RegisterReport } from '../attendance/registerReport.js';
import type { RosterFact } from '../attendance/roster.js';
import type { AttendanceRule, RuleChange } from '../attendance/rule.js';
import type { AttendanceStore, MeetingKey } from '../store/store.js';
import { loadMeetingAttendance, type MeetingAttendance } from './meetingAttendance.js';

export interface RegisterInputs {
  roster: RosterFact[];
  ruleChange: RuleChange | undefined;
  corrections: Correction[];
}

export type MeetingRegister = MeetingAttendance & RegisterInputs;

export async function loadRegisterInputs(store: AttendanceStore, key: MeetingKey): Promise<RegisterInputs> {
  const [roster, ruleChange, corrections] = await Promise.all([store.readRoster(key), store.getRule(key), store.readCorrections(key)]);
  return { roster, ruleChange, corrections };
}

export async function loadMeetingRegister(store: AttendanceStore, key: MeetingKey): Promise<MeetingRegister> {
  const [attendance, inputs] = await Promise.all([loadMeetingAttendance(store, key), loadRegisterInputs(store, key)]);
  return { ...attendance, ...inputs };
}

/** One session's report with its register, judged by the meeting's rule (or `defaultRule`). */
export function registerReportOf(meeting: MeetingRegister, session: MeetingSession, defaultRule: AttendanceRule, now: string): RegisterReport {
  const rule = meeting.ruleChange?.rule ?? defaultRule;
  const register = buildRegister(session, meeting.roster, rule, meeting.corrections, now);
  return buildRegisterReport(session, meeting.meeting, now, register, reportRule(defaultRule, meeting.ruleChange));
}
