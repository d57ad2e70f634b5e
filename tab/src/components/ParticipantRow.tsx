/**
 * One participant: presence, name and role, where they are (here since / left at / joined–left), and their
 * total. Two lines in the side panel; one line with a column for the details in wider frames.
 */
import { Avatar, Caption1, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import type { LiveMeeting, LiveParticipant } from '../../../bot/src/attendance/liveView.js';
import { clockTime } from '../format';
import { Duration } from './Duration';
import { EarlierTimeMark } from './EarlierTimeNote';

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr) auto',
    gridTemplateAreas: '"avatar name total" "avatar detail total"',
    columnGap: tokens.spacingHorizontalM,
    alignItems: 'center',
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    '@media (min-width: 560px)': {
      gridTemplateColumns: 'auto minmax(0, 2fr) minmax(0, 3fr) 7em',
      gridTemplateAreas: '"avatar name detail total"',
    },
  },
  avatar: { gridArea: 'avatar' },
  name: { gridArea: 'name', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  detail: { gridArea: 'detail', color: tokens.colorNeutralForeground2 },
  total: { gridArea: 'total', textAlign: 'end', fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
  absent: { color: tokens.colorNeutralForeground2 },
});

const ROLES_SHOWN = new Set(['Organizer', 'Coorganizer', 'Presenter']);

export function ParticipantRow({ participant, meeting, now }: { participant: LiveParticipant; meeting: LiveMeeting; now: number }) {
  const styles = useStyles();
  const name = participant.displayName ?? 'Unknown participant';
  const present = participant.presentSince !== null;
  return (
    <li className={styles.row} data-participant-id={participant.id}>
      <Avatar
        className={styles.avatar}
        name={name}
        size={32}
        aria-hidden
        badge={meeting.status === 'live' ? { status: present ? 'available' : 'offline' } : undefined}
      />
      <Text weight="semibold" className={styles.name}>
        {name}
        {participant.isViewer && ' (you)'}
        {participant.presentBeforeTracking && <EarlierTimeMark />}
      </Text>
      <Caption1 className={styles.detail}>{detailText(participant, meeting)}</Caption1>
      <Duration className={mergeClasses(styles.total, !present && styles.absent)} participant={participant} now={now} />
    </li>
  );
}

/** Role (when it matters) and where the person is: "Presenter · Here since 09:12", "Left at 09:20 · joined 2 times". */
export function detailText(participant: LiveParticipant, meeting: LiveMeeting): string {
  const parts: string[] = [];
  if (ROLES_SHOWN.has(participant.role)) parts.push(participant.role === 'Coorganizer' ? 'Co-organizer' : participant.role);
  if (meeting.status === 'ended') {
    const leftAt = participant.lastLeftAt ?? meeting.endedAt;
    parts.push(leftAt ? `${clockTime(participant.firstJoinedAt)}–${clockTime(leftAt)}` : `From ${clockTime(participant.firstJoinedAt)}`);
  } else if (participant.presentSince) {
    parts.push(`Here since ${clockTime(participant.presentSince)}`);
  } else if (participant.lastLeftAt) {
    parts.push(`Left at ${clockTime(participant.lastLeftAt)}`);
  }
  if (participant.joinCount > 1) parts.push(`joined ${participant.joinCount} times`);
  return parts.join(' · ');
}
