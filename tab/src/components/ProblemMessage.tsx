/** What went wrong loading the meeting's attendance, and what to do about it. */
import type { ApiProblem } from '../api/problems';
import { StateMessage } from './StateMessage';

export function ProblemMessage({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  const retry = { label: 'Retry', onClick: onRetry };
  switch (problem.kind) {
    case 'notAdded':
      return (
        <StateMessage title="Attendance isn't recording this meeting yet">
          <p>
            The organizer can add it: in the meeting, select <strong>Apps</strong>, find <strong>Attendance</strong> and
            select <strong>Add</strong>. It records everyone in the meeting from then on, and this panel updates by itself.
          </p>
        </StateMessage>
      );
    case 'forbidden':
      return (
        <StateMessage title="Your attendance shows once you've joined">
          <p>
            Attendance shows you your own time in this meeting after you join it; the organizer and presenters see
            everyone's. If you have just joined, this updates in a few seconds.
          </p>
        </StateMessage>
      );
    case 'signIn':
      return (
        <StateMessage title="Couldn't sign you in to Attendance" action={retry}>
          <p>{problem.message}</p>
          <p>Retry, or close and reopen the panel. If it keeps happening, ask your IT admin to check the app's sign-in setup.</p>
        </StateMessage>
      );
    case 'unavailable':
      return (
        <StateMessage title="Can't load attendance right now" action={retry}>
          <p>{problem.message}</p>
          <p>Attendance keeps recording; this panel tries again by itself.</p>
        </StateMessage>
      );
  }
}
