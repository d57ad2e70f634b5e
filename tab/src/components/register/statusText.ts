/** How the register's statuses read in the panel, in the order a teacher reads a register. */
import type { AttendanceStatus } from '../../../../bot/src/attendance/register.js';
import type { CorrectionAction } from '../../../../bot/src/attendance/corrections.js';

export const STATUS_LABELS: [AttendanceStatus, string][] = [
  ['present', 'Present'],
  ['late', 'Late'],
  ['leftEarly', 'Left early'],
  ['partial', 'Partial'],
  ['absent', 'Absent'],
  ['excused', 'Excused'],
];

export const statusLabel = (status: AttendanceStatus): string => STATUS_LABELS.find(([candidate]) => candidate === status)?.[1] ?? status;

export const ACTION_LABELS: Record<CorrectionAction, string> = {
  markPresent: 'Mark present',
  markAbsent: 'Mark absent',
  excuse: 'Excuse',
  addInterval: 'Add time they were there',
  removeInterval: 'Remove time',
  undo: 'Undo a correction',
};

/** "Present 18 · Late 3 · Absent 4": statuses nobody has are left out. */
export function countsText(counts: Record<AttendanceStatus, number>): string {
  return STATUS_LABELS.filter(([status]) => counts[status] > 0)
    .map(([status, label]) => `${label} ${counts[status]}`)
    .join(' · ');
}
