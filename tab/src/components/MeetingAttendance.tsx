/** Loads a meeting's live attendance and shows it, or what stands in the way. */
import { useLiveMeeting } from '../hooks/useLiveMeeting';
import { LiveMeetingView } from './LiveMeetingView';
import { Loading } from './Loading';
import { ProblemMessage } from './ProblemMessage';

interface MeetingAttendanceProps {
  meetingId: string;
  chatId: string | undefined;
  getToken: () => Promise<string>;
}

export function MeetingAttendance({ meetingId, chatId, getToken }: MeetingAttendanceProps) {
  const { state, retry } = useLiveMeeting(meetingId, getToken);
  if (state.kind === 'loading') return <Loading label="Loading attendance…" />;
  if (state.kind === 'failed') return <ProblemMessage problem={state.problem} onRetry={retry} />;
  return (
    <LiveMeetingView
      meetingId={meetingId}
      chatId={chatId}
      view={state.view}
      skewMs={state.skewMs}
      stale={state.stale}
      onRetry={retry}
      getToken={getToken}
    />
  );
}
