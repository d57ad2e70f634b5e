/**
 * `npm run playground` in a real browser: Microsoft 365 Agents Playground with the app in local mode, both on
 * loopback ports. Opening the meeting chat installs the bot, a typed @mention reaches it, and the meeting events
 * of playground/events/ posted through the playground's custom-activity endpoint (what its "Mock an Activity >
 * Custom activity" box sends) are recorded: the end-of-meeting summary appears in the chat and the report API
 * has the totals. Nothing the page loads may leave 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DEFAULT_PLAYGROUND_PORT, startPlayground, type RunningPlayground } from '../../playground/startPlayground.js';
import { getMeetingApi } from '../support/reportApi.js';
import { CLIENT_ID, TokenIssuer } from '../support/tokens.js';
import { artifactPath } from './support/artifacts.js';
import { useTestBrowser } from './support/browserHooks.js';

const EVENTS_DIR = new URL('../../playground/events/', import.meta.url);
const MEETING_CHAT = 'Physics 101 (meeting chat)';
const PLAYGROUND_VIEWPORT = { width: 1280, height: 900 };
const ORGANIZER_OBJECT_ID = '1f0c6b8e-0000-4000-8000-000000000101';
/** Where the playground's page takes its Fluent UI fonts and animations from. */
const OFFICE_CDN = 'res-1.cdn.office.net';

/** Linux's view of the TCP sockets listening on `port` (/proc/net/tcp and tcp6): the local address of each, in hex. */
function listeningAddresses(port: number): string[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${portHex}`))
      .map((fields) => (fields[1] ?? '').split(':')[0] ?? ''),
  );
}

/** An activity of playground/events/, as a developer pastes it, addressed to this run's playground. */
function playgroundEvent(file: string, serviceUrl: string): Record<string, any> {
  const activity = JSON.parse(readFileSync(new URL(file, EVENTS_DIR), 'utf8')) as Record<string, any>;
  return { ...activity, serviceUrl };
}

/** The meeting's events in the order their file names give: start, joins, a leave, a rejoin, end. */
const MEETING_EVENT_FILES = readdirSync(EVENTS_DIR)
  .filter((name) => /^\d-.*\.json$/.test(name))
  .sort();

describe('the bot in Microsoft 365 Agents Playground (npm run playground) in a browser', function () {
  this.timeout(120_000);
  const browser = useTestBrowser();
  let tokens: TokenIssuer;
  let playground: RunningPlayground;
  const leftLoopback: { method: string; host: string; url: string }[] = [];

  before(async () => {
    tokens = await TokenIssuer.start();
    playground = await startPlayground({
      appPort: 0,
      playgroundPort: 0,
      logLevel: 'silent',
      openBrowser: false,
      playgroundOutput: 'ignore',
      settings: { AAD_APP_CLIENT_ID: CLIENT_ID, AAD_JWKS_URI: tokens.jwksUri },
    });
  });

  after(async () => {
    await playground?.close();
    await tokens?.close();
  });

  /** The playground page, with every request that would leave loopback refused and noted. */
  async function openPlayground(): Promise<Page> {
    const page = browser.page;
    await page.setViewportSize(PLAYGROUND_VIEWPORT);
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      leftLoopback.push({ method: route.request().method(), host: url.hostname, url: url.href });
      return route.abort();
    });
    await page.goto(playground.playgroundUrl);
    await page.getByText(MEETING_CHAT, { exact: true }).click();
    return page;
  }

  /** A paragraph of the conversation (a message or a card's text), not the chat list's preview or the log panel. */
  function inChat(page: Page, text: string | RegExp) {
    return page.getByRole('paragraph').filter({ hasText: text });
  }

  /** Types a message that @mentions the bot, as a person does: "@Att", pick Attendance in the list, the rest. */
  async function mentionBot(page: Page, command: string): Promise<void> {
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type('@Att');
    await page.getByRole('menuitem', { name: 'Attendance' }).click();
    await page.keyboard.type(` ${command}`);
    await page.keyboard.press('Enter');
  }

  /** Posts an activity as the custom-activity box does, then waits until the log panel shows the bot's 200 for it. */
  async function sendCustomActivity(page: Page, activity: Record<string, any>): Promise<void> {
    const acknowledged = page.getByText(`${activity['type']} 200`, { exact: true });
    const before = await acknowledged.count();
    const response = await fetch(`${playground.playgroundUrl}/_internal/v1/customActivities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    assert.equal(response.status, 200, `the playground took ${activity['id']}`);
    await acknowledged.nth(before).waitFor();
  }

  it('installs the bot in the meeting chat, answers an @mention there, and records the meeting events pasted into it', async () => {
    const page = await openPlayground();

    await mentionBot(page, 'help');
    await inChat(page, 'I record who attends this meeting and for how long.').waitFor();
    await page.screenshot({ path: artifactPath('playground-chat.png') });

    for (const file of MEETING_EVENT_FILES) await sendCustomActivity(page, playgroundEvent(file, playground.serviceUrl));

    // The start of a Meet Now meeting brings the instant-meeting notice, its end the summary card.
    await inChat(page, 'This is an instant meeting (Meet Now or a call).').waitFor();
    const summary = inChat(page, /^Attendance: Physics 101$/);
    await summary.first().waitFor();
    await inChat(page, /^44m 55s$/).first().waitFor();
    await inChat(page, /^39m 55s$/).first().waitFor();

    // A report asked for in the meeting chat: a message carrying channelData.meeting, as Teams' messages do.
    await sendCustomActivity(page, playgroundEvent('attendance-report-message.json', playground.serviceUrl));
    await summary.nth(1).waitFor();
    // Typed in the chat, without channelData.meeting: the bot finds the meeting by its chat's thread id.
    await mentionBot(page, 'attendance report');
    await summary.nth(2).waitFor();
    await page.screenshot({ path: artifactPath('playground-report.png') });

    const start = playgroundEvent(MEETING_EVENT_FILES[0] ?? '', playground.serviceUrl);
    const organizer = await tokens.userToken({ oid: ORGANIZER_OBJECT_ID, tid: start['channelData'].tenant.id });
    const answer = await getMeetingApi(playground.appUrl, start['channelData'].meeting.id, '/attendanceReport', organizer);
    assert.equal(answer.status, 200);
    const totals = Object.fromEntries(
      (answer.json.attendanceRecords as any[]).map((record) => [
        record.identity.displayName,
        { seconds: record.totalAttendanceInSeconds, sessions: record.attendanceIntervals.length },
      ]),
    );
    assert.deepEqual(totals, {
      'Ana Teacher': { seconds: 2695, sessions: 1 },
      'Chloe Presenter': { seconds: 2695, sessions: 1 },
      'Bob Student': { seconds: 2395, sessions: 2 },
    });
    assert.equal(answer.json.meetingType, 'MeetNow');

    // Everything above ran with no request leaving 127.0.0.1. The page's only attempts were to load static
    // files (web fonts, an animation script) from Microsoft's CDN, refused here: it works without them.
    assert.deepEqual(
      leftLoopback.filter((request) => !(request.method === 'GET' && request.host === OFFICE_CDN)),
      [],
      'requests that left 127.0.0.1',
    );
  });

  it('serves the playground on 127.0.0.1 only, though it asks for every interface', () => {
    // Read from the kernel's socket table rather than by connecting to the machine's other addresses: this
    // workplace allows test traffic to loopback only.
    const port = Number(new URL(playground.playgroundUrl).port);
    const addresses = listeningAddresses(port);
    assert.ok(addresses.length > 0, `nothing listens on port ${port}`);
    // 127.0.0.1 as /proc/net/tcp writes it (little-endian hex); every other address, the wildcard included, fails.
    assert.deepEqual([...new Set(addresses)], ['0100007F']);
  });

  it('has events addressed as the playground addresses its meeting chat: chat, bot, tenant and connector', async () => {
    for (const file of [...MEETING_EVENT_FILES, 'attendance-report-message.json']) {
      const event = playgroundEvent(file, playground.serviceUrl);
      const query = new URLSearchParams({ conversationId: event['conversation'].id });
      const response = await fetch(`${playground.playgroundUrl}/_internal/v1/customActivities/template?${query}`);
      assert.equal(response.status, 200, `the playground knows the chat of ${file}`);
      const template = (await response.json()) as Record<string, any>;
      assert.deepEqual(event['conversation'], template['conversation'], file);
      assert.deepEqual(event['recipient'], template['recipient'], file);
      assert.equal(event['channelData'].tenant.id, template['conversation'].tenantId, file);
      assert.equal(event['channelId'], template['channelId'], file);
      assert.equal(template['serviceUrl'], playground.serviceUrl);
      // As published, each names the connector of npm run playground's port (this run's port differs).
      const published = JSON.parse(readFileSync(new URL(file, EVENTS_DIR), 'utf8')) as Record<string, any>;
      assert.equal(published['serviceUrl'], `http://127.0.0.1:${DEFAULT_PLAYGROUND_PORT}/_connector`, file);
    }
  });
});
