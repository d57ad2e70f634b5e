/** An attendee's own time in the meeting: the one figure they may see, large, ticking while they are here. */
import { Body1, Caption1, LargeTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { LiveMeeting, LiveParticipant } from '../../../bot/src/attendance/liveView.js';
import { Duration } from './Duration';
import { EarlierTimeNote } from './EarlierTimeNote';
import { detailText } from './ParticipantRow';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, paddingTop: tokens.spacingVerticalS },
  total: { margin: 0, fontVariantNumeric: 'tabular-nums' },
  detail: { color: tokens.colorNeutralForeground2 },
});

export function MyAttendance({ meeting, participant, now }: { meeting: LiveMeeting; participant: LiveParticipant | undefined; now: number }) {
  const styles = useStyles();
  if (!participant) return <Body1>You haven't joined this run of the meeting yet. Your time appears here once you join.</Body1>;
  return (
    <section className={styles.card} aria-label="Your attendance" data-participant-id={participant.id}>
      <Body1>{meeting.status === 'ended' ? 'Your total time in this meeting' : 'Your time in this meeting'}</Body1>
      <LargeTitle as="p" className={styles.total}>
        <Duration participant={participant} now={now} />
      </LargeTitle>
      <Caption1 className={styles.detail}>{detailText(participant, meeting)}</Caption1>
      {participant.presentBeforeTracking && <EarlierTimeNote trackingSince={meeting.trackingSince} />}
    </section>
  );
}
