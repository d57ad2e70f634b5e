/**
 * Corrections: what the organizer (or a presenter) changed in a register, and why. Appended, never edited;
 * an undo is one more correction that cancels an earlier one. The recorded events are never touched: the
 * register applies the corrections on top of what was measured, so the measured figure stays readable.
 */
import { unionOf, withoutSpan, type Span } from './intervals.js';

export const STATUS_ACTIONS = ['markPresent', 'markAbsent', 'excuse'] as const;
export const INTERVAL_ACTIONS = ['addInterval', 'removeInterval'] as const;
export const CORRECTION_ACTIONS = [...STATUS_ACTIONS, ...INTERVAL_ACTIONS, 'undo'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

/** What a caller asks for (validated at the HTTP boundary). */
export interface CorrectionRequest {
  participantId: string;
  action: CorrectionAction;
  joinDateTime?: string;
  leaveDateTime?: string;
  /** For `undo`: the correction it cancels. */
  correctionId?: string;
  reason: string;
}

export interface Correction extends CorrectionRequest {
  id: string;
  tenantId: string;
  meetingId: string;
  /** The session (attendance report) it corrects. */
  reportId: string;
  /** Who made it, from their validated token (display name from the meeting, when known). */
  by: { id: string; displayName: string | null };
  /** When it was made (the server's clock). */
  at: string;
}

/** Oldest first; ties by id, so the order never depends on how the store returned them. */
export function correctionOrder(a: Correction, b: Correction): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The corrections still in force: not undos, and not undone. */
export function effectiveCorrections(corrections: readonly Correction[]): Correction[] {
  const undone = new Set(corrections.filter((correction) => correction.action === 'undo').map((undo) => undo.correctionId));
  return corrections.filter((correction) => correction.action !== 'undo' && !undone.has(correction.id)).sort(correctionOrder);
}

export type StatusOverride = 'present' | 'absent' | 'excused';

const OVERRIDES: Record<(typeof STATUS_ACTIONS)[number], StatusOverride> = {
  markPresent: 'present',
  markAbsent: 'absent',
  excuse: 'excused',
};

/** One person's time and status after their corrections in force, applied oldest first (the last status wins). */
export function applyCorrections(measured: readonly Span[], corrections: readonly Correction[]): { spans: Span[]; override?: StatusOverride } {
  let spans = unionOf(measured);
  let override: StatusOverride | undefined;
  for (const correction of effectiveCorrections(corrections)) {
    const span = spanOf(correction);
    if (correction.action === 'addInterval' && span) spans = unionOf([...spans, span]);
    else if (correction.action === 'removeInterval' && span) spans = withoutSpan(spans, span);
    else if (correction.action in OVERRIDES) override = OVERRIDES[correction.action as keyof typeof OVERRIDES];
  }
  return override ? { spans, override } : { spans };
}

function spanOf(correction: CorrectionRequest): Span | undefined {
  if (!correction.joinDateTime || !correction.leaveDateTime) return undefined;
  return { from: Date.parse(correction.joinDateTime), to: Date.parse(correction.leaveDateTime) };
}

/**
 * Why a request cannot be a correction of this session, in words that say what to fix; undefined when it can.
 * `session` is the session's span (a live one runs to now), `people` the keys of everyone in its register.
 */
export function correctionProblem(
  request: CorrectionRequest,
  session: Span,
  people: ReadonlySet<string>,
  earlier: readonly Correction[],
): string | undefined {
  if (!people.has(request.participantId)) {
    return `participantId ${request.participantId} is neither on this meeting's roster nor among those who attended this session; use an id from the report's attendanceRecords or absentees`;
  }
  if (request.action === 'undo') return undoProblem(request, earlier);
  if (request.correctionId !== undefined) return 'correctionId goes with action "undo" only';
  const hasTimes = request.joinDateTime !== undefined || request.leaveDateTime !== undefined;
  if (!(INTERVAL_ACTIONS as readonly string[]).includes(request.action)) {
    return hasTimes ? `action "${request.action}" takes no joinDateTime or leaveDateTime` : undefined;
  }
  const span = spanOf(request);
  if (!span) return `action "${request.action}" needs both joinDateTime and leaveDateTime`;
  if (span.to <= span.from) return 'leaveDateTime must be after joinDateTime';
  if (span.from < session.from || span.to > session.to) {
    return `the interval must lie within the session, from ${new Date(session.from).toISOString()} to ${new Date(session.to).toISOString()}`;
  }
  return undefined;
}

function undoProblem(request: CorrectionRequest, earlier: readonly Correction[]): string | undefined {
  if (!request.correctionId) return 'action "undo" needs correctionId, the id of the correction to undo';
  if (request.joinDateTime !== undefined || request.leaveDateTime !== undefined) return 'action "undo" takes no joinDateTime or leaveDateTime';
  const target = earlier.find((correction) => correction.id === request.correctionId);
  if (!target || target.participantId !== request.participantId) {
    return `correction ${request.correctionId} is not a correction of this person in this report; list them at …/corrections`;
  }
  if (target.action === 'undo') return 'an undo cannot be undone; make the correction again instead';
  if (earlier.some((correction) => correction.action === 'undo' && correction.correctionId === target.id)) return `correction ${target.id} is already undone`;
  return undefined;
}
