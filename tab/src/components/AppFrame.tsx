/** The page frame: the Teams theme, and a column that fits the 320 px side panel and grows in wider frames. */
import { FluentProvider, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { HostTheme } from '../host/teams';
import { fluentTheme } from '../theme';

const useStyles = makeStyles({
  provider: { minHeight: '100vh' },
  column: {
    boxSizing: 'border-box',
    maxWidth: '880px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    '@media (min-width: 560px)': { padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}` },
  },
});

export function AppFrame({ theme, children }: { theme: HostTheme; children: ReactNode }) {
  const styles = useStyles();
  return (
    <FluentProvider theme={fluentTheme(theme)} className={styles.provider}>
      <main className={styles.column}>{children}</main>
    </FluentProvider>
  );
}
