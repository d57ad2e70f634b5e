/** In the demo: whose eyes the panel shows the simulated meeting through, and how to switch. */
import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

const OTHER_PERSONA: Record<string, { persona: string; label: string }> = {
  organizer: { persona: 'attendee', label: 'See it as an attendee' },
  attendee: { persona: 'organizer', label: 'See it as the organizer' },
  presenter: { persona: 'organizer', label: 'See it as the organizer' },
};

export function DemoNotice({ persona, displayName }: { persona: string; displayName: string }) {
  const other = OTHER_PERSONA[persona];
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Demo</MessageBarTitle>A simulated Meet Now meeting, seen by {displayName} ({persona}).{' '}
        {other && <Link href={`?demo=${other.persona}`}>{other.label}</Link>}
      </MessageBarBody>
    </MessageBar>
  );
}
