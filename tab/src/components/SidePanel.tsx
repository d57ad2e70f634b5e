/** The side panel (and meeting tab): connects to its host, then shows the meeting's attendance. */
import { useHost, type Host } from '../host/useHost';
import { AppFrame } from './AppFrame';
import { DemoNotice } from './DemoNotice';
import { Loading } from './Loading';
import { MeetingAttendance } from './MeetingAttendance';
import { NotInMeeting } from './NotInMeeting';
import { OutsideTeams } from './OutsideTeams';

export function SidePanel() {
  const { host, theme } = useHost();
  return (
    <AppFrame theme={theme}>
      <HostContent host={host} />
    </AppFrame>
  );
}

function HostContent({ host }: { host: Host }) {
  switch (host.kind) {
    case 'connecting':
      return <Loading label="Connecting to Teams…" />;
    case 'outsideTeams':
      return <OutsideTeams demoRequested={host.demoRequested} />;
    case 'teams':
      return host.meetingId ? <MeetingAttendance meetingId={host.meetingId} chatId={host.chatId} getToken={host.getToken} /> : <NotInMeeting />;
    case 'demo':
      return (
        <>
          <DemoNotice persona={host.persona} displayName={host.displayName} />
          <MeetingAttendance meetingId={host.meetingId} chatId={undefined} getToken={host.getToken} />
        </>
      );
  }
}
