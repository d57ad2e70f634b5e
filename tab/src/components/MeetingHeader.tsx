/** The meeting's title, then its kind and state in one line: "Meet Now (instant) · Live since 09:02 · 12 people, 9 here now". */
import { Caption1, makeStyles, Subtitle1, tokens } from '@fluentui/react-components';
import type { Accuracy } from '../../../bot/src/attendance/accuracy.js';
import type { LiveMeeting, LiveParticipant } from '../../../bot/src/attendance/liveView.js';
import { meetingTypeLabel } from '../../../bot/src/attendance/meetingKinds.js';
import { clockTime } from '../format';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  title: { margin: 0 },
  status: { color: tokens.colorNeutralForeground2 },
});

interface MeetingHeaderProps {
  meeting: LiveMeeting;
  participants: LiveParticipant[];
  accuracy: Accuracy;
}

export function MeetingHeader({ meeting, participants, accuracy }: MeetingHeaderProps) {
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <Subtitle1 as="h1" className={styles.title}>
        {meeting.title ?? 'Meeting attendance'}
      </Subtitle1>
      <Caption1 className={styles.status}>
        {[meetingTypeLabel(meeting.type ?? undefined), statusText(meeting), peopleText(participants)].filter(Boolean).join(' · ')}
      </Caption1>
      {/* Exact figures need no comment; sampled or reconciled ones say how exact they are. */}
      {accuracy.basis !== 'events' && accuracy.basis !== 'none' && <Caption1 className={styles.status}>Times: {accuracy.statement}</Caption1>}
    </header>
  );
}

function statusText(meeting: LiveMeeting): string {
  if (meeting.status === 'notStarted') return 'Not started';
  if (meeting.status === 'ended') return meeting.endedAt ? `Ended at ${clockTime(meeting.endedAt)}` : 'Ended';
  const since = meeting.startedAt ?? meeting.trackingSince;
  return since ? `Live since ${clockTime(since)}` : 'Live';
}

function peopleText(participants: LiveParticipant[]): string {
  if (participants.length <= 1) return '';
  const present = participants.filter((participant) => participant.presentSince !== null).length;
  return `${participants.length} people${present > 0 ? `, ${present} here now` : ''}`;
}
