/**
 * `npm run demo` in a real browser: the side panel preview of the simulated Meet Now meeting, as the organizer
 * and as an attendee, with activities posted to /api/messages as Teams would while the page is open.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { INSTALLED_AT_SECONDS } from '../../demo/script.js';
import { startDemo, type Demo } from '../../demo/startDemo.js';
import type { DemoPerson } from '../../demo/people.js';
import { parseCsv } from '../support/reportApi.js';
import { assertNoSeriousAccessibilityViolations } from './support/accessibility.js';
import { artifactPath, docsScreenshotPath } from './support/artifacts.js';
import { useTestBrowser } from './support/browserHooks.js';
import { buildTabOnce } from './support/tabBuild.js';

/** Who has joined by the time the preview opens (everyone in a step before 0, plus the three already there). */
const PEOPLE_SO_FAR = 11;
const PRESENT_SO_FAR = 9;

const newcomer: DemoPerson = {
  id: '29:1demoNewcomer',
  aadObjectId: 'de000000-0000-4000-8000-0000000000ff',
  name: 'Nora Newcomer',
  role: 'Attendee',
};

/** Seconds of a duration shown as "1h 2m 3s", "7m 41s" or "45s". */
function secondsOf(text: string): number {
  const [, hours, minutes, seconds] = /^(?:(\d+)h )?(?:(\d+)m )?(\d+)s$/.exec(text.trim()) ?? [];
  assert.ok(seconds !== undefined, `"${text}" is not a duration`);
  return Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds);
}

describe('the demo side panel (npm run demo) in a browser', function () {
  this.timeout(60_000);
  let demo: Demo;
  const browser = useTestBrowser();
  let startedAt: number;

  const row = (name: string) => browser.page.locator('li[data-participant-id]', { hasText: name });
  const totalOf = async (name: string) => secondsOf(await row(name).locator('time').innerText());

  before(async () => {
    await buildTabOnce();
    startedAt = Date.now();
    demo = await startDemo({ port: 0, logLevel: 'silent' });
  });

  after(async () => {
    await demo?.close();
  });

  it('shows the organizer every participant under the instant-meeting warning', async () => {
    await browser.page.goto(demo.previewUrl('organizer'));
    await browser.page.getByRole('heading', { name: `In the meeting (${PRESENT_SO_FAR})` }).waitFor();
    const warning = browser.page.getByText('No Teams attendance report for this meeting');
    await warning.waitFor();
    // The app was added 8 minutes before the demo started: that is when recording began (the browser runs in UTC).
    const installedAt = new Date(startedAt + INSTALLED_AT_SECONDS * 1000);
    const since = `${String(installedAt.getUTCHours()).padStart(2, '0')}:${String(installedAt.getUTCMinutes()).padStart(2, '0')}`;
    await browser.page.getByText(`Recording since ${since}; anyone here earlier counts from then.`).waitFor();
    assert.equal(await browser.page.locator('li[data-participant-id]').count(), PEOPLE_SO_FAR);
    await browser.page.getByRole('heading', { name: 'Left (2)' }).waitFor();
    // The warning comes first, above the meeting itself.
    const [warningBox, titleBox] = await Promise.all([warning.boundingBox(), browser.page.getByRole('heading', { level: 1 }).boundingBox()]);
    assert.ok(warningBox && titleBox && warningBox.y < titleBox.y, 'the warning should be at the top');

    await assertNoSeriousAccessibilityViolations(browser.page, 'the organizer view');
    await browser.page.screenshot({ path: artifactPath('side-panel-light.png'), fullPage: true });
    await browser.page.screenshot({ path: docsScreenshotPath('side-panel.png') });
    await browser.page.setViewportSize({ width: 900, height: 800 });
    await browser.page.screenshot({ path: artifactPath('meeting-tab-wide-light.png'), fullPage: true });
  });

  it("follows the browser's dark preference outside Teams", async () => {
    await browser.page.emulateMedia({ colorScheme: 'dark' });
    await browser.page.goto(demo.previewUrl('organizer'));
    await row('Bob Student').waitFor();
    const background = (await browser.page.evaluate(
      `getComputedStyle(document.querySelector('.fui-FluentProvider')).backgroundColor`,
    )) as string;
    assert.notEqual(background, 'rgb(255, 255, 255)');
    await assertNoSeriousAccessibilityViolations(browser.page, 'the organizer view, dark');
    await browser.page.screenshot({ path: artifactPath('side-panel-dark.png'), fullPage: true });
  });

  it('ticks durations every second', async () => {
    await browser.page.goto(demo.previewUrl('organizer'));
    await row('Bob Student').waitFor();
    const before = await totalOf('Bob Student');
    // Bob joined 460 s before the demo started.
    assert.ok(before >= 460 && before < 460 + 60, `Bob's total should be about 7m 40s, not ${before} s`);
    // Two ticks take between 1 and 2 s after the first reading (a little more on a busy machine).
    const readAt = Date.now();
    let after = before;
    while (after < before + 2 && Date.now() - readAt < 4000) {
      await browser.page.waitForTimeout(100);
      after = await totalOf('Bob Student');
    }
    const elapsed = Date.now() - readAt;
    assert.equal(after, before + 2, `Bob's total should tick by the second: ${before} s, then ${after} s after ${elapsed} ms`);
    assert.ok(elapsed >= 1000, `two ticks took only ${elapsed} ms`);
    const leftTotal = await totalOf('Grace Kim');
    await browser.page.waitForTimeout(1100);
    assert.equal(await totalOf('Grace Kim'), leftTotal, 'the total of someone who left stays put');
  });

  it('shows a join posted to /api/messages within 3 seconds', async () => {
    await browser.page.goto(demo.previewUrl('organizer'));
    await row('Bob Student').waitFor();
    const posted = Date.now();
    await demo.play({ kind: 'joined', people: [newcomer] });
    await row('Nora Newcomer').waitFor({ timeout: 3000 });
    assert.ok(Date.now() - posted < 3000);
    await browser.page.getByRole('heading', { name: `In the meeting (${PRESENT_SO_FAR + 1})` }).waitFor();
    await demo.play({ kind: 'left', people: [newcomer] });
    await browser.page.getByRole('heading', { name: 'Left (3)' }).waitFor({ timeout: 3000 });
    await row('Nora Newcomer').getByText(/^Left at /).waitFor();
  });

  it('shows an attendee only their own time', async () => {
    await browser.page.goto(demo.previewUrl('attendee'));
    await browser.page.getByText('Your time in this meeting').waitFor();
    const own = browser.page.locator('[data-participant-id]');
    assert.equal(await own.count(), 1);
    assert.equal(await own.getAttribute('data-participant-id'), 'de000000-0000-4000-8000-000000000003');
    assert.ok((await own.locator('time').innerText()).endsWith('s'));
    for (const someoneElse of ['Ana Teacher', 'Carol Assistant', 'Grace Kim', 'No Teams attendance report']) {
      assert.equal(await browser.page.getByText(someoneElse).count(), 0, `an attendee should not see "${someoneElse}"`);
    }
    await assertNoSeriousAccessibilityViolations(browser.page, 'the attendee view');
    await browser.page.screenshot({ path: artifactPath('side-panel-attendee-light.png'), fullPage: true });
  });

  it('shows the final totals when the meeting ends, and downloads them as CSV', async () => {
    await browser.page.goto(demo.previewUrl('organizer'));
    await row('Bob Student').waitFor();
    await demo.play({ kind: 'ended' });
    await browser.page.getByRole('heading', { name: 'Final totals' }).waitFor({ timeout: 3000 });
    await browser.page.getByText(/Ended at \d\d:\d\d/).waitFor();
    const totals = await browser.page.locator('li[data-participant-id] time').allInnerTexts();
    const seconds = totals.map(secondsOf);
    assert.deepEqual(seconds, [...seconds].sort((a, b) => b - a), 'final totals are longest first');
    await browser.page.waitForTimeout(1100);
    assert.deepEqual(await browser.page.locator('li[data-participant-id] time').allInnerTexts(), totals, 'final totals no longer tick');

    const [download] = await Promise.all([browser.page.waitForEvent('download'), browser.page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^attendance-Physics-101-office-hour\.csv$/);
    const rows = parseCsv(await readFile(await download.path(), 'utf8'));
    assert.deepEqual(rows[0]?.slice(0, 3), ['Name', 'Email', 'Role']);
    assert.equal(rows.length - 1, PEOPLE_SO_FAR + 1, 'one CSV row per participant, the newcomer included');
    const bob = rows.find((fields) => fields[0] === 'Bob Student');
    assert.ok(bob, 'Bob is in the CSV');
    assert.equal(Number(bob[5]), await totalOf('Bob Student'), "the CSV's total is the one on screen");
    await assertNoSeriousAccessibilityViolations(browser.page, 'the ended meeting');
    await browser.page.screenshot({ path: artifactPath('side-panel-ended-light.png'), fullPage: true });
  });
});
