/** A whole-panel message for a state the person can act on: what happened, then what to do next. */
import { Button, makeStyles, Subtitle1, tokens, typographyStyles } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  message: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingTop: tokens.spacingVerticalL },
  title: { margin: 0 },
  body: { ...typographyStyles.body1, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, '& p': { margin: 0 } },
  action: { alignSelf: 'flex-start', marginTop: tokens.spacingVerticalS },
});

export interface StateMessageProps {
  title: string;
  children: ReactNode;
  action?: { label: string; onClick: () => void };
}

export function StateMessage({ title, children, action }: StateMessageProps) {
  const styles = useStyles();
  return (
    <section className={styles.message} aria-live="polite">
      <Subtitle1 as="h1" className={styles.title}>
        {title}
      </Subtitle1>
      <div className={styles.body}>{children}</div>
      {action && (
        <Button className={styles.action} appearance="primary" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </section>
  );
}
