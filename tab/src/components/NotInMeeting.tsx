/** Shown in Teams when the tab was opened somewhere other than a meeting. */
import { StateMessage } from './StateMessage';

export function NotInMeeting() {
  return (
    <StateMessage title="Attendance works in meetings">
      <p>
        Open it from a meeting: in the meeting window, select <strong>Apps</strong>, then <strong>Attendance</strong>.
      </p>
    </StateMessage>
  );
}
