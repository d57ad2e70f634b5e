/** The Teams host: the teams-js handshake (with a time limit), the context, SSO tokens and theme changes. */
import { app, authentication } from '@microsoft/teams-js';
import { cachedToken } from './tokenCache';

export type HostTheme = 'default' | 'dark' | 'contrast';

export interface TeamsConnection {
  /** Absent when the tab is opened outside a meeting (a chat or channel tab). */
  meetingId: string | undefined;
  /** The meeting chat's thread id: a class's meetings share it ("This class so far"). */
  chatId: string | undefined;
  theme: HostTheme;
  /** An Entra ID token for our API (Teams SSO). Identity comes from this token, never from the context. */
  getToken(): Promise<string>;
  onThemeChange(handler: (theme: HostTheme) => void): void;
}

/**
 * Connects to Teams, or resolves undefined when this page is not inside Teams: app.initialize rejects at once
 * at the top level, and never settles in a frame whose parent does not answer, hence the time limit.
 */
export async function connectToTeams(timeoutMs: number): Promise<TeamsConnection | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const initialized = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!initialized) return undefined;
  const context = await app.getContext();
  // Hides Teams' loading indicator, should the manifest ask for one.
  app.notifySuccess().catch(() => undefined);
  return {
    meetingId: context.meeting?.id,
    chatId: context.chat?.id,
    theme: hostTheme(context.app.theme),
    getToken: cachedToken(() => authentication.getAuthToken()),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(hostTheme(theme))),
  };
}

function hostTheme(theme: string | undefined): HostTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}
