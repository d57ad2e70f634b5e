/** How much of the meetings being read each instance holds in memory (materialisedStore.ts, docs/live-state.md). */

/** How much may be held, and when a meeting is let go; the defaults are in docs/live-state.md. */
export interface HoldingLimits {
  /** Meetings held at most; beyond it the one read least recently is let go first. */
  maxMeetings: number;
  /** Events held at most, over all meetings; a meeting larger than this alone is replayed from the store on each read. */
  maxEvents: number;
  /** A meeting whose latest run ended (or that has not started) is let go when nobody read it for this long. */
  endedIdleMs: number;
  /** A live meeting is let go when nobody read it for this long. */
  liveIdleMs: number;
}

export const DEFAULT_HOLDING_LIMITS: HoldingLimits = {
  maxMeetings: 500,
  maxEvents: 100_000,
  endedIdleMs: 10 * 60_000,
  liveIdleMs: 60 * 60_000,
};
