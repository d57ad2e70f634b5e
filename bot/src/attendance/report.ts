/**
 * Graph-shaped attendance reports (`meetingAttendanceReport` / `attendanceRecord`), so a system that
 * reads Microsoft Graph's reports can read ours. Field names are Graph's; our extras sit beside them.
 */
import { accuracyOf, basisOf, samplingUncertaintySeconds, type Accuracy, type AttendanceBasis } from './accuracy.js';
import { secondsBetween } from './duration.js';
import type { MeetingSession, ParticipantAttendance } from './ledger.js';
import type { MeetingDetails } from './meeting.js';
import { isInstantMeeting } from './meetingKinds.js';

export interface AttendanceInterval {
  joinDateTime: string;
  /** Null while the person is still in the live meeting. */
  leaveDateTime: string | null;
  durationInSeconds: number;
}

export interface AttendanceRecord {
  id: string;
  emailAddress: string | null;
  identity: { id: string; displayName: string | null; tenantId: string | null };
  role: string;
  totalAttendanceInSeconds: number;
  attendanceIntervals: AttendanceInterval[];
  /** Ours: already in the meeting when tracking began, so time before that is not counted. */
  presentBeforeTracking: boolean;
  /** Ours: in the meeting right now (live meetings only). */
  isPresent: boolean;
  /** Ours: where these figures come from (Teams events, call records, or roster samples). */
  attendanceBasis: AttendanceBasis;
}

export interface AttendanceReportSummary {
  id: string;
  totalParticipantCount: number;
  meetingStartDateTime: string;
  /** Null while the meeting is live. */
  meetingEndDateTime: string | null;
  meetingTitle: string | null;
  meetingType: string | null;
  isInstantMeeting: boolean;
  isLive: boolean;
  /** False when the app did not see the meeting start (added mid-meeting): it may have begun earlier. */
  meetingStartObserved: boolean;
}

export interface AttendanceReport extends AttendanceReportSummary {
  attendanceRecords: AttendanceRecord[];
  /** Ours: how exact the figures are, e.g. "Exact (Teams events)." or "Sampled every 30 s, ±30 s." */
  accuracy: Accuracy;
}

/** One participant's whole-second total: the sum of their (disjoint) intervals, open ones running to `now`. */
export function attendanceRecordFor(entry: ParticipantAttendance, now: string): AttendanceRecord {
  const intervals = entry.intervals.map((interval) => ({
    joinDateTime: interval.joinedAt,
    leaveDateTime: interval.leftAt ?? null,
    durationInSeconds: secondsBetween(interval.joinedAt, interval.leftAt ?? now),
  }));
  const { participant } = entry;
  return {
    id: participant.key,
    emailAddress: participant.email ?? null,
    identity: {
      id: participant.aadObjectId ?? participant.teamsUserId,
      displayName: participant.displayName ?? null,
      tenantId: participant.tenantId ?? null,
    },
    role: participant.role ?? 'Unknown',
    totalAttendanceInSeconds: intervals.reduce((sum, interval) => sum + interval.durationInSeconds, 0),
    attendanceIntervals: intervals,
    presentBeforeTracking: entry.intervals.some((interval) => interval.startedBeforeTracking),
    isPresent: entry.intervals.some((interval) => interval.leftAt === undefined),
    attendanceBasis: basisOf(entry.intervals),
  };
}

export function reportSummary(session: MeetingSession, details: MeetingDetails | undefined): AttendanceReportSummary {
  return {
    id: session.sessionId,
    totalParticipantCount: session.participants.filter((entry) => entry.intervals.length > 0).length,
    meetingStartDateTime: session.startedAt,
    meetingEndDateTime: session.endedAt ?? null,
    meetingTitle: details?.title ?? null,
    meetingType: details?.meetingType ?? null,
    isInstantMeeting: isInstantMeeting(details?.meetingType),
    isLive: session.endedAt === undefined,
    meetingStartObserved: session.startObserved,
  };
}

/**
 * A summary as a caller who may see one record only should see it: the participant count is that of the
 * records they may see (0 or 1), as in their restricted report, not everyone's.
 */
export function restrictSummary(
  summary: AttendanceReportSummary,
  session: MeetingSession,
  visibleRecordId: string | 'all',
): AttendanceReportSummary {
  if (visibleRecordId === 'all') return summary;
  const own = session.participants.some((entry) => entry.intervals.length > 0 && entry.participant.key === visibleRecordId);
  return { ...summary, totalParticipantCount: own ? 1 : 0 };
}

/** The full report, records sorted by total time (longest first), then by name. */
export function buildReport(
  session: MeetingSession,
  details: MeetingDetails | undefined,
  now: string,
): AttendanceReport {
  const attended = session.participants.filter((entry) => entry.intervals.length > 0);
  const records = attended.map((entry) => attendanceRecordFor(entry, now)).sort(byTotalThenName);
  const accuracy = accuracyOf(
    records.map((record) => record.attendanceBasis),
    samplingUncertaintySeconds(attended.flatMap((entry) => entry.intervals)),
  );
  return { ...reportSummary(session, details), attendanceRecords: records, accuracy };
}

type Ranked = Pick<AttendanceRecord, 'totalAttendanceInSeconds' | 'identity' | 'id'>;

/** The order reports (and registers) list people in: longest total first, then by name, then by id. */
export function byTotalThenName(a: Ranked, b: Ranked): number {
  return (
    b.totalAttendanceInSeconds - a.totalAttendanceInSeconds ||
    (a.identity.displayName ?? '').localeCompare(b.identity.displayName ?? '') ||
    a.id.localeCompare(b.id)
  );
}

/** Keeps only the records a caller may see (see access.ts). */
export function restrictReport(report: AttendanceReport, visibleRecordId: string | 'all'): AttendanceReport {
  if (visibleRecordId === 'all') return report;
  const records = report.attendanceRecords.filter((record) => record.id === visibleRecordId);
  const accuracy = accuracyOf(records.map((record) => record.attendanceBasis), report.accuracy.sampleIntervalSeconds);
  return { ...report, totalParticipantCount: records.length, attendanceRecords: records, accuracy };
}

/**
 * The report with each record's `emailAddress` filled in from `emails` (Entra object id, lower-case → e-mail)
 * where the events carried none. Records of anonymous guests (no Entra id) keep null.
 */
/** The part of a record the e-mails fill in: register records (with their own basis) have it too. */
export type RecordWithEmail = Pick<AttendanceRecord, 'emailAddress' | 'identity'>;

export function withEmails<R extends RecordWithEmail, T extends { attendanceRecords: R[] }>(report: T, emails: ReadonlyMap<string, string>): T {
  if (emails.size === 0) return report;
  const attendanceRecords = report.attendanceRecords.map((record) => {
    const email = record.emailAddress ?? emails.get(record.identity.id.toLowerCase());
    return email === undefined || email === record.emailAddress ? record : { ...record, emailAddress: email };
  });
  return { ...report, attendanceRecords };
}
