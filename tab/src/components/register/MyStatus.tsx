/** An attendee's own place in the register of a finished run: their status and share of the meeting. */
import { Body1 } from '@fluentui/react-components';
import { useRegister } from '../../hooks/useRegister';
import { registerPeople } from './registerPeople';
import { statusLabel } from './statusText';

export function MyStatus({ meetingId, reportId, getToken }: { meetingId: string; reportId: string; getToken: () => Promise<string> }) {
  const { state } = useRegister(meetingId, reportId, getToken);
  if (state.kind !== 'ready') return null;
  const me = registerPeople(state.report)[0];
  if (!me) return null;
  return (
    <Body1 role="status">
      Register: {statusLabel(me.status)}
      {me.corrected ? ' (corrected)' : ''}, {me.attendancePercent} % of the meeting.
    </Body1>
  );
}
