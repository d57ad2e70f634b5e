/**
 * The attendance summary card: meeting facts, the register's counts (present, late, left early, partial,
 * absent, excused) and the first absent names, then one line per participant (longest total first) with their
 * status. Rows are laid out column by column, and absent names capped, so the card stays well below Teams'
 * ~28 KB card limit even with 1,000 participants or 300 absentees (tested).
 */
import type { Attachment } from 'botbuilder';
import { formatDuration } from '../../attendance/duration.js';
import { meetingTypeLabel } from '../../attendance/meetingKinds.js';
import { STATUS_LABELS, type AttendanceStatus } from '../../attendance/register.js';
import type { RegisterReport } from '../../attendance/registerReport.js';
import { cardDateTime, cardTime } from './cardTime.js';
import { renderCard } from './renderCard.js';

/** Rows shown in chat; the full list is in the report API and its CSV. */
export const CARD_ROW_LIMIT = 50;
/** Absent people named in chat; the rest are counted. */
export const CARD_ABSENT_NAME_LIMIT = 20;

const LABEL = Object.fromEntries(STATUS_LABELS) as Record<AttendanceStatus, string>;

/** One column of the table: its header, then one single-line TextBlock per row (few properties: size matters). */
const column = (header: string, field: string, width: 'stretch' | 'auto', align?: 'Right') => ({
  type: 'Column',
  width,
  items: [
    { type: 'TextBlock', text: header, weight: 'Bolder', ...(align ? { horizontalAlignment: align } : {}) },
    { type: 'TextBlock', $data: '${rows}', text: `\${${field}}`, ...(align ? { horizontalAlignment: align } : {}) },
  ],
});

const REPORT_TEMPLATE = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  msteams: { width: 'Full' },
  body: [
    { type: 'TextBlock', text: 'Attendance: ${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${typeLabel}', isSubtle: true, spacing: 'None', wrap: true },
    { type: 'TextBlock', text: '${period}', spacing: 'Small', wrap: true },
    { type: 'TextBlock', text: '${accuracy}', isSubtle: true, wrap: true, spacing: 'Small' },
    { type: 'TextBlock', $when: '${counts != ""}', text: '${counts}', weight: 'Bolder', wrap: true, spacing: 'Medium' },
    { type: 'TextBlock', $when: '${absentNames != ""}', text: '${absentNames}', wrap: true, spacing: 'Small' },
    { type: 'TextBlock', text: '${rule}', isSubtle: true, wrap: true, spacing: 'Small' },
    { type: 'TextBlock', $when: '${notes != ""}', text: '${notes}', wrap: true, color: 'Warning', spacing: 'Small' },
    {
      type: 'ColumnSet',
      spacing: 'Medium',
      $when: '${count(rows) > 0}',
      columns: [
        column('Name', 'name', 'stretch'),
        column('Status', 'status', 'auto'),
        column('Total', 'total', 'auto', 'Right'),
        column('Sessions', 'sessions', 'auto', 'Right'),
        column('First join', 'firstJoin', 'auto'),
        column('Last leave', 'lastLeave', 'auto'),
      ],
    },
    { type: 'TextBlock', $when: '${count(rows) == 0}', text: 'Nobody has attended yet.', isSubtle: true },
    { type: 'TextBlock', $when: '${more > 0}', text: '${moreText}', isSubtle: true, wrap: true },
  ],
};

export function reportCard(report: RegisterReport): Attachment {
  const shown = report.attendanceRecords.slice(0, CARD_ROW_LIMIT);
  const more = report.attendanceRecords.length - shown.length;
  return renderCard(REPORT_TEMPLATE, {
    title: report.meetingTitle ?? 'this meeting',
    typeLabel: `${meetingTypeLabel(report.meetingType ?? undefined)} · ${report.totalParticipantCount} participant${report.totalParticipantCount === 1 ? '' : 's'}`,
    period: report.meetingEndDateTime
      ? `${cardDateTime(report.meetingStartDateTime)} – ${cardTime(report.meetingEndDateTime)}`
      : `Started ${cardDateTime(report.meetingStartDateTime)} · in progress`,
    accuracy: `Accuracy: ${report.accuracy.statement}`,
    notes: reportNotes(report).join(' '),
    // A status nobody has is left out of the counts line.
    counts: STATUS_LABELS.filter(([status]) => report.statusCounts[status] > 0)
      .map(([status, label]) => `${label} ${report.statusCounts[status]}`)
      .join(' · '),
    absentNames: absentNames(report),
    rule: `Rule: present at ${report.rule.presentPercent} % of the session or more; late after ${report.rule.lateAfterMinutes} min; left early more than ${report.rule.leftEarlyMinutes} min before the end.`,
    rows: shown.map((record) => {
      const intervals = record.attendanceIntervals;
      const lastLeave = intervals.at(-1)?.leaveDateTime;
      return {
        name: `${record.identity.displayName ?? 'Unknown participant'}${record.presentBeforeTracking ? ' *' : ''}`,
        status: `${LABEL[record.status]}${record.attendanceBasis === 'corrected' ? ' †' : ''}`,
        total: formatDuration(record.totalAttendanceInSeconds),
        sessions: String(intervals.length),
        firstJoin: intervals[0] ? cardTime(intervals[0].joinDateTime) : '',
        lastLeave: lastLeave ? cardTime(lastLeave) : 'present',
      };
    }),
    more,
    moreText: `…and ${more} more participant${more === 1 ? '' : 's'}. The full list is in the attendance report API and its CSV.`,
  });
}

/** "Absent (4): Dan Student, …": the first names, then how many more; nothing when nobody is absent. */
function absentNames(report: RegisterReport): string {
  const absent = report.absentees.filter((absentee) => absentee.status === 'absent');
  if (absent.length === 0) return '';
  const names = absent.slice(0, CARD_ABSENT_NAME_LIMIT).map((absentee) => absentee.identity.displayName ?? absentee.emailAddress ?? 'Unknown member');
  const more = absent.length - names.length;
  return `Absent (${absent.length}): ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}

function reportNotes(report: RegisterReport): string[] {
  const notes: string[] = [];
  if (report.isInstantMeeting) {
    notes.push("Instant meeting: Teams' and Microsoft Graph's attendance reports do not cover it; these figures are this app's own.");
  }
  if (!report.meetingStartObserved) {
    notes.push(`Recording began at ${cardTime(report.meetingStartDateTime)}, after the meeting started.`);
  }
  if (report.attendanceRecords.some((record) => record.presentBeforeTracking)) {
    notes.push('* was already in the meeting when recording began: earlier time is not counted.');
  }
  if (report.attendanceRecords.some((record) => record.attendanceBasis === 'corrected')) {
    notes.push('† corrected by the organizer or a presenter; the reasons are in the report and its CSV.');
  }
  return notes;
}
