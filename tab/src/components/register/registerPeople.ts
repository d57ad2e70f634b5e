/** The register's people as the panel lists them: those who attended (records) and those who did not (absentees). */
import type { Correction } from '../../../../bot/src/attendance/corrections.js';
import type { AttendanceStatus } from '../../../../bot/src/attendance/register.js';
import type { RegisterReport } from '../../../../bot/src/attendance/registerReport.js';

export interface RegisterPerson {
  id: string;
  name: string;
  status: AttendanceStatus;
  attendancePercent: number;
  totalSeconds: number;
  lateBySeconds: number;
  leftEarlyBySeconds: number;
  corrected: boolean;
  corrections: Correction[];
}

export function registerPeople(report: RegisterReport): RegisterPerson[] {
  const attended = report.attendanceRecords.map((record) => ({
    id: record.id,
    name: record.identity.displayName ?? record.emailAddress ?? 'Unknown participant',
    status: record.status,
    attendancePercent: record.attendancePercent,
    totalSeconds: record.totalAttendanceInSeconds,
    lateBySeconds: record.lateBySeconds,
    leftEarlyBySeconds: record.leftEarlyBySeconds,
    corrected: record.attendanceBasis === 'corrected',
    corrections: record.corrections,
  }));
  const absent = report.absentees.map((absentee) => ({
    id: absentee.id,
    name: absentee.identity.displayName ?? absentee.emailAddress ?? 'Unknown member',
    status: absentee.status,
    attendancePercent: 0,
    totalSeconds: 0,
    lateBySeconds: 0,
    leftEarlyBySeconds: 0,
    corrected: absentee.corrections.length > 0,
    corrections: absentee.corrections,
  }));
  return [...attended, ...absent].sort((a, b) => a.name.localeCompare(b.name));
}

/** The corrections of a person still in force (not undos, not undone): those an undo may name. */
export function undoable(corrections: readonly Correction[]): Correction[] {
  const undone = new Set(corrections.filter((correction) => correction.action === 'undo').map((correction) => correction.correctionId));
  return corrections.filter((correction) => correction.action !== 'undo' && !undone.has(correction.id));
}
