/**
 * The demo host (`npm run demo`): outside Teams, with ?demo={persona} in the URL, the side panel asks the server
 * for the demo meeting and a token for that made-up person. Servers not started by the demo answer 404.
 */
export interface DemoConnection {
  meetingId: string;
  persona: string;
  displayName: string;
  getToken(): Promise<string>;
}

interface DemoConfig {
  meetingId: string;
  displayName: string;
  token: string;
}

export function requestedDemoPersona(): string | null {
  return new URLSearchParams(window.location.search).get('demo');
}

export async function connectToDemo(persona: string): Promise<DemoConnection | undefined> {
  const response = await fetch(`/tab/demo-config?as=${encodeURIComponent(persona)}`, { cache: 'no-store' }).catch(() => undefined);
  if (!response?.ok) return undefined;
  const config = (await response.json()) as DemoConfig;
  return { meetingId: config.meetingId, persona, displayName: config.displayName, getToken: async () => config.token };
}
