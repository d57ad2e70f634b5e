/** Shown above a view the panel can no longer refresh: the durations keep counting, changes wait. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { ApiProblem } from '../api/problems';

export function StaleNotice({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        {problem.message} Times keep counting here; joins and leaves show again once the connection is back.
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>Retry now</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
