/** The attendance report (with its register) as CSV, one row per person, for spreadsheets and LMS imports; and a class's roll-up. */
import { basisPhrase } from './accuracy.js';
import type { Correction } from './corrections.js';
import { formatDuration } from './duration.js';
import { STATUS_LABELS } from './register.js';
import type { RegisterReport } from './registerReport.js';
import type { ClassRollup } from './rollup.js';
import type { AttendanceRecord, AttendanceReport } from './report.js';

const HEADER = ['Name', 'Email', 'Role', 'First join', 'Last leave', 'Total seconds', 'Total', 'Sessions', 'Accuracy'];
/** The register's columns, after the report's. */
const REGISTER_HEADER = ['Status', 'Attended %', 'Late by', 'Left early by', 'Corrected'];

/** The report's own columns only (the benchmark's report scenario measures this). */
export function reportToCsv(report: AttendanceReport): string {
  return toCsv([HEADER, ...report.attendanceRecords.map((record) => recordCells(record, report.accuracy.sampleIntervalSeconds))]);
}

/** What the API serves: the report's columns, then the register's; absentees after the records, with no time. */
export function registerToCsv(report: RegisterReport): string {
  const sampleSeconds = report.accuracy.sampleIntervalSeconds;
  const records = report.attendanceRecords.map((record) => {
    const basis = record.measured?.attendanceBasis ?? (record.attendanceBasis === 'corrected' ? 'events' : record.attendanceBasis);
    return [
      ...recordCells({ ...record, attendanceBasis: basis }, sampleSeconds),
      record.status,
      String(record.attendancePercent),
      record.late ? formatDuration(record.lateBySeconds) : '',
      record.leftEarly ? formatDuration(record.leftEarlyBySeconds) : '',
      correctedCell(record.attendanceBasis === 'corrected' || record.corrections.length > 0, record.corrections),
    ];
  });
  const absentees = report.absentees.map((absentee) => [
    absentee.identity.displayName ?? '',
    absentee.emailAddress ?? '',
    absentee.role,
    '',
    '',
    '0',
    formatDuration(0),
    '0',
    '',
    absentee.status,
    '0',
    '',
    '',
    correctedCell(absentee.corrections.length > 0, absentee.corrections),
  ]);
  return toCsv([[...HEADER, ...REGISTER_HEADER], ...records, ...absentees]);
}

function recordCells(record: AttendanceRecord, sampleSeconds: number): string[] {
  const intervals = record.attendanceIntervals;
  return [
    record.identity.displayName ?? '',
    record.emailAddress ?? '',
    record.role,
    intervals[0]?.joinDateTime ?? '',
    intervals.at(-1)?.leaveDateTime ?? '',
    String(record.totalAttendanceInSeconds),
    formatDuration(record.totalAttendanceInSeconds),
    String(intervals.length),
    basisPhrase(record.attendanceBasis, sampleSeconds),
  ];
}

/** "" when never corrected; else "yes: " and each correction, oldest first: what, why, by whom and when. */
function correctedCell(corrected: boolean, corrections: readonly Correction[]): string {
  if (!corrected) return '';
  const described = corrections.map((correction) => `${correction.action}: ${correction.reason} (${correction.by.displayName ?? correction.by.id}, ${correction.at})`);
  return ['yes', ...described].join('; ');
}

function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting, and a leading apostrophe so spreadsheets never run a name as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const ROLLUP_HEADER = ['Name', 'Email', 'Sessions attended', 'Sessions held', 'Total seconds', 'Total', 'Attended % of time held', ...STATUS_LABELS.map(([, title]) => title)];

/** A class's roll-up, one row per person. */
export function rollupToCsv(rollup: ClassRollup): string {
  const rows = rollup.people.map((person) => [
    person.displayName ?? '',
    person.emailAddress ?? '',
    String(person.sessionsAttended),
    String(person.sessionsHeld),
    String(person.totalAttendanceInSeconds),
    formatDuration(person.totalAttendanceInSeconds),
    String(person.attendancePercent),
    ...STATUS_LABELS.map(([status]) => String(person.statusCounts[status])),
  ]);
  return toCsv([ROLLUP_HEADER, ...rows]);
}
