/**
 * A class's roll-up: the registers of every session of the meetings of one chat thread (a recurring class, a
 * Meet Now started again in the same group chat), per person: sessions attended of sessions held, total time,
 * the share of the time held, and how often they had each status.
 */
import type { Participant } from './events.js';
import { STATUSES, type AttendanceStatus, type Register } from './register.js';

export interface RolledUpSession {
  meetingId: string;
  reportId: string;
  startedAt: string;
  /** The session's length in whole seconds (a live one runs to now). */
  heldSeconds: number;
  register: Register;
}

export interface RollupPerson {
  id: string;
  displayName: string | null;
  emailAddress: string | null;
  sessionsAttended: number;
  sessionsHeld: number;
  totalAttendanceInSeconds: number;
  /** Of the time held (all sessions), floored to one decimal. */
  attendancePercent: number;
  statusCounts: Record<AttendanceStatus, number>;
}

export interface ClassRollup {
  sessionsHeld: number;
  secondsHeld: number;
  people: RollupPerson[];
}

export function rollUp(sessions: readonly RolledUpSession[]): ClassRollup {
  const secondsHeld = sessions.reduce((sum, session) => sum + session.heldSeconds, 0);
  const people = new Map<string, { participant: Participant; attended: number; seconds: number; counts: Record<AttendanceStatus, number> }>();
  for (const session of sessions) {
    for (const entry of session.register.entries) {
      const known = people.get(entry.participant.key) ?? {
        participant: entry.participant,
        attended: 0,
        seconds: 0,
        counts: Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<AttendanceStatus, number>,
      };
      known.participant = { ...known.participant, ...entry.participant };
      if (entry.spans.length > 0) known.attended += 1;
      known.seconds += entry.attendedSeconds;
      known.counts[entry.status] += 1;
      people.set(entry.participant.key, known);
    }
  }
  const rows = [...people.values()].map(({ participant, attended, seconds, counts }) => ({
    id: participant.key,
    displayName: participant.displayName ?? null,
    emailAddress: participant.email ?? null,
    sessionsAttended: attended,
    sessionsHeld: sessions.length,
    totalAttendanceInSeconds: seconds,
    attendancePercent: secondsHeld === 0 ? 0 : Math.min(100, Math.floor((seconds * 1000) / secondsHeld) / 10),
    statusCounts: counts,
  }));
  rows.sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? '') || a.id.localeCompare(b.id));
  return { sessionsHeld: sessions.length, secondsHeld, people: rows };
}
