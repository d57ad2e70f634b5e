/** A participant's total time, ticking while they are present. */
import { liveSeconds, type LiveParticipant } from '../../../bot/src/attendance/liveView.js';
import { formatDuration } from '../format';

export function Duration({ participant, now, className }: { participant: LiveParticipant; now: number; className?: string }) {
  const seconds = liveSeconds(participant, now);
  return (
    <time className={className} dateTime={`PT${seconds}S`}>
      {formatDuration(seconds)}
    </time>
  );
}
