/**
 * The register of one session: (session, roster, rule, corrections) → each expected or attending person's
 * status. Pure; every figure in whole seconds, so the rule's boundaries hold exactly to the second.
 *
 * Status, the first that applies: excused (only by a correction), absent (never present), partial (present
 * under the rule's percentage), late, leftEarly, else present. `late` and `leftEarly` are also flags of
 * their own. A person's time before tracking began never makes them late.
 */
import { applyCorrections, correctionOrder, type Correction, type StatusOverride } from './corrections.js';
import type { Participant } from './events.js';
import { clippedTo, wholeSecondsOf, type Span } from './intervals.js';
import type { MeetingSession, ParticipantAttendance } from './ledger.js';
import { isBot, rosterAsOf, type RosterFact } from './roster.js';
import type { AttendanceRule } from './rule.js';

export const STATUSES = ['excused', 'absent', 'partial', 'late', 'leftEarly', 'present'] as const;
export type AttendanceStatus = (typeof STATUSES)[number];

/** Each status as people read it, in the order a teacher reads a register (the card's counts, the CSV's columns). */
export const STATUS_LABELS: readonly (readonly [AttendanceStatus, string])[] = [
  ['present', 'Present'],
  ['late', 'Late'],
  ['leftEarly', 'Left early'],
  ['partial', 'Partial'],
  ['absent', 'Absent'],
  ['excused', 'Excused'],
];

/** One person's figures under the rule. */
export interface Standing {
  status: AttendanceStatus;
  attendedSeconds: number;
  /** Of the time they were expected, floored to one decimal (so it never shows more than the rule saw). */
  attendancePercent: number;
  late: boolean;
  /** How long after they were expected they first joined, when late; else 0. */
  lateBySeconds: number;
  leftEarly: boolean;
  /** How long before the end they last left, when they left early; else 0. */
  leftEarlyBySeconds: number;
  /** Their time in the session, sorted and disjoint. */
  spans: Span[];
}

export interface RegisterEntry extends Standing {
  participant: Participant;
  /** On the roster (expected); false for someone who attended without being a member. */
  onRoster: boolean;
  /** From when they were expected: the session's start, or later when they joined the roster during it. */
  expectedFrom: string;
  /** The figures before any correction. */
  measured: Standing;
  /** Corrections in force changed their figures or status. */
  corrected: boolean;
  /** Every correction of this person in this session, undos and undone ones included, oldest first. */
  corrections: Correction[];
}

export interface Register {
  reportId: string;
  rule: AttendanceRule;
  counts: Record<AttendanceStatus, number>;
  entries: RegisterEntry[];
}

interface Window {
  start: number;
  end: number;
  ended: boolean;
}

export function buildRegister(
  session: MeetingSession,
  roster: readonly RosterFact[],
  rule: AttendanceRule,
  corrections: readonly Correction[],
  now: string,
): Register {
  const window: Window = {
    start: Date.parse(session.startedAt),
    end: session.endedAt ? Date.parse(session.endedAt) : liveEnd(session, now),
    ended: session.endedAt !== undefined,
  };
  const expected = rosterAsOf(roster, window.end);
  const attended = new Map(
    session.participants.filter((entry) => entry.intervals.length > 0 && !isBot(entry.participant)).map((entry) => [entry.participant.key, entry]),
  );
  const mine = corrections.filter((correction) => correction.reportId === session.sessionId).sort(correctionOrder);
  const entries = [...new Set([...expected.keys(), ...attended.keys()])].map((key) => {
    const onRoster = expected.get(key);
    const attendance = attended.get(key);
    return entryFor({
      participant: { ...onRoster?.participant, ...attendance?.participant } as Participant,
      onRoster: onRoster !== undefined,
      firstSeenAt: onRoster?.firstSeenAt,
      attendance,
      corrections: mine.filter((correction) => correction.participantId === key),
      rule,
      window,
      now,
    });
  });
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<AttendanceStatus, number>;
  for (const entry of entries) counts[entry.status] += 1;
  return { reportId: session.sessionId, rule, counts, entries: entries.sort(byNameThenKey) };
}

function entryFor(input: {
  participant: Participant;
  onRoster: boolean;
  firstSeenAt: number | undefined;
  attendance: ParticipantAttendance | undefined;
  corrections: Correction[];
  rule: AttendanceRule;
  window: Window;
  now: string;
}): RegisterEntry {
  const { attendance, window } = input;
  const measuredSpans = clippedTo(
    (attendance?.intervals ?? []).map((interval) => ({ from: Date.parse(interval.joinedAt), to: interval.leftAt ? Date.parse(interval.leftAt) : window.end })),
    window.start,
    window.end,
  );
  const firstJoin = measuredSpans[0]?.from;
  // Someone added to the roster during the session is expected from then on (or from their join, if earlier).
  const expectedFrom =
    input.firstSeenAt === undefined ? window.start : Math.max(window.start, Math.min(input.firstSeenAt, firstJoin ?? Infinity));
  const beforeTracking = attendance?.intervals.some((interval) => interval.startedBeforeTracking) ?? false;
  // In the meeting right now (by Teams' events): never absent, even before a whole second has passed.
  const presentNow = !window.ended && (attendance?.intervals.some((interval) => interval.leftAt === undefined) ?? false);
  const person = { expectedFrom, beforeTracking, presentNow, rule: input.rule, window };
  const measured = standingOf(measuredSpans, undefined, person);
  const { spans, override } = applyCorrections(measuredSpans, input.corrections);
  const current = standingOf(clippedTo(spans, window.start, window.end), override, person);
  return {
    participant: input.participant,
    onRoster: input.onRoster,
    expectedFrom: new Date(expectedFrom).toISOString(),
    ...current,
    measured,
    corrected: JSON.stringify(current) !== JSON.stringify(measured),
    corrections: input.corrections,
  };
}

/** The rule applied to one person's time. */
export function standingOf(
  spans: Span[],
  override: StatusOverride | undefined,
  person: { expectedFrom: number; beforeTracking: boolean; presentNow: boolean; rule: AttendanceRule; window: Window },
): Standing {
  const { rule, window } = person;
  const attendedSeconds = wholeSecondsOf(spans);
  const expectedSeconds = Math.max(0, Math.floor((window.end - person.expectedFrom) / 1000));
  const first = spans[0];
  const last = spans.at(-1);
  const delaySeconds = first && !person.beforeTracking ? Math.max(0, Math.floor((first.from - person.expectedFrom) / 1000)) : 0;
  const earlySeconds = last && window.ended ? Math.max(0, Math.floor((window.end - last.to) / 1000)) : 0;
  const late = delaySeconds > rule.lateAfterMinutes * 60;
  const leftEarly = earlySeconds > rule.leftEarlyMinutes * 60;
  // Integers on both sides: 75 % of 3600 s is met at 2700 s exactly, never missed by a rounding.
  const meetsPercent = attendedSeconds * 100 >= rule.presentPercent * expectedSeconds;
  const measuredStatus: AttendanceStatus =
    spans.length === 0 && !person.presentNow ? 'absent' : !meetsPercent ? 'partial' : late ? 'late' : leftEarly ? 'leftEarly' : 'present';
  return {
    status: override ?? measuredStatus,
    attendedSeconds,
    attendancePercent: percentOf(attendedSeconds, expectedSeconds),
    late,
    lateBySeconds: late ? delaySeconds : 0,
    leftEarly,
    leftEarlyBySeconds: leftEarly ? earlySeconds : 0,
    spans,
  };
}

/**
 * Where a live session's register ends: now, or the latest recorded join or leave if that is later (Teams'
 * timestamps may run a little ahead of this server's clock; someone who just joined is not absent).
 */
function liveEnd(session: MeetingSession, now: string): number {
  const times = session.participants.flatMap((entry) => entry.intervals.flatMap((interval) => [interval.joinedAt, interval.leftAt ?? interval.joinedAt]));
  return Math.max(Date.parse(now), Date.parse(session.startedAt), ...times.map((time) => Date.parse(time)));
}

function percentOf(attendedSeconds: number, expectedSeconds: number): number {
  if (expectedSeconds === 0) return attendedSeconds > 0 ? 100 : 0;
  return Math.min(100, Math.floor((attendedSeconds * 1000) / expectedSeconds) / 10);
}

function byNameThenKey(a: RegisterEntry, b: RegisterEntry): number {
  return (a.participant.displayName ?? '').localeCompare(b.participant.displayName ?? '') || a.participant.key.localeCompare(b.participant.key);
}
