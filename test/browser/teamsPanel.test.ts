/**
 * The side panel inside Teams, as far as a test can take it: a test host page frames the built tab and
 * answers the teams-js handshake, so the tab's real teams-js code runs (initialize, getContext, getAuthToken,
 * theme changes, the configuration page's save). The API behind it is the real server with signed tokens.
 */
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, guest, TENANT_ID } from '../support/people.js';
import { assertNoSeriousAccessibilityViolations } from './support/accessibility.js';
import { artifactPath } from './support/artifacts.js';
import { useTestBrowser } from './support/browserHooks.js';
import { buildTabOnce } from './support/tabBuild.js';
import { TeamsHost, type TeamsHostOptions } from './support/teamsHost.js';

/** Teams' flat context for a meeting side panel. */
function meetingContext(meetingId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    meetingId,
    chatId: '19:meeting_test@thread.v2',
    frameContext: 'sidePanel',
    theme: 'default',
    locale: 'en-GB',
    tid: TENANT_ID,
    userObjectId: ana.aadObjectId,
    hostName: 'Teams',
    hostClientType: 'web',
    ...overrides,
  };
}

/** The relative luminance (0 black … 1 white) of the tab's background. */
async function backgroundLuminance(frame: Frame): Promise<number> {
  const color = (await frame.evaluate(
    `getComputedStyle(document.querySelector('.fui-FluentProvider')).backgroundColor`,
  )) as string;
  const [red, green, blue] = (color.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * (red ?? 0) + 0.7152 * (green ?? 0) + 0.0722 * (blue ?? 0)) / 255;
}

function tabFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate.url().includes('/tab/'));
  if (!frame) throw new Error('the host page has no tab frame');
  return frame;
}

describe('the side panel in Teams (a test host answering teams-js)', function () {
  this.timeout(60_000);
  before(buildTabOnce);
  const env = useTestEnvironment();
  const browser = useTestBrowser();
  let meeting: TeamsMeeting;

  const tokenFor = (person: { aadObjectId?: string }) => env.tokens.userToken({ oid: person.aadObjectId as string });
  const openHost = (options: Partial<TeamsHostOptions> & { token: TeamsHostOptions['token'] }) =>
    TeamsHost.open(browser.page, env.server.url, {
      tabPath: '/tab/index.html',
      frameContext: 'sidePanel',
      context: meetingContext(meeting.meetingId),
      ...options,
    });

  before(async () => {
    // The fixtures' meeting details: a Meet Now meeting organized by Ana. The server's clock reads 09:45.
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(
      meeting.started(on('09:00:00')),
      meeting.joined(on('09:00:10'), [ana, carol, guest]),
      meeting.joined(on('09:05:00'), [bob]),
      meeting.joined(on('09:10:00'), [dan]),
      meeting.left(on('09:20:00'), [dan]),
    );
  });

  it('shows the organizer (known from the SSO token) everyone and the instant-meeting warning, in the dark theme from the context', async () => {
    const host = await openHost({ context: meetingContext(meeting.meetingId, { theme: 'dark' }), token: await tokenFor(ana) });
    await host.tab.getByRole('heading', { name: 'In the meeting (4)' }).waitFor();
    await host.tab.getByText('No Teams attendance report for this meeting').waitFor();
    await host.tab.getByText('Recording since the meeting started at 09:00.').waitFor();
    assert.equal(await host.tab.locator('[data-participant-id]').count(), 5);
    await host.tab.getByRole('heading', { name: 'Left (1)' }).waitFor();
    // The server's clock says 09:45:00, far from this browser's: durations count from the server's time.
    const anaTotal = await host.tab.locator('li[data-participant-id]', { hasText: 'Ana Teacher' }).locator('time').innerText();
    assert.match(anaTotal, /^44m 5\ds$/);

    const funcs = (await host.messages()).map((message) => message.func);
    for (const expected of ['initialize', 'getContext', 'authentication.getAuthToken', 'appInitialization.success']) {
      assert.ok(funcs.includes(expected), `the tab should have sent ${expected}; it sent ${funcs.join(', ')}`);
    }
    assert.ok((await backgroundLuminance(tabFrame(browser.page))) < 0.3, 'the dark theme from the context should be applied');
    await browser.page.screenshot({ path: artifactPath('side-panel-teams-dark.png'), fullPage: true });
    await assertNoSeriousAccessibilityViolations(browser.page, 'the organizer view in the dark theme');
  });

  it("follows Teams' theme changes", async () => {
    const host = await openHost({ context: meetingContext(meeting.meetingId, { theme: 'dark' }), token: await tokenFor(ana) });
    await host.tab.getByRole('heading', { name: 'In the meeting (4)' }).waitFor();
    await host.waitForMessage('registerHandler', 'themeChange');
    await host.send('themeChange', ['default']);
    await browser.page.waitForFunction(`getComputedStyle(document.getElementById('tab').contentDocument.querySelector('.fui-FluentProvider')).backgroundColor === 'rgb(255, 255, 255)'`);
    await host.send('themeChange', ['contrast']);
    await browser.page.waitForFunction(`getComputedStyle(document.getElementById('tab').contentDocument.querySelector('.fui-FluentProvider')).backgroundColor === 'rgb(0, 0, 0)'`);
    await assertNoSeriousAccessibilityViolations(browser.page, 'the organizer view in high contrast');
  });

  it('polls every 2 s with If-None-Match (304 while nothing changes), asking Teams for a token only once', async () => {
    const statuses: number[] = [];
    browser.page.on('response', (response) => {
      if (response.url().endsWith('/live')) statuses.push(response.status());
    });
    const host = await openHost({ token: await tokenFor(ana) });
    await host.tab.getByRole('heading', { name: 'In the meeting (4)' }).waitFor();
    await browser.page.waitForTimeout(4500);
    assert.equal(statuses[0], 200);
    assert.ok(statuses.length >= 3, `polled ${statuses.length} times in about 4.5 s`);
    assert.deepEqual(new Set(statuses.slice(1)), new Set([304]));
    const tokenRequests = (await host.messages()).filter((message) => message.func === 'authentication.getAuthToken');
    assert.equal(tokenRequests.length, 1, 'the token is reused until shortly before it expires');
  });

  it("takes the viewer's identity from the token, never from getContext's user id", async () => {
    // The context claims Ana (the organizer); the token is Bob's, an attendee.
    const host = await openHost({ context: meetingContext(meeting.meetingId, { userObjectId: ana.aadObjectId }), token: await tokenFor(bob) });
    await host.tab.getByText('Your time in this meeting').waitFor();
    const rows = host.tab.locator('[data-participant-id]');
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.getAttribute('data-participant-id'), bob.aadObjectId);
    assert.equal(await host.tab.getByText('Ana Teacher').count(), 0);
    assert.equal(await host.tab.getByText('No Teams attendance report').count(), 0);
  });

  it('tells the organizer how to add the app when nothing is recorded for the meeting', async () => {
    const host = await openHost({ context: meetingContext('MCMxOTpub3RoaW5nLXJlY29yZGVk'), token: await tokenFor(ana) });
    await host.tab.getByRole('heading', { name: "Attendance isn't recording this meeting yet" }).waitFor();
    await host.tab.getByText('The organizer can add it').waitFor();
  });

  it("says the meeting hasn't started when the app is added before it starts", async () => {
    const scheduled = new TeamsMeeting(() => env.server.url, env.connector.url);
    await scheduled.play(scheduled.installed(on('08:55:00')));
    const host = await openHost({ context: meetingContext(scheduled.meetingId), token: await tokenFor(ana) });
    await host.tab.getByText("The meeting hasn't started yet.").waitFor();
  });

  it('explains a failed Teams sign-in and offers to retry', async () => {
    const host = await openHost({ token: { failure: 'resourceRequiresConsent' } });
    await host.tab.getByRole('heading', { name: "Couldn't sign you in to Attendance" }).waitFor();
    await host.tab.getByText(/resourceRequiresConsent/).waitFor();
    await host.tab.getByRole('button', { name: 'Retry' }).waitFor();
  });

  it('says to open it in Teams when the framing page never answers the handshake', async () => {
    const host = await openHost({ token: 'unused', answers: false });
    const started = Date.now();
    await host.tab.getByRole('heading', { name: 'Open Attendance in Teams' }).waitFor({ timeout: 6000 });
    assert.ok(Date.now() - started >= 2000, 'it should wait for Teams a few seconds first');
  });

  it('shows no demo on a server that is not running the demo, even when asked for one', async () => {
    assert.equal((await fetch(`${env.server.url}/tab/demo-config?as=organizer`)).status, 404);
    await browser.page.goto(`${env.server.url}/tab/index.html?demo=organizer`);
    await browser.page.getByRole('heading', { name: 'Open Attendance in Teams' }).waitFor();
    await browser.page.getByText('This server is not running the demo').waitFor();
    await assertNoSeriousAccessibilityViolations(browser.page, 'the "open in Teams" page');
  });

  it('the configuration page points the tab at the side panel and saves it', async () => {
    const host = await openHost({ tabPath: '/tab/config.html', frameContext: 'settings', token: 'unused' });
    await host.tab.getByRole('heading', { name: 'Add Attendance to this meeting' }).waitFor();
    assert.deepEqual((await host.waitForMessage('settings.setValidityState')).args, [true]);
    await host.send('settings.save', [{}]);
    const saved = await host.waitForMessage('settings.setSettings');
    assert.deepEqual(saved.args, [
      { entityId: 'attendance-live', contentUrl: `${env.server.url}/tab/index.html`, suggestedDisplayName: 'Attendance' },
    ]);
    await host.waitForMessage('settings.save.success');
    await assertNoSeriousAccessibilityViolations(browser.page, 'the configuration page');
  });
});
