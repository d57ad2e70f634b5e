/**
 * For the organizer of an instant meeting (Meet now, a call): Teams and Graph keep no attendance report for it,
 * so say so at the top, with when this app's record begins and how to get Teams' own report next time.
 */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { LiveMeeting } from '../../../bot/src/attendance/liveView.js';
import { clockTime } from '../format';

export function InstantMeetingWarning({ meeting }: { meeting: LiveMeeting }) {
  const since = meeting.trackingSince ? clockTime(meeting.trackingSince) : undefined;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>No Teams attendance report for this meeting</MessageBarTitle>
        Teams and Microsoft Graph don't report attendance for instant meetings.{' '}
        {since && (meeting.startedAt === null ? `Recording since ${since}; anyone here earlier counts from then. ` : `Recording since the meeting started at ${since}. `)}
        {meeting.status === 'ended' && 'Download the CSV below: it is the only record. '}
        Next time, schedule the meeting in the Teams calendar.
      </MessageBarBody>
    </MessageBar>
  );
}
