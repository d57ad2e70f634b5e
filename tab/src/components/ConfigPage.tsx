/**
 * The configurable tab's configuration page, which Teams shows when Attendance is added to a meeting: it
 * points the tab at the side panel and lets the person save.
 */
import { pages } from '@microsoft/teams-js';
import { useEffect, useState } from 'react';
import { connectToTeams, type HostTheme } from '../host/teams';
import { AppFrame } from './AppFrame';
import { Loading } from './Loading';
import { OutsideTeams } from './OutsideTeams';
import { StateMessage } from './StateMessage';

const TEAMS_HANDSHAKE_TIMEOUT_MS = 3000;

/** What Teams saves for the tab: the side panel page, beside this one. */
function tabSettings(): pages.InstanceConfig {
  return {
    entityId: 'attendance-live',
    contentUrl: new URL('index.html', window.location.href).href,
    suggestedDisplayName: 'Attendance',
  };
}

export function ConfigPage() {
  const [state, setState] = useState<'connecting' | 'ready' | 'outsideTeams'>('connecting');
  const [theme, setTheme] = useState<HostTheme>('default');

  useEffect(() => {
    void connectToTeams(TEAMS_HANDSHAKE_TIMEOUT_MS).then((teams) => {
      if (!teams) return setState('outsideTeams');
      setTheme(teams.theme);
      teams.onThemeChange(setTheme);
      pages.config.registerOnSaveHandler((saveEvent) => {
        pages.config.setConfig(tabSettings()).then(
          () => saveEvent.notifySuccess(),
          (error: unknown) => saveEvent.notifyFailure(error instanceof Error ? error.message : String(error)),
        );
      });
      void pages.config.setValidityState(true);
      setState('ready');
    });
  }, []);

  return (
    <AppFrame theme={theme}>
      {state === 'connecting' && <Loading label="Connecting to Teams…" />}
      {state === 'outsideTeams' && <OutsideTeams demoRequested={false} />}
      {state === 'ready' && (
        <StateMessage title="Add Attendance to this meeting">
          <p>
            Attendance shows, live, who is in the meeting and for how long. The organizer and presenters see everyone;
            attendees see their own time. It counts from the moment it is added.
          </p>
          <p>
            Select <strong>Save</strong> to add it.
          </p>
        </StateMessage>
      )}
    </AppFrame>
  );
}
