/**
 * The register in the side panel after a class, through the Teams test host: the organizer corrects an absent
 * student who dialled in by phone, with the keyboard, in a dialog that is axe-clean; the server's refusal is
 * announced in it; the register, the trail and "This class so far" follow. An attendee sees their own status.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, TENANT_ID, type TeamsPerson } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { assertNoSeriousAccessibilityViolations } from './support/accessibility.js';
import { artifactPath } from './support/artifacts.js';
import { useTestBrowser } from './support/browserHooks.js';
import { buildTabOnce } from './support/tabBuild.js';
import { TeamsHost } from './support/teamsHost.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the register and its correction dialog in the side panel', function () {
  this.timeout(90_000);
  before(buildTabOnce);
  const env = useTestEnvironment();
  const browser = useTestBrowser();
  let meeting: TeamsMeeting;

  const tokenFor = (person: TeamsPerson) => env.tokens.userToken({ oid: person.aadObjectId ?? '' });
  const openAs = async (person: TeamsPerson) =>
    TeamsHost.open(browser.page, env.server.url, {
      tabPath: '/tab/index.html',
      frameContext: 'sidePanel',
      context: { meetingId: meeting.meetingId, chatId: meeting.chatId, frameContext: 'sidePanel', theme: 'default', locale: 'en-GB', tid: TENANT_ID, userObjectId: person.aadObjectId, hostName: 'Teams', hostClientType: 'web' },
      token: await tokenFor(person),
    });

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    env.connector.scriptChatMembers(meeting.chatId, [ana, bob, carol, dan]);
    await meeting.play(
      meeting.started(on('09:00:00')),
      meeting.joined(on('09:00:10'), [ana, carol]),
      meeting.joined(on('09:15:00'), [bob]),
      meeting.ended(on('10:00:00')),
    );
    const organizer = await tokenFor(ana);
    for (let waited = 0; waited < 10_000; waited += 100) {
      if ((await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', organizer)).json?.absentees?.length) break;
      await sleep(100);
    }
  });

  it('lets the organizer correct an absent student with the keyboard, in an axe-clean dialog that announces refusals', async () => {
    const host = await openAs(ana);
    const tab = host.tab;
    await tab.getByRole('heading', { name: 'Register' }).waitFor();
    await tab.getByText('Present 2 · Late 1 · Absent 1').waitFor();
    await tab.getByRole('heading', { name: 'Absent (1)' }).waitFor();

    await tab.getByRole('button', { name: 'Correct Dan Student' }).focus();
    await browser.page.keyboard.press('Enter');
    const dialog = tab.getByRole('dialog', { name: 'Correct Dan Student' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Correction').inputValue(), 'addInterval', 'an absent person: add the time they were there');
    await dialog.getByLabel('From').fill('09:30');
    await dialog.getByLabel('To').fill('09:10');
    await dialog.getByLabel('Reason').fill('dialled in by phone');
    await assertNoSeriousAccessibilityViolations(browser.page, 'the correction dialog');
    await dialog.getByRole('button', { name: 'Save correction' }).focus();
    await browser.page.keyboard.press('Enter');
    await dialog.getByRole('alert').getByText(/leaveDateTime must be after joinDateTime/).waitFor();
    await browser.page.screenshot({ path: artifactPath('register-correction-dialog.png'), fullPage: true });
    await assertNoSeriousAccessibilityViolations(browser.page, 'the correction dialog with a refusal');

    await dialog.getByLabel('From').fill('09:05');
    await dialog.getByLabel('To').fill('10:00');
    await dialog.getByRole('button', { name: 'Save correction' }).focus();
    await browser.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await tab.getByText('Present 3 · Late 1').waitFor();
    await tab.locator(`[data-participant-id="${dan.aadObjectId}"]`).getByText('Present (corrected)').waitFor();
    await tab.getByText(/Add time they were there: Dan Student/).waitFor();
    await tab.getByText('Ana Teacher', { exact: false }).first().waitFor();

    await tab.getByRole('button', { name: 'Correct Bob Student' }).click();
    await tab.getByRole('dialog', { name: 'Correct Bob Student' }).waitFor();
    await browser.page.keyboard.press('Escape');
    await tab.getByRole('dialog').waitFor({ state: 'detached' });

    await tab.getByRole('button', { name: 'Show this class so far' }).click();
    await tab.getByRole('list', { name: 'This class so far' }).getByText('Dan Student').waitFor();
    await browser.page.screenshot({ path: artifactPath('register-after-correction.png'), fullPage: true });
    await assertNoSeriousAccessibilityViolations(browser.page, 'the register after a correction');
  });

  it('shows an attendee their own status, and no Correct action', async () => {
    const host = await openAs(bob);
    await host.tab.getByText('Register: Late, 75 % of the meeting.').waitFor();
    assert.equal(await host.tab.getByRole('button', { name: /^Correct/ }).count(), 0);
    await assertNoSeriousAccessibilityViolations(browser.page, "an attendee's view of the register");
  });
});
