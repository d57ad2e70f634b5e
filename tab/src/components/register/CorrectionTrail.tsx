/** Every correction of this run, oldest first: what was done for whom, why, by whom and when. */
import { Body1, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { Correction } from '../../../../bot/src/attendance/corrections.js';
import { clockTime } from '../../format';
import { ACTION_LABELS } from './statusText';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  meta: { color: tokens.colorNeutralForeground2 },
});

export function CorrectionTrail({ corrections, names }: { corrections: Correction[]; names: Map<string, string> }) {
  const styles = useStyles();
  if (corrections.length === 0) return <Body1>No corrections yet.</Body1>;
  return (
    <ol className={styles.list}>
      {corrections.map((correction) => (
        <li key={correction.id} data-correction-id={correction.id}>
          <Body1>
            {ACTION_LABELS[correction.action]}: {names.get(correction.participantId) ?? correction.participantId}
            {correction.joinDateTime && correction.leaveDateTime ? ` (${clockTime(correction.joinDateTime)}–${clockTime(correction.leaveDateTime)})` : ''}.
            “{correction.reason}”
          </Body1>
          <br />
          <Caption1 className={styles.meta}>
            {correction.by.displayName ?? correction.by.id}, {new Date(correction.at).toLocaleString()}
          </Caption1>
        </li>
      ))}
    </ol>
  );
}
