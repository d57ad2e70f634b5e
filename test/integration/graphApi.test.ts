/**
 * The LMS sequence, run by Microsoft's Graph JavaScript client against our /v1.0 paths, for a Meet Now meeting
 * played through the bot: the organizer by e-mail, the meeting by each spelling of its join link (and by its
 * /meet/ code), its reports, a report with its records expanded, and the records page by page through
 * @odata.nextLink; Graph's error shape; tenant isolation and the attendee rule on every path.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { graphOnlineMeetingId } from '../../bot/src/attendance/meetingIds.js';
import { useTestEnvironment } from '../support/environment.js';
import { graphExample, shapeMismatches } from '../support/graphShape.js';
import { graphClientFor } from '../support/graphSdk.js';
import { defaultMeetingInfo } from '../support/fakeConnector.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, eve, guest } from '../support/people.js';
import { getApi } from '../support/reportApi.js';
import { OTHER_TENANT_ID } from '../support/tokens.js';
import { waitFor } from '../support/waitFor.js';

const READ_ALL = ['Attendance.Read.All'];

describe('Graph-compatible read paths (/v1.0), through the Graph JavaScript client', function () {
  const env = useTestEnvironment();
  let meeting: TeamsMeeting;
  let joinUrl: string;
  let onlineMeetingId: string;
  const appClient = () => graphClientFor(env.server.url, () => env.tokens.appToken({ roles: READ_ALL }));
  const userClient = (oid: string, tid?: string) => graphClientFor(env.server.url, () => env.tokens.userToken({ oid, ...(tid ? { tid } : {}) }));

  /** The Graph error a call failed with (the client throws GraphError for a Graph-shaped error body). */
  async function graphError(call: Promise<unknown>): Promise<GraphError> {
    try {
      await call;
    } catch (error) {
      assert.ok(error instanceof GraphError, `not a GraphError: ${String(error)}`);
      return error;
    }
    assert.fail('the call succeeded');
  }

  before(async () => {
    const thread = `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`;
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { chatId: thread });
    joinUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread).toLowerCase()}/0?context=${encodeURIComponent('{"Tid":"t","Oid":"o"}')}`;
    onlineMeetingId = graphOnlineMeetingId(ana.aadObjectId as string, thread);
    const info = defaultMeetingInfo(meeting.meetingId);
    info.details = { ...info.details, joinUrl, msGraphResourceId: '', type: 'MeetNow', title: 'Chemistry drop-in' };
    env.connector.scriptMeetingInfo(meeting.meetingId, { body: info });
    env.connector.scriptChatMembers(thread, [ana, bob, carol, dan, guest]);
    const started = meeting.started(on('09:00:00.000'));
    started.value = { ...started.value, JoinUrl: joinUrl, MeetingType: 'MeetNow', Title: 'Chemistry drop-in' };
    const ended = meeting.ended(on('09:20:00.000'));
    ended.value = { ...ended.value, JoinUrl: joinUrl, MeetingType: 'MeetNow', Title: 'Chemistry drop-in' };
    await meeting.play(
      started,
      meeting.joined(on('09:00:10.000'), [ana, bob, carol, dan, guest]),
      meeting.left(on('09:10:10.000'), [bob]),
      meeting.left(on('09:15:10.000'), [guest]),
      ended,
    );
    // The e-mails are looked up after the answers (the chat's members, once): wait until the organizer's is known.
    await waitFor('the organizer known by e-mail', async () => (await getApi(env.server.url, `/v1.0/users/${ana.email}`, await env.tokens.appToken({ roles: READ_ALL }))).status === 200);
  });

  it('runs the LMS sequence: the organizer by e-mail, the meeting by its join link, its reports, each with its records and e-mails', async () => {
    const client = appClient();
    const organizer = await client.api(`/users/${encodeURIComponent(ana.email?.toUpperCase() ?? '')}`).get();
    assert.deepEqual(
      { id: organizer.id, displayName: organizer.displayName, userPrincipalName: organizer.userPrincipalName, mail: organizer.mail },
      { id: ana.aadObjectId, displayName: 'Ana Teacher', userPrincipalName: ana.email, mail: ana.email },
    );
    const found = await client.api(`/users/${organizer.id}/onlineMeetings`).filter(`JoinWebUrl eq '${encodeURIComponent(joinUrl)}'`).get();
    assert.equal(found.value.length, 1);
    const [onlineMeeting] = found.value;
    assert.equal(onlineMeeting.participants.organizer.upn, ana.email);
    const reports = await client.api(`/users/${organizer.id}/onlineMeetings/${encodeURIComponent(onlineMeeting.id)}/attendanceReports`).get();
    const emails: Record<string, string | null> = {};
    for (const summary of reports.value) {
      const report = await client.api(`/users/${organizer.id}/onlineMeetings/${encodeURIComponent(onlineMeeting.id)}/attendanceReports/${summary.id}`).expand('attendanceRecords').get();
      for (const record of report.attendanceRecords) emails[record.identity.displayName] = record.emailAddress;
    }
    assert.deepEqual(emails, {
      'Ana Teacher': ana.email,
      'Bob Student': bob.email,
      'Carol Assistant': carol.email,
      'Dan Student': dan.email,
      'Guest Visitor': null,
    });
    // The organizer's path also answers by UPN, in any case.
    const byUpn = await client.api(`/users/${encodeURIComponent(ana.email?.toUpperCase() ?? '')}/onlineMeetings/${encodeURIComponent(onlineMeeting.id)}`).get();
    assert.equal(byUpn.id, onlineMeetingId);
    assert.equal((await graphError(client.api(`/users/${encodeURIComponent('nobody@contoso.test')}`).get())).code, 'itemNotFound');
  });

  it('finds the meeting by its Graph id, Teams id and chat thread id, with Graph\'s onlineMeeting properties', async () => {
    const client = appClient();
    for (const id of [onlineMeetingId, meeting.meetingId, meeting.chatId]) {
      const found = await client.api(`/users/${ana.aadObjectId}/onlineMeetings/${encodeURIComponent(id)}`).get();
      assert.equal(found.id, onlineMeetingId, id);
      assert.equal(found.joinWebUrl, joinUrl);
      assert.equal(found.subject, 'Chemistry drop-in');
      assert.equal(found.chatInfo.threadId, meeting.chatId);
      assert.equal(found.participants.organizer.identity.user.id, ana.aadObjectId);
      assert.equal(found.startDateTime, on('09:00:00.000'));
      assert.equal(found.endDateTime, on('09:20:00.000'));
      assert.match(found['@odata.context'], /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/\$metadata#users\('.+'\)\/onlineMeetings\/\$entity$/);
    }
  });

  it('finds the meeting by each spelling of its join link in $filter, the property name in any case', async () => {
    const client = appClient();
    const spellings = [
      encodeURIComponent(joinUrl),
      encodeURIComponent(encodeURIComponent(joinUrl)),
      encodeURIComponent(joinUrl.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase())),
      encodeURIComponent(joinUrl.split('?')[0] as string),
      joinUrl.split('?')[0] as string,
    ];
    for (const [index, spelling] of spellings.entries()) {
      const property = ['JoinWebUrl', 'joinWebUrl', 'JOINWEBURL', 'joinweburl', 'JoinWebUrl'][index] as string;
      const answer = await client.api(`/users/${ana.aadObjectId}/onlineMeetings`).filter(`${property} eq '${spelling}'`).get();
      assert.deepEqual(answer.value.map((found: { id: string }) => found.id), [onlineMeetingId], spelling);
    }
    const none = await client.api(`/users/${ana.aadObjectId}/onlineMeetings`).filter(`JoinWebUrl eq '${encodeURIComponent('https://teams.microsoft.com/l/meetup-join/19%3ameeting_nope%40thread.v2/0')}'`).get();
    assert.deepEqual(none.value, []);
  });

  it('lists one report per session with attendanceRecords empty, gets it with records expanded, and pages the records to the end', async () => {
    const client = appClient();
    const base = `/users/${ana.aadObjectId}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports`;
    const reports = await client.api(base).get();
    assert.equal(reports.value.length, 1);
    const [summary] = reports.value;
    assert.deepEqual(summary.attendanceRecords, []);
    assert.equal(summary.totalParticipantCount, 5);
    assert.equal(summary.meetingStartDateTime, on('09:00:00.000'));
    assert.equal(summary.meetingEndDateTime, on('09:20:00.000'));

    const plain = await client.api(`${base}/${summary.id}`).get();
    assert.equal(plain.attendanceRecords, undefined, 'records only when expanded, as in Graph');
    const report = await client.api(`${base}/${summary.id}`).expand('attendanceRecords').get();
    const totals = Object.fromEntries(report.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds]));
    assert.deepEqual(totals, { 'Ana Teacher': 1190, 'Carol Assistant': 1190, 'Dan Student': 1190, 'Guest Visitor': 900, 'Bob Student': 600 });

    const seen: any[] = [];
    const first: PageCollection = await client.api(`${base}/${summary.id}/attendanceRecords`).top(2).get();
    assert.match(first['@odata.nextLink'] ?? '', /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\//, 'absolute, on the host and scheme the client called');
    const iterator = new PageIterator(client, first, (record) => {
      seen.push(record);
      return true;
    });
    await iterator.iterate();
    assert.deepEqual(seen.map((record) => record.identity.displayName), report.attendanceRecords.map((record: any) => record.identity.displayName));
  });

  it("answers with the properties and JSON types of Microsoft's published example bodies", async () => {
    const client = appClient();
    const user = await client.api(`/users/${encodeURIComponent(ana.email ?? '')}`).get();
    assert.deepEqual(
      shapeMismatches(graphExample('user-get.json'), user, ['businessPhones', 'givenName', 'jobTitle', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname']),
      [],
    );
    const meetingPath = `/users/${ana.aadObjectId}/onlineMeetings`;
    const found = await client.api(meetingPath).filter(`JoinWebUrl eq '${encodeURIComponent(joinUrl)}'`).get();
    const notServed = ['value[].isEntryExitAnnounced', 'value[].allowedPresenters', 'value[].videoTeleconferenceId', 'value[].lobbyBypassSettings', 'value[].participants.producers', 'value[].participants.contributors'];
    assert.deepEqual(shapeMismatches(graphExample('onlinemeeting-list-by-joinweburl.json'), found, notServed), []);
    assert.deepEqual(shapeMismatches(graphExample('onlinemeeting-get-chatinfo.json'), found.value[0], ['chatInfo.@odata.type']), []);
    const reports = await client.api(`${meetingPath}/${encodeURIComponent(onlineMeetingId)}/attendanceReports`).get();
    assert.deepEqual(shapeMismatches(graphExample('meetingattendancereport-list.json'), reports), []);
    const reportPath = `${meetingPath}/${encodeURIComponent(onlineMeetingId)}/attendanceReports/${reports.value[0].id}`;
    const report = await client.api(reportPath).expand('attendanceRecords').get();
    assert.deepEqual(shapeMismatches(graphExample('meetingattendancereport-get-expanded.json'), report), []);
    const records = await client.api(`${reportPath}/attendanceRecords`).get();
    assert.deepEqual(shapeMismatches(graphExample('attendancerecord-list.json'), records), []);
  });

  it("answers in Graph's error shape: itemNotFound, accessDenied, InvalidAuthenticationToken, BadRequest", async () => {
    const notFound = await graphError(appClient().api(`/users/${ana.aadObjectId}/onlineMeetings/no-such-meeting`).get());
    assert.equal(notFound.statusCode, 404);
    assert.equal(notFound.code, 'itemNotFound');
    assert.match(notFound.requestId ?? '', /^[0-9a-f-]{36}$/);

    const noRole = await graphError(graphClientFor(env.server.url, () => env.tokens.appToken()).api(`/users/${ana.aadObjectId}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}`).get());
    assert.equal(noRole.statusCode, 403);
    assert.equal(noRole.code, 'accessDenied');

    const badToken = await graphError(graphClientFor(env.server.url, async () => 'not-a-token').api(`/users/${ana.aadObjectId}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}`).get());
    assert.equal(badToken.statusCode, 401);
    assert.equal(badToken.code, 'InvalidAuthenticationToken');

    const badFilter = await graphError(appClient().api(`/users/${ana.aadObjectId}/onlineMeetings`).filter("subject eq 'x'").get());
    assert.equal(badFilter.statusCode, 400);
    assert.equal(badFilter.code, 'BadRequest');

    const raw = await getApi(env.server.url, `/v1.0/users/${ana.aadObjectId}/nothing-here`, await env.tokens.appToken({ roles: READ_ALL }));
    assert.equal(raw.status, 404);
    assert.match(raw.contentType ?? '', /application\/json/);
    assert.equal(raw.json.error.code, 'itemNotFound');
    assert.ok(raw.json.error.innerError['request-id']);
  });

  it('ignores query options it does not use, refuses a bad $top with 400, and never answers 500', async () => {
    const token = await env.tokens.appToken({ roles: READ_ALL });
    const base = `/v1.0/users/${ana.aadObjectId}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports`;
    const ignored = await getApi(env.server.url, `${base}?$select=id&$orderby=id&$count=true`, token);
    assert.equal(ignored.status, 200, ignored.text);
    for (const query of ['$top=0', '$top=abc', '$top=1.5', '$skiptoken=-1', '$expand=somethingElse']) {
      const reportId = ignored.json.value[0].id;
      const answer = await getApi(env.server.url, `${base}/${reportId}/attendanceRecords?${query}`, token);
      const expanded = await getApi(env.server.url, `${base}/${reportId}?${query}`, token);
      assert.ok(answer.status === 400 || answer.status === 200, `${query}: ${answer.status}`);
      assert.ok(expanded.status === 400 || expanded.status === 200, `${query}: ${expanded.status}`);
    }
    const badTop = await getApi(env.server.url, `${base}/${ignored.json.value[0].id}/attendanceRecords?$top=0`, token);
    assert.equal(badTop.status, 400);
    assert.equal(badTop.json.error.code, 'BadRequest');
  });

  it('serves only the organizer\'s path, only in the caller\'s tenant, and an attendee their own record (also under /me)', async () => {
    const path = (user: string) => `/users/${user}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports`;
    const notOrganizer = await graphError(appClient().api(path(bob.aadObjectId as string)).get());
    assert.equal(notOrganizer.code, 'itemNotFound');

    const otherTenantApp = graphClientFor(env.server.url, () => env.tokens.appToken({ roles: READ_ALL, tid: OTHER_TENANT_ID }));
    assert.equal((await graphError(otherTenantApp.api(path(ana.aadObjectId as string)).get())).code, 'itemNotFound');
    const filtered = await otherTenantApp.api(`/users/${ana.aadObjectId}/onlineMeetings`).filter(`JoinWebUrl eq '${encodeURIComponent(joinUrl)}'`).get();
    assert.deepEqual(filtered.value, []);
    assert.equal((await graphError(userClient(ana.aadObjectId as string, OTHER_TENANT_ID).api(path(ana.aadObjectId as string)).get())).code, 'itemNotFound');

    const reportId = (await appClient().api(path(ana.aadObjectId as string)).get()).value[0].id;
    const asBob = await userClient(bob.aadObjectId as string).api(`/me/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports/${reportId}`).expand('attendanceRecords').get();
    assert.deepEqual(asBob.attendanceRecords.map((record: any) => record.identity.displayName), ['Bob Student']);
    assert.equal(asBob.totalParticipantCount, 1);
    const bobRecords = await userClient(bob.aadObjectId as string).api(`${path(ana.aadObjectId as string)}/${reportId}/attendanceRecords`).get();
    assert.deepEqual(bobRecords.value.map((record: any) => record.identity.displayName), ['Bob Student']);
    const asCarol = await userClient(carol.aadObjectId as string).api(`/me/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports/${reportId}/attendanceRecords`).get();
    assert.equal(asCarol.value.length, 5, 'a presenter sees everyone');
    assert.equal((await graphError(userClient(eve.aadObjectId as string).api(path(ana.aadObjectId as string)).get())).code, 'accessDenied');
    assert.equal((await graphError(appClient().api(`/me/onlineMeetings/${encodeURIComponent(onlineMeetingId)}`).get())).code, 'BadRequest');

    // People: only in the caller's tenant; /me is the signed-in user.
    assert.equal((await graphError(otherTenantApp.api(`/users/${encodeURIComponent(ana.email ?? '')}`).get())).code, 'itemNotFound');
    const me = await userClient(bob.aadObjectId as string).api('/me').get();
    assert.deepEqual([me.id, me.mail], [bob.aadObjectId, bob.email]);
    const noRoleApp = graphClientFor(env.server.url, () => env.tokens.appToken());
    assert.equal((await graphError(noRoleApp.api(`/users/${encodeURIComponent(ana.email ?? '')}`).get())).code, 'accessDenied');
    assert.equal((await graphError(noRoleApp.api(`/users/${ana.aadObjectId}/onlineMeetings`).filter(`JoinWebUrl eq '${encodeURIComponent(joinUrl)}'`).get())).code, 'accessDenied');
  });

  it('keeps every meeting path to the caller\'s tenant and to what the caller may see', async () => {
    const reportId = (await appClient().api(`/users/${ana.aadObjectId}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports`).get()).value[0].id;
    const meetingPath = (user: string) => `/${user}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}`;
    const paths = (user: string) => [
      meetingPath(user),
      `${meetingPath(user)}/attendanceReports`,
      `${meetingPath(user)}/attendanceReports/${reportId}`,
      `${meetingPath(user)}/attendanceReports/${reportId}/attendanceRecords`,
    ];
    const otherTenantApp = graphClientFor(env.server.url, () => env.tokens.appToken({ roles: READ_ALL, tid: OTHER_TENANT_ID }));
    const otherTenantAna = userClient(ana.aadObjectId as string, OTHER_TENANT_ID);
    const outsider = userClient(eve.aadObjectId as string);
    const attendee = userClient(bob.aadObjectId as string);
    for (const path of paths(`users/${ana.aadObjectId}`)) {
      assert.equal((await graphError(otherTenantApp.api(path).get())).code, 'itemNotFound', `another tenant's app: ${path}`);
      assert.equal((await graphError(otherTenantAna.api(path).get())).code, 'itemNotFound', `the same id in another tenant: ${path}`);
      assert.equal((await graphError(outsider.api(path).get())).code, 'accessDenied', `not a participant: ${path}`);
      await attendee.api(path).get();
    }
    for (const path of paths('me')) {
      assert.equal((await graphError(outsider.api(path).get())).code, 'accessDenied', `not a participant, /me: ${path}`);
      await attendee.api(path).get();
    }
    const bobsRecords = await attendee.api(`${meetingPath('me')}/attendanceReports/${reportId}/attendanceRecords`).get();
    assert.deepEqual(bobsRecords.value.map((record: any) => record.emailAddress), [bob.email], 'an attendee sees their own record only');
  });

  it('finds a Meet Now meeting by its /meet/ link and by joinMeetingIdSettings/joinMeetingId, its passcode left in the link only', async () => {
    const thread = `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`;
    const meetNow = new TeamsMeeting(() => env.server.url, env.connector.url, { chatId: thread });
    const link = 'https://teams.microsoft.com/meet/3456789012345?p=Secret42';
    const info = defaultMeetingInfo(meetNow.meetingId);
    info.details = { ...info.details, joinUrl: link, msGraphResourceId: '', type: 'MeetNow' };
    env.connector.scriptMeetingInfo(meetNow.meetingId, { body: info });
    await meetNow.play(meetNow.started(on('10:00:00.000')), meetNow.joined(on('10:00:05.000'), [ana, bob]));
    const client = appClient();
    const byCode = () => client.api(`/users/${ana.aadObjectId}/onlineMeetings`).filter("joinMeetingIdSettings/joinMeetingId eq '3456789012345'").get();
    const found = await waitFor('the details with the /meet/ link', async () => ((await byCode()).value[0] as any) ?? false);
    assert.deepEqual(found.joinMeetingIdSettings, { isPasscodeRequired: true, joinMeetingId: '3456789012345', passcode: null });
    for (const spelling of [encodeURIComponent(link), encodeURIComponent(encodeURIComponent(link)), encodeURIComponent(link.split('?')[0] as string)]) {
      const byLink = await client.api(`/users/${ana.aadObjectId}/onlineMeetings`).filter(`JoinWebUrl eq '${spelling}'`).get();
      assert.deepEqual(byLink.value.map((meeting: { id: string }) => meeting.id), [found.id], spelling);
    }
  });
});
