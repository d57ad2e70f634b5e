/**
 * The organizer's rule for a register: who counts as present, late or gone early. Each meeting may have its
 * own; otherwise the server's defaults (ATTENDANCE_PRESENT_PERCENT, ATTENDANCE_LATE_AFTER_MIN,
 * ATTENDANCE_LEFT_EARLY_MIN) apply.
 */
export interface AttendanceRule {
  /** Present when attended at least this percentage of the time the person was expected (0–100). */
  presentPercent: number;
  /** Late when the first join is more than this many minutes after the person was expected. */
  lateAfterMinutes: number;
  /** Left early when the last leave is more than this many minutes before the session's end. */
  leftEarlyMinutes: number;
}

/** Who set a meeting's rule, and when (the server's clock: a rule change is not a Teams fact). */
export interface RuleChange {
  rule: AttendanceRule;
  changedBy: { id: string; displayName: string | null };
  changedAt: string;
}

/** Bounds a rule must keep: a percentage, and minutes within a day. */
export const RULE_LIMITS = {
  presentPercent: { min: 0, max: 100 },
  lateAfterMinutes: { min: 0, max: 1440 },
  leftEarlyMinutes: { min: 0, max: 1440 },
} as const;
