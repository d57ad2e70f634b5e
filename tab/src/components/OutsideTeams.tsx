/** Shown when the page is opened outside Teams (and not as the demo). */
import { StateMessage } from './StateMessage';

export function OutsideTeams({ demoRequested }: { demoRequested: boolean }) {
  return (
    <StateMessage title="Open Attendance in Teams">
      <p>
        This is the Attendance panel for Teams meetings. In a meeting, select <strong>Apps</strong>, then{' '}
        <strong>Attendance</strong>, to see who is there and for how long.
      </p>
      {demoRequested && (
        <p>
          This server is not running the demo. Start it with <code>npm run demo</code> and open the address it prints.
        </p>
      )}
    </StateMessage>
  );
}
