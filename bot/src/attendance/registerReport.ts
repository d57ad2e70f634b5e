/**
 * The attendance report with the register in it (our /api/meetings/… reports): each record gains its status
 * under the meeting's rule, its flags and percentage, and its corrections; the report gains the rule, the
 * count of each status and the absentees (on the roster, never present, or excused). Where corrections
 * changed a record, its figures are the corrected ones (`attendanceBasis: "corrected"`) and `measured` keeps
 * what was recorded. Graph's fields keep Graph's meaning: records are the people who attended.
 */
import { accuracyOf } from './accuracy.js';
import type { Correction } from './corrections.js';
import type { Span } from './intervals.js';
import type { MeetingSession } from './ledger.js';
import type { MeetingDetails } from './meeting.js';
import type { Register, RegisterEntry, AttendanceStatus, Standing } from './register.js';
import { STATUSES } from './register.js';
import { attendanceRecordFor, buildReport, byTotalThenName, type AttendanceInterval, type AttendanceRecord, type AttendanceReport } from './report.js';
import type { AttendanceRule, RuleChange } from './rule.js';

/** A record's register figures: the register's standing of the person, without their spans and seconds. */
type StatusFields = Pick<Standing, 'status' | 'attendancePercent' | 'late' | 'lateBySeconds' | 'leftEarly' | 'leftEarlyBySeconds'>;

export interface RegisterRecord extends Omit<AttendanceRecord, 'attendanceBasis'>, StatusFields {
  attendanceBasis: AttendanceRecord['attendanceBasis'] | 'corrected';
  corrections: Correction[];
  /** Present when corrections changed the figures: what was recorded, before them. */
  measured?: Pick<AttendanceRecord, 'totalAttendanceInSeconds' | 'attendanceIntervals' | 'attendanceBasis'> & StatusFields;
}

export interface Absentee {
  id: string;
  emailAddress: string | null;
  identity: AttendanceRecord['identity'];
  role: string;
  status: 'absent' | 'excused';
  corrections: Correction[];
}

/** The rule a report was judged by: the meeting's own (with who set it), or the server's default. */
export type ReportRule = AttendanceRule & ({ source: 'default' } | ({ source: 'meeting' } & Omit<RuleChange, 'rule'>));

export interface RegisterReport extends Omit<AttendanceReport, 'attendanceRecords'> {
  attendanceRecords: RegisterRecord[];
  absentees: Absentee[];
  rule: ReportRule;
  statusCounts: Record<AttendanceStatus, number>;
}

export function reportRule(rule: AttendanceRule, change: RuleChange | undefined): ReportRule {
  return change ? { ...change.rule, source: 'meeting', changedBy: change.changedBy, changedAt: change.changedAt } : { ...rule, source: 'default' };
}

export function buildRegisterReport(
  session: MeetingSession,
  details: MeetingDetails | undefined,
  now: string,
  register: Register,
  rule: ReportRule,
): RegisterReport {
  const base = buildReport(session, details, now);
  const measuredRecords = new Map(base.attendanceRecords.map((record) => [record.id, record]));
  const records: RegisterRecord[] = [];
  const absentees: Absentee[] = [];
  for (const entry of register.entries) {
    const attended = measuredRecords.get(entry.participant.key);
    const measured = attended ?? attendanceRecordFor({ participant: entry.participant, intervals: [] }, now);
    // Graph's meaning: whoever attended is a record, whatever a correction says; the others are absentees.
    if (!attended && entry.spans.length === 0 && (entry.status === 'absent' || entry.status === 'excused')) {
      absentees.push({
        id: measured.id,
        emailAddress: measured.emailAddress,
        identity: measured.identity,
        role: measured.role,
        status: entry.status,
        corrections: entry.corrections,
      });
    } else records.push(recordOf(entry, measured, now));
  }
  records.sort(byTotalThenName);
  return {
    ...base,
    totalParticipantCount: records.length,
    attendanceRecords: records,
    absentees,
    rule,
    statusCounts: countsOf([...records, ...absentees]),
  };
}

function recordOf(entry: RegisterEntry, measured: AttendanceRecord, now: string): RegisterRecord {
  const record: RegisterRecord = { ...measured, ...statusFields(entry), corrections: entry.corrections };
  if (!entry.corrected) return record;
  const intervals = intervalsOf(entry.spans, measured, now);
  return {
    ...record,
    attendanceBasis: 'corrected',
    totalAttendanceInSeconds: intervals.reduce((sum, interval) => sum + interval.durationInSeconds, 0),
    attendanceIntervals: intervals,
    isPresent: intervals.some((interval) => interval.leaveDateTime === null),
    measured: {
      totalAttendanceInSeconds: measured.totalAttendanceInSeconds,
      attendanceIntervals: measured.attendanceIntervals,
      attendanceBasis: measured.attendanceBasis,
      ...statusFields(entry.measured),
    },
  };
}

/** Corrected spans as Graph's intervals; a span still running (live, still there: to now or later) stays open. */
function intervalsOf(spans: readonly Span[], measured: AttendanceRecord, now: string): AttendanceInterval[] {
  const stillThere = measured.attendanceIntervals.some((interval) => interval.leaveDateTime === null);
  const nowMs = Date.parse(now);
  return spans.map((span) => ({
    joinDateTime: new Date(span.from).toISOString(),
    leaveDateTime: stillThere && span.to >= nowMs ? null : new Date(span.to).toISOString(),
    durationInSeconds: Math.floor((span.to - span.from) / 1000),
  }));
}

function statusFields(standing: Standing): StatusFields {
  const { status, attendancePercent, late, lateBySeconds, leftEarly, leftEarlyBySeconds } = standing;
  return { status, attendancePercent, late, lateBySeconds, leftEarly, leftEarlyBySeconds };
}

function countsOf(people: readonly { status: AttendanceStatus }[]): Record<AttendanceStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<AttendanceStatus, number>;
  for (const person of people) counts[person.status] += 1;
  return counts;
}

/** What a caller who may see one person only sees: their record or absence, and counts of that alone. */
export function restrictRegisterReport(report: RegisterReport, visibleRecordId: string | 'all'): RegisterReport {
  if (visibleRecordId === 'all') return report;
  const records = report.attendanceRecords.filter((record) => record.id === visibleRecordId);
  const absentees = report.absentees.filter((absentee) => absentee.id === visibleRecordId);
  return {
    ...report,
    totalParticipantCount: records.length,
    attendanceRecords: records,
    absentees,
    statusCounts: countsOf([...records, ...absentees]),
    accuracy: accuracyOf(records.map((record) => record.measured?.attendanceBasis ?? record.attendanceBasis as AttendanceRecord['attendanceBasis']), report.accuracy.sampleIntervalSeconds),
  };
}
