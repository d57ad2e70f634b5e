/** The meeting as this viewer may see it: the warning, the header, then everyone's or only their own time. */
import { Body1 } from '@fluentui/react-components';
import type { LiveAnswer } from '../api/live';
import type { ApiProblem } from '../api/problems';
import { useServerNow } from '../hooks/useServerNow';
import { DownloadCsvButton } from './DownloadCsvButton';
import { InstantMeetingWarning } from './InstantMeetingWarning';
import { MeetingHeader } from './MeetingHeader';
import { MyAttendance } from './MyAttendance';
import { ParticipantList } from './ParticipantList';
import { MyStatus } from './register/MyStatus';
import { RegisterView } from './register/RegisterView';
import { StaleNotice } from './StaleNotice';

interface LiveMeetingViewProps {
  meetingId: string;
  chatId: string | undefined;
  view: LiveAnswer;
  skewMs: number;
  stale: ApiProblem | undefined;
  onRetry: () => void;
  getToken: () => Promise<string>;
}

export function LiveMeetingView({ meetingId, chatId, view, skewMs, stale, onRetry, getToken }: LiveMeetingViewProps) {
  const now = useServerNow(skewMs);
  const { meeting, participants, viewerRole, accuracy } = view;
  const seesEveryone = viewerRole !== 'attendee';
  return (
    <>
      {stale && <StaleNotice problem={stale} onRetry={onRetry} />}
      {viewerRole === 'organizer' && meeting.isInstant && <InstantMeetingWarning meeting={meeting} />}
      <MeetingHeader meeting={meeting} participants={participants} accuracy={accuracy} />
      {meeting.status === 'notStarted' ? (
        <Body1>The meeting hasn't started yet. Attendance is ready and records everyone who joins; this panel updates by itself.</Body1>
      ) : seesEveryone ? (
        <ParticipantList meeting={meeting} participants={participants} now={now} />
      ) : (
        <MyAttendance meeting={meeting} participant={participants.find((participant) => participant.isViewer)} now={now} />
      )}
      {meeting.status === 'ended' && meeting.reportId && seesEveryone && (
        <RegisterView
          meetingId={meetingId}
          reportId={meeting.reportId}
          chatId={chatId}
          canCorrect={viewerRole === 'organizer' || viewerRole === 'presenter'}
          getToken={getToken}
        />
      )}
      {meeting.status === 'ended' && meeting.reportId && !seesEveryone && <MyStatus meetingId={meetingId} reportId={meeting.reportId} getToken={getToken} />}
      {meeting.status === 'ended' && meeting.reportId && (
        <DownloadCsvButton meetingId={meetingId} reportId={meeting.reportId} title={meeting.title} getToken={getToken} />
      )}
    </>
  );
}
