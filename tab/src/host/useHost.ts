/** Where the page runs (Teams, the demo, or neither) and the theme to draw it in, following the host's changes. */
import { useEffect, useState } from 'react';
import { connectToDemo, requestedDemoPersona, type DemoConnection } from './demo';
import { connectToTeams, type HostTheme, type TeamsConnection } from './teams';

/** How long to wait for Teams to answer the handshake before saying this is not Teams. */
const TEAMS_HANDSHAKE_TIMEOUT_MS = 3000;

export type Host =
  | { kind: 'connecting' }
  | { kind: 'outsideTeams'; demoRequested: boolean }
  | ({ kind: 'teams' } & TeamsConnection)
  | ({ kind: 'demo' } & DemoConnection);

export function useHost(): { host: Host; theme: HostTheme } {
  const [host, setHost] = useState<Host>({ kind: 'connecting' });
  const [theme, setTheme] = useState<HostTheme>(browserTheme);

  useEffect(() => {
    let current = true;
    void (async () => {
      const teams = await connectToTeams(TEAMS_HANDSHAKE_TIMEOUT_MS);
      if (!current) return;
      if (teams) {
        setTheme(teams.theme);
        teams.onThemeChange(setTheme);
        setHost({ kind: 'teams', ...teams });
        return;
      }
      const persona = requestedDemoPersona();
      const demo = persona ? await connectToDemo(persona) : undefined;
      if (current) setHost(demo ? { kind: 'demo', ...demo } : { kind: 'outsideTeams', demoRequested: persona !== null });
    })();
    return () => {
      current = false;
    };
  }, []);

  return { host, theme };
}

/** Outside Teams, the browser's own light or dark preference. */
function browserTheme(): HostTheme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}
