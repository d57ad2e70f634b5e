/**
 * Security suite, tokens: every route of the API (the reports by id, list and CSV, the side panel's live view,
 * and deletion) applies every token check and every access rule, not only the one route reportAccess.test.ts
 * walks through (the latest report). Nothing here may succeed: the meeting is still there at the end.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, eve, guest } from '../support/people.js';
import { getMeetingApi, type ApiAnswer } from '../support/reportApi.js';

interface Route {
  name: string;
  method: 'GET' | 'DELETE';
  /** The path after /api/meetings/{meetingId}. */
  path: () => string;
}

describe('security: every API route checks tokens and access the same way', function () {
  const env = useTestEnvironment();
  let meeting: TeamsMeeting;
  let reportId: string;

  const oid = (person: { aadObjectId?: string }) => person.aadObjectId as string;
  const routes: Route[] = [
    { name: 'the report list', method: 'GET', path: () => '/attendanceReports' },
    { name: 'a report by id', method: 'GET', path: () => `/attendanceReports/${reportId}` },
    { name: 'a report by id as CSV', method: 'GET', path: () => `/attendanceReports/${reportId}.csv` },
    { name: 'the latest report as CSV', method: 'GET', path: () => '/attendanceReport.csv' },
    { name: 'the live view', method: 'GET', path: () => '/live' },
    { name: 'deletion', method: 'DELETE', path: () => '' },
  ];

  async function call(route: Route, token?: string): Promise<ApiAnswer> {
    if (route.method === 'GET') return getMeetingApi(env.server.url, meeting.meetingId, route.path(), token);
    const response = await fetch(`${env.server.url}/api/meetings/${encodeURIComponent(meeting.meetingId)}${route.path()}`, {
      method: 'DELETE',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), etag: null, text, json: text ? JSON.parse(text) : undefined };
  }

  async function assertEveryRoute(token: string | undefined, status: number, code: string): Promise<void> {
    for (const route of routes) {
      const answer = await call(route, token);
      assert.equal(answer.status, status, `${route.name}: ${answer.text}`);
      assert.equal(answer.json?.error?.code, code, route.name);
    }
  }

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(
      meeting.started(on('09:00:00.000')),
      meeting.joined(on('09:00:10.000'), [ana, bob, carol, guest]),
      meeting.left(on('09:20:10.000'), [bob]),
      meeting.ended(on('09:30:00.000')),
    );
    const latest = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', await env.tokens.userToken({ oid: oid(ana) }));
    assert.equal(latest.status, 200, latest.text);
    reportId = latest.json.id;
  });

  describe('401 for every bad token, on every route', () => {
    const cases: [string, () => Promise<string | undefined>][] = [
      ['no token', async () => undefined],
      ['a malformed token', async () => 'not.a.jwt'],
      ['a token with a bad signature', () => env.tokens.signedWithOtherKey(oid(ana))],
      ['a token naming an unknown key id', () => env.tokens.withUnknownKeyId(oid(ana))],
      ['an expired token', () => env.tokens.expired(oid(ana))],
      ['a token not valid yet (nbf 10 minutes ahead)', () => env.tokens.notYetValid(oid(ana), 600)],
      ['a token for another audience', () => env.tokens.wrongAudience(oid(ana))],
      ["a token from another issuer than its tenant's v2.0 endpoint", () => env.tokens.wrongIssuer(oid(ana))],
      ['an app token without a tenant', () => env.tokens.appToken({ roles: ['Attendance.Read.All', 'Attendance.Delete.All'], claims: { tid: undefined } })],
    ];
    for (const [name, token] of cases) {
      it(`refuses ${name}`, async () => {
        await assertEveryRoute(await token(), 401, 'InvalidAuthenticationToken');
      });
    }
  });

  describe('the caller may not see or delete this meeting', () => {
    it('answers 404 on every route to the organizer signed in to another tenant, and to an app of another tenant', async () => {
      await assertEveryRoute(await env.tokens.otherTenant(oid(ana)), 404, 'MeetingNotFound');
      const foreignApp = await env.tokens.appToken({ roles: ['Attendance.Read.All', 'Attendance.Delete.All'], tid: '0b0b0b0b-3333-4d4e-9f00-112233445566' });
      await assertEveryRoute(foreignApp, 404, 'MeetingNotFound');
    });

    it('answers 403 on every route to a user of the tenant who was not in the meeting', async () => {
      await assertEveryRoute(await env.tokens.userToken({ oid: oid(eve) }), 403, 'Forbidden');
    });

    it('answers 403 on every route to an app-only token without any role', async () => {
      await assertEveryRoute(await env.tokens.appToken(), 403, 'Forbidden');
      await assertEveryRoute(await env.tokens.appToken({ roles: ['Something.Else'] }), 403, 'Forbidden');
    });

    it('lets an app that may only read (Attendance.Read.All) read but not delete', async () => {
      const reader = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
      for (const route of routes.filter((candidate) => candidate.method === 'GET')) {
        assert.equal((await call(route, reader)).status, 200, route.name);
      }
      const deletion = await call(routes.find((route) => route.method === 'DELETE') as Route, reader);
      assert.equal(deletion.status, 403, deletion.text);
      assert.match(deletion.json.error.message, /Attendance\.Delete\.All/);
    });

    it('lets an app that may only delete (Attendance.Delete.All) read nothing', async () => {
      const deleter = await env.tokens.appToken({ roles: ['Attendance.Delete.All'] });
      for (const route of routes.filter((candidate) => candidate.method === 'GET')) {
        assert.equal((await call(route, deleter)).status, 403, route.name);
      }
    });

    it('refuses deletion (403) to an attendee and to a presenter: only the organizer decides', async () => {
      const deletion = routes.find((route) => route.method === 'DELETE') as Route;
      for (const person of [bob, carol]) {
        const answer = await call(deletion, await env.tokens.userToken({ oid: oid(person) }));
        assert.equal(answer.status, 403, `${person.name}: ${answer.text}`);
        assert.match(answer.json.error.message, /organizer/);
      }
      assert.ok(env.server.logsMatching('meeting deletion refused').length >= 2);
    });
  });

  describe('an attendee reads only their own attendance, on every route', () => {
    it('gets their own record only, and counts of one', async () => {
      const token = await env.tokens.userToken({ oid: oid(bob) });
      const byId = await call(routes[1] as Route, token);
      assert.deepEqual((byId.json.attendanceRecords as { id: string }[]).map((record) => record.id), [oid(bob)]);
      assert.equal(byId.json.totalParticipantCount, 1);
      const list = await call(routes[0] as Route, token);
      assert.deepEqual((list.json.value as { totalParticipantCount: number }[]).map((summary) => summary.totalParticipantCount), [1]);
      for (const csvRoute of [routes[2], routes[3]] as Route[]) {
        const csv = await call(csvRoute, token);
        assert.equal(csv.status, 200, csv.text);
        const rows = csv.text.trim().split('\r\n');
        assert.equal(rows.length, 2, `${csvRoute.name}: a header and Bob's row`);
        assert.match(rows[1] as string, /^Bob Student,/);
        assert.doesNotMatch(csv.text, /Ana Teacher|Carol Assistant|Guest Visitor/);
      }
      const live = await call(routes[4] as Route, token);
      assert.deepEqual((live.json.participants as { displayName: string }[]).map((entry) => entry.displayName), ['Bob Student']);
      assert.doesNotMatch(live.text, /Ana Teacher|Carol Assistant|Guest Visitor|ana@contoso/);
    });
  });

  describe('afterwards', () => {
    it('still has the whole meeting: no refused call changed anything', async () => {
      const latest = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', await env.tokens.userToken({ oid: oid(ana) }));
      assert.equal(latest.status, 200, latest.text);
      assert.equal(latest.json.attendanceRecords.length, 4);
    });
  });
});
