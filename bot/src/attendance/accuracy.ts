/** How exact a figure is, from where its facts came (see EventSource), in words a reader can act on. */
import type { PresenceInterval } from './ledger.js';

/** The basis of one participant's figures: the ledger never mixes sources for one person. */
export type AttendanceBasis = 'events' | 'reconciled' | 'sampled';

export interface Accuracy {
  basis: AttendanceBasis | 'mixed' | 'none';
  statement: string;
  /** The roster sampling interval when any figure is sampled (each sampled join or leave is within it), else 0. */
  sampleIntervalSeconds: number;
}

export function basisOf(intervals: readonly PresenceInterval[]): AttendanceBasis {
  if (intervals.some((interval) => interval.source === 'reconciled')) return 'reconciled';
  if (intervals.some((interval) => interval.source === 'sampled')) return 'sampled';
  return 'events';
}

/** The largest sampling interval among sampled figures: the uncertainty of each sampled join or leave. */
export function samplingUncertaintySeconds(intervals: readonly PresenceInterval[]): number {
  return Math.max(0, ...intervals.map((interval) => interval.sampleIntervalSeconds ?? 0));
}

const PHRASES: Record<AttendanceBasis, (sampleSeconds: number) => string> = {
  events: () => 'exact (Teams events)',
  reconciled: () => 'reconciled from call records (exact)',
  sampled: (sampleSeconds) => `sampled every ${sampleSeconds} s, ±${sampleSeconds} s`,
};

/** How exact one participant's figures are, e.g. "exact (Teams events)" or "sampled every 30 s, ±30 s". */
export function basisPhrase(basis: AttendanceBasis, sampleSeconds: number): string {
  return PHRASES[basis](sampleSeconds);
}

export function accuracyOf(bases: readonly AttendanceBasis[], sampleSeconds: number): Accuracy {
  const sampleIntervalSeconds = bases.includes('sampled') ? sampleSeconds : 0;
  if (bases.length === 0) return { basis: 'none', statement: 'No attendance recorded yet.', sampleIntervalSeconds };
  const counts = new Map<AttendanceBasis, number>();
  for (const basis of bases) counts.set(basis, (counts.get(basis) ?? 0) + 1);
  const only = counts.size === 1 ? [...counts.keys()][0] : undefined;
  if (only) return { basis: only, statement: capitalise(`${PHRASES[only](sampleSeconds)}.`), sampleIntervalSeconds };
  const parts = (['events', 'reconciled', 'sampled'] as const)
    .filter((basis) => counts.has(basis))
    .map((basis) => `${counts.get(basis)} ${PHRASES[basis](sampleSeconds)}`);
  return { basis: 'mixed', statement: `Mixed: ${parts.join('; ')}.`, sampleIntervalSeconds };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
