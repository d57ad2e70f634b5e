/**
 * GET /api/meetings for a sync job: the tenant's meetings for an application with Attendance.Read.All, a user's
 * own for a user; newest first, filtered by time and organizer, paged through @odata.nextLink; every id of each
 * meeting and whether its figures are final. Also: e-mails looked up after the answer fill in later when the
 * first lookup fails, and the report is served meanwhile.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { graphOnlineMeetingId } from '../../bot/src/attendance/meetingIds.js';
import { useTestEnvironment } from '../support/environment.js';
import { defaultMeetingInfo } from '../support/fakeConnector.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, dan, eve, guest, type TeamsPerson } from '../support/people.js';
import { getApi, getMeetingApi } from '../support/reportApi.js';
import { OTHER_TENANT_ID } from '../support/tokens.js';
import { waitFor } from '../support/waitFor.js';

const READ_ALL = ['Attendance.Read.All'];

describe('GET /api/meetings: the meetings a sync job reads', function () {
  const env = useTestEnvironment();
  const meetings: Record<string, TeamsMeeting> = {};

  /** A meeting organised by `organizer`, run from `start` (HH:MM) for ten minutes, or still live. */
  async function play(name: string, organizer: TeamsPerson, start: string, options: { live?: boolean; joinUrl?: string } = {}): Promise<TeamsMeeting> {
    const thread = `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`;
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { chatId: thread });
    const joinUrl = options.joinUrl ?? `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0`;
    const info = defaultMeetingInfo(meeting.meetingId);
    info.details = { ...info.details, joinUrl, msGraphResourceId: '', type: 'MeetNow', title: name };
    info.organizer = { ...info.organizer, id: organizer.id, aadObjectId: organizer.aadObjectId, objectId: organizer.aadObjectId };
    env.connector.scriptMeetingInfo(meeting.meetingId, { body: info });
    env.connector.scriptChatMembers(thread, [organizer, bob, guest]);
    const started = meeting.started(on(`${start}:00.000`));
    started.value = { ...started.value, JoinUrl: joinUrl, Title: name };
    await meeting.play(started, meeting.joined(on(`${start}:05.000`), [organizer, bob, guest]));
    if (!options.live) {
      const ended = meeting.ended(on(`${start.slice(0, 3)}${String(Number(start.slice(3)) + 10).padStart(2, '0')}:00.000`));
      ended.value = { ...ended.value, JoinUrl: joinUrl, Title: name };
      await meeting.send(ended);
    }
    meetings[name] = meeting;
    return meeting;
  }

  const list = async (query: string, token: string) => getApi(env.server.url, `/api/meetings${query}`, token);
  const titles = (answer: { json: { value: { title: string }[] } }) => answer.json.value.map((item) => item.title);

  before(async () => {
    await play('Monday', ana, '08:00');
    await play('Tuesday', dan, '08:20');
    await play('Wednesday', ana, '08:40', { joinUrl: 'https://teams.microsoft.com/meet/2345678901234?p=AbCd' });
    await play('Live', ana, '09:30', { live: true });
    // Details (the organizer) come after the answers; the listing by organizer needs them.
    const token = await env.tokens.appToken({ roles: READ_ALL });
    await waitFor('every organizer known', async () => {
      const answer = await list('', token);
      return answer.json?.value?.length === 4 && answer.json.value.every((item: any) => item.organizer.id && item.organizer.userPrincipalName);
    });
  });

  it('lists the tenant\'s meetings newest first for an application, with every id and whether figures are final', async () => {
    const answer = await list('', await env.tokens.appToken({ roles: READ_ALL }));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(titles(answer), ['Live', 'Wednesday', 'Tuesday', 'Monday']);
    const [live, wednesday] = answer.json.value;
    const meeting = meetings['Wednesday'] as TeamsMeeting;
    assert.deepEqual(wednesday, {
      id: meeting.meetingId,
      onlineMeetingId: graphOnlineMeetingId(ana.aadObjectId as string, meeting.chatId),
      chatThreadId: meeting.chatId,
      joinWebUrl: 'https://teams.microsoft.com/meet/2345678901234?p=AbCd',
      joinMeetingId: '2345678901234',
      organizer: { id: ana.aadObjectId, userPrincipalName: ana.email },
      title: 'Wednesday',
      meetingType: 'MeetNow',
      isInstantMeeting: true,
      startDateTime: on('08:40:00.000'),
      sessionCount: 1,
      latestReportId: wednesday.latestReportId,
      latestReportEndDateTime: on('08:50:00.000'),
      figuresFinal: true,
    });
    const report = await getMeetingApi(env.server.url, meeting.meetingId, `/attendanceReports/${wednesday.latestReportId}`, await env.tokens.appToken({ roles: READ_ALL }));
    assert.equal(report.status, 200, 'the latest report id opens the report');
    assert.equal(live.figuresFinal, false, 'a live meeting is not final');
  });

  it('filters by time and organizer (object id or UPN), and pages through @odata.nextLink to the end', async () => {
    const token = await env.tokens.appToken({ roles: READ_ALL });
    assert.deepEqual(titles(await list('?since=2025-11-26T08:20:00Z&until=2025-11-26T09:00:00%2B00:00', token)), ['Wednesday', 'Tuesday']);
    assert.deepEqual(titles(await list(`?organizer=${dan.aadObjectId}`, token)), ['Tuesday']);
    assert.deepEqual(titles(await list(`?organizer=${encodeURIComponent('ANA@contoso.test')}`, token)), ['Live', 'Wednesday', 'Monday']);
    assert.deepEqual(titles(await list(`?organizer=${encodeURIComponent('nobody@contoso.test')}`, token)), []);

    const seen: string[] = [];
    let next: string | undefined = `${env.server.url}/api/meetings?$top=3`;
    let pages = 0;
    while (next) {
      const response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { value: { title: string }[]; '@odata.nextLink'?: string };
      seen.push(...body.value.map((item) => item.title));
      next = body['@odata.nextLink'];
      pages += 1;
    }
    assert.deepEqual(seen, ['Live', 'Wednesday', 'Tuesday', 'Monday']);
    assert.equal(pages, 2);
  });

  it('shows a user the meetings they organised only, and keeps tenants and roles apart', async () => {
    const asDan = await list('', await env.tokens.userToken({ oid: dan.aadObjectId as string }));
    assert.deepEqual(titles(asDan), ['Tuesday']);
    const asBob = await list('', await env.tokens.userToken({ oid: bob.aadObjectId as string }));
    assert.deepEqual(titles(asBob), [], 'an attendee organised nothing');
    const danAskingForAna = await list(`?organizer=${ana.aadObjectId}`, await env.tokens.userToken({ oid: dan.aadObjectId as string }));
    assert.equal(danAskingForAna.status, 403);
    const otherTenant = await list('', await env.tokens.appToken({ roles: READ_ALL, tid: OTHER_TENANT_ID }));
    assert.deepEqual(titles(otherTenant), []);
    const noRole = await list('', await env.tokens.appToken());
    assert.equal(noRole.status, 403);
    const anonymous = await getApi(env.server.url, '/api/meetings');
    assert.equal(anonymous.status, 401);
  });

  it('refuses a malformed time or page size with 400 and says what to send', async () => {
    const token = await env.tokens.appToken({ roles: READ_ALL });
    for (const query of ['?since=yesterday', '?until=2025-13-45T99:00:00Z', '?$top=0', '?$top=many', '?since=2025-11-26T08:00']) {
      const answer = await list(query, token);
      assert.equal(answer.status, 400, `${query}: ${answer.text}`);
      assert.equal(answer.json.error.code, 'BadRequest');
    }
  });

  it('serves the report while an e-mail lookup fails, and fills the e-mails in once a later lookup succeeds', async () => {
    const thread = `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`;
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { chatId: thread });
    // Eve has been in no meeting yet: the app does not know her e-mail.
    env.connector.scriptChatMembers(thread, [ana, eve]);
    env.connector.fail('pagedmembers', 2, 500); // both attempts the gate makes for one lookup
    await meeting.play(meeting.started(on('09:40:00.000')), meeting.joined(on('09:40:05.000'), [ana, eve]));
    const token = await env.tokens.appToken({ roles: READ_ALL });
    const emailOf = async () => {
      const report = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
      assert.equal(report.status, 200, report.text);
      return report.json.attendanceRecords.find((record: any) => record.identity.displayName === 'Eve Outsider').emailAddress;
    };
    await waitFor('the failed lookup', () => env.server.logsMatching("chat's members are unavailable").length > 0);
    assert.equal(await emailOf(), null, 'unknown for now; the report is served');
    const lookups = () => env.server.logsMatching('participant e-mails looked up').filter((line) => line['meetingId'] === meeting.meetingId);
    env.server.clock.advance(5 * 60_000);
    await meeting.send(meeting.left(on('09:44:00.000'), [eve]));
    await waitFor('a later lookup that finds everyone', () => lookups().some((line) => line['missing'] === 0), 15_000);
    assert.equal(await emailOf(), eve.email);
  });
});
