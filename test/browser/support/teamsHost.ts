/**
 * A stand-in for the Teams client, so the tab's real teams-js code runs: a page on the app's own origin (which
 * teams-js accepts without configuration) that frames the tab and answers the teams-js postMessage protocol:
 * initialize → [frameContext, 'web', runtime config JSON, version], getContext → Teams' flat context,
 * authentication.getAuthToken → [true, token]. Every message the tab sends is logged for assertions, and
 * the test can send host events (themeChange, settings.save) to the tab.
 */
import type { FrameLocator, Page } from 'playwright-core';

export interface TeamsHostOptions {
  /** The tab page, e.g. /tab/index.html. */
  tabPath: string;
  frameContext: 'sidePanel' | 'content' | 'settings';
  /** Teams' flat context for getContext: meetingId, theme, userObjectId, tid, … */
  context: Record<string, unknown>;
  /** The SSO token getAuthToken returns, or the reason it fails with. */
  token: string | { failure: string };
  /** False: the host never answers (a frame whose parent is not Teams). */
  answers?: boolean;
}

export interface HostMessage {
  func: string;
  args: unknown[];
}

const HOST_PATH = '/teams-host.html';

/** The capabilities a Teams meeting client declares (teams-js runtime config, API version 4). */
const RUNTIME_CONFIG = {
  apiVersion: 4,
  isLegacyTeams: false,
  supports: { app: {}, appEntity: {}, authentication: {}, meeting: {}, pages: { appButton: {}, backStack: {}, config: {}, tabs: {} }, teamsCore: {} },
};

const HOST_SCRIPT = `
  const options = JSON.parse(document.getElementById('host-options').textContent);
  const frame = document.getElementById('tab');
  window.hostLog = [];
  window.sendToTab = (func, args) => frame.contentWindow.postMessage({ func, args }, location.origin);
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (event.source !== frame.contentWindow || !message || typeof message.func !== 'string') return;
    window.hostLog.push({ func: message.func, args: message.args });
    if (!options.answers) return;
    const reply = (args) => frame.contentWindow.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, location.origin);
    switch (message.func) {
      case 'initialize': return reply([options.frameContext, 'web', JSON.stringify(options.runtime), '2.58.0']);
      case 'getContext': return reply([options.context]);
      case 'authentication.getAuthToken':
        return reply(typeof options.token === 'string' ? [true, options.token] : [false, options.token.failure]);
      case 'settings.setSettings': return reply([true]);
    }
  });
`;

export class TeamsHost {
  private constructor(private readonly page: Page) {}

  /** Opens the host page at {serverUrl}/teams-host.html, framing the tab as Teams would. */
  static async open(page: Page, serverUrl: string, options: TeamsHostOptions): Promise<TeamsHost> {
    const hostOptions = { answers: true, ...options, runtime: RUNTIME_CONFIG };
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Teams (test host)</title>
      <style>body { margin: 0; } iframe { border: 0; width: 100vw; height: 100vh; display: block; }</style></head>
      <body><iframe id="tab" title="Attendance" src="${options.tabPath}"></iframe>
      <script id="host-options" type="application/json">${JSON.stringify(hostOptions).replaceAll('<', '\\u003c')}</script>
      <script>${HOST_SCRIPT}</script></body></html>`;
    await page.route(`${serverUrl}${HOST_PATH}`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(`${serverUrl}${HOST_PATH}`);
    return new TeamsHost(page);
  }

  get tab(): FrameLocator {
    return this.page.frameLocator('#tab');
  }

  /** What the tab has sent to the host so far. */
  async messages(): Promise<HostMessage[]> {
    return (await this.page.evaluate('window.hostLog')) as HostMessage[];
  }

  /** The first message the tab sent with this `func` (and, when given, this first argument). */
  async waitForMessage(func: string, firstArg?: unknown, timeoutMs = 5000): Promise<HostMessage> {
    const deadline = Date.now() + timeoutMs;
    const wanted = (message: HostMessage) => message.func === func && (firstArg === undefined || message.args[0] === firstArg);
    for (;;) {
      const found = (await this.messages()).find(wanted);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`the tab sent no "${func}" within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A host event, as Teams sends them: { func, args } without an id. */
  async send(func: string, args: unknown[]): Promise<void> {
    await this.page.evaluate(`window.sendToTab(${JSON.stringify(func)}, ${JSON.stringify(args)})`);
  }
}
