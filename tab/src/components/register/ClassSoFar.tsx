/** "This class so far": each person across every meeting of this chat (GET /api/chats/{chatId}/attendance). */
import { Body1, Button, Caption1, makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { fetchClassRollup, type ClassRollupAnswer } from '../../api/register';
import { asProblem } from '../../api/problems';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  row: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  figure: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
});

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; rollup: ClassRollupAnswer } | { kind: 'failed'; message: string };

export function ClassSoFar({ chatId, getToken }: { chatId: string; getToken: () => Promise<string> }) {
  const styles = useStyles();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const load = async () => {
    setState({ kind: 'loading' });
    try {
      setState({ kind: 'ready', rollup: await fetchClassRollup(chatId, await getToken()) });
    } catch (error) {
      setState({ kind: 'failed', message: asProblem(error).message });
    }
  };
  if (state.kind === 'idle' || state.kind === 'failed') {
    return (
      <>
        {state.kind === 'failed' && <Body1 role="alert">{state.message}</Body1>}
        <Button onClick={() => void load()}>Show this class so far</Button>
      </>
    );
  }
  if (state.kind === 'loading') return <Spinner size="tiny" label="Adding up this class's meetings…" />;
  const { rollup } = state;
  return (
    <>
      <Caption1>
        {rollup.sessionsHeld} session{rollup.sessionsHeld === 1 ? '' : 's'} in {rollup.meetings.length} meeting{rollup.meetings.length === 1 ? '' : 's'} of this chat.
      </Caption1>
      <ul className={styles.list} aria-label="This class so far">
        {rollup.people.map((person) => (
          <li key={person.id} className={styles.row}>
            <Body1>{person.displayName ?? person.emailAddress ?? 'Unknown participant'}</Body1>
            <Body1 className={styles.figure}>
              {person.sessionsAttended} of {person.sessionsHeld} · {person.attendancePercent} %
            </Body1>
          </li>
        ))}
      </ul>
    </>
  );
}
