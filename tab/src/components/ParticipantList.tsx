/**
 * Everyone's attendance, for the organizer and presenters. Live: who is here now, then who has left (most
 * recent first). Ended: final totals, longest first.
 */
import { Body1, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { liveSeconds, type LiveMeeting, type LiveParticipant } from '../../../bot/src/attendance/liveView.js';
import { EarlierTimeNote } from './EarlierTimeNote';
import { ParticipantRow } from './ParticipantRow';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column' },
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  heading: { margin: `${tokens.spacingVerticalS} 0 0` },
});

interface ListProps {
  meeting: LiveMeeting;
  participants: LiveParticipant[];
  now: number;
}

export function ParticipantList({ meeting, participants, now }: ListProps) {
  if (participants.length === 0) return <Body1>No one has joined yet. People appear here as they join.</Body1>;
  return (
    <>
      {meeting.status === 'ended' ? (
        <ParticipantSection
          title="Final totals"
          meeting={meeting}
          participants={[...participants].sort((a, b) => liveSeconds(b, now) - liveSeconds(a, now))}
          now={now}
        />
      ) : (
        <LiveSections meeting={meeting} participants={participants} now={now} />
      )}
      {participants.some((participant) => participant.presentBeforeTracking) && <EarlierTimeNote trackingSince={meeting.trackingSince} />}
    </>
  );
}

function LiveSections({ meeting, participants, now }: ListProps) {
  const here = participants.filter((participant) => participant.presentSince !== null);
  const gone = participants
    .filter((participant) => participant.presentSince === null)
    .sort((a, b) => (b.lastLeftAt ?? '').localeCompare(a.lastLeftAt ?? ''));
  return (
    <>
      {here.length > 0 && <ParticipantSection title={`In the meeting (${here.length})`} meeting={meeting} participants={here} now={now} />}
      {gone.length > 0 && <ParticipantSection title={`Left (${gone.length})`} meeting={meeting} participants={gone} now={now} />}
    </>
  );
}

function ParticipantSection({ title, meeting, participants, now }: ListProps & { title: string }) {
  const styles = useStyles();
  const headingId = useId();
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Subtitle2 as="h2" id={headingId} className={styles.heading}>
        {title}
      </Subtitle2>
      <ul className={styles.list}>
        {participants.map((participant) => (
          <ParticipantRow key={participant.id} participant={participant} meeting={meeting} now={now} />
        ))}
      </ul>
    </section>
  );
}
