/**
 * People already in the meeting when Attendance was added are counted from then: their names carry a "*"
 * (as in the chat's report card), explained once below the list.
 */
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { clockTime } from '../format';

const useStyles = makeStyles({
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  note: { color: tokens.colorNeutralForeground2, paddingTop: tokens.spacingVerticalS },
});

export function EarlierTimeMark() {
  const styles = useStyles();
  return (
    <>
      <span aria-hidden> *</span>
      <span className={styles.hidden}>, already in the meeting when Attendance was added</span>
    </>
  );
}

export function EarlierTimeNote({ trackingSince }: { trackingSince: string | null }) {
  const styles = useStyles();
  const when = trackingSince ? ` at ${clockTime(trackingSince)}` : '';
  return (
    <Caption1 as="p" className={styles.note}>
      * Already in the meeting when Attendance was added{when}: earlier time isn't counted.
    </Caption1>
  );
}
