/** The attendance report as CSV, one row per participant, for spreadsheets and LMS imports. */
import { basisPhrase } from './accuracy.js';
import { formatDuration } from './duration.js';
import type { AttendanceReport } from './report.js';

const HEADER = ['Name', 'Email', 'Role', 'First join', 'Last leave', 'Total seconds', 'Total', 'Sessions', 'Accuracy'];

export function reportToCsv(report: AttendanceReport): string {
  const rows = report.attendanceRecords.map((record) => {
    const intervals = record.attendanceIntervals;
    const lastLeave = intervals.at(-1)?.leaveDateTime ?? '';
    return [
      record.identity.displayName ?? '',
      record.emailAddress ?? '',
      record.role,
      intervals[0]?.joinDateTime ?? '',
      lastLeave,
      String(record.totalAttendanceInSeconds),
      formatDuration(record.totalAttendanceInSeconds),
      String(intervals.length),
      basisPhrase(record.attendanceBasis, report.accuracy.sampleIntervalSeconds),
    ];
  });
  return [HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting, and a leading apostrophe so spreadsheets never run a name as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
