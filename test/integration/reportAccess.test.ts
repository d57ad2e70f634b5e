/**
 * Who may read a meeting's attendance over the report API: Entra ID tokens checked for real (signature
 * from the JWKS, expiry, audience, issuer), tenants kept apart, and meeting roles deciding what is seen.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, eve, guest } from '../support/people.js';
import { getMeetingApi, parseCsv, type ApiAnswer } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';

function assertError(answer: ApiAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.contentType ?? '', /json/);
  assert.deepEqual(Object.keys(answer.json), ['error']);
  assert.equal(answer.json.error.code, code);
  assert.equal(typeof answer.json.error.message, 'string');
  assert.ok(answer.json.error.message.length > 10, 'the message should say what to do next');
}

describe('report access: tokens, tenants and meeting roles', function () {
  const env = useTestEnvironment();
  let meeting: TeamsMeeting;
  let reportId: string;

  const oid = (person: { aadObjectId?: string }) => person.aadObjectId as string;
  const latest = (token?: string) => getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
  const everyone = [ana, bob, carol, guest].map((person) => person.aadObjectId ?? person.id).sort();
  const recordIds = (answer: ApiAnswer) => (answer.json.attendanceRecords as { id: string }[]).map((record) => record.id).sort();

  before(async () => {
    // A meeting id with every character that needs URL-encoding in a path segment.
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { meetingId: 'MCMx+OTpt/ZWV0aW5n/X1lU+Z3l==' });
    await meeting.play(
      meeting.started(on('09:00:00.000')),
      meeting.joined(on('09:00:10.000'), [ana, bob, carol, guest]),
      meeting.left(on('09:20:10.000'), [bob]),
      meeting.ended(on('09:30:00.000')),
    );
    const answer = await latest(await env.tokens.userToken({ oid: oid(ana) }));
    assert.equal(answer.status, 200, answer.text);
    reportId = answer.json.id;
  });

  describe('401 for a missing or invalid token', () => {
    it('refuses a request without a token', async () => {
      assertError(await latest(), 401, 'InvalidAuthenticationToken');
    });

    it('refuses a malformed token', async () => {
      assertError(await latest('not.a.jwt'), 401, 'InvalidAuthenticationToken');
      assertError(await latest('garbage'), 401, 'InvalidAuthenticationToken');
    });

    it('refuses a token signed with another key (bad signature)', async () => {
      assertError(await latest(await env.tokens.signedWithOtherKey(oid(ana))), 401, 'InvalidAuthenticationToken');
    });

    it('refuses a token naming a key id the JWKS does not have', async () => {
      assertError(await latest(await env.tokens.withUnknownKeyId(oid(ana))), 401, 'InvalidAuthenticationToken');
    });

    it('refuses an expired token', async () => {
      const answer = await latest(await env.tokens.expired(oid(ana)));
      assertError(answer, 401, 'InvalidAuthenticationToken');
      assert.match(answer.json.error.message, /expired/);
    });

    it('refuses a token that is not valid yet (nbf beyond the 60 s clock tolerance), and accepts one within it', async () => {
      const answer = await latest(await env.tokens.notYetValid(oid(ana), 10 * 60));
      assertError(answer, 401, 'InvalidAuthenticationToken');
      assert.match(answer.json.error.message, /"nbf"/);
      assert.equal((await latest(await env.tokens.notYetValid(oid(ana), 30))).status, 200, 'a clock 30 s behind is tolerated');
    });

    it('refuses a token for another audience', async () => {
      assertError(await latest(await env.tokens.wrongAudience(oid(ana))), 401, 'InvalidAuthenticationToken');
    });

    it('refuses a token from another issuer than its tenant\'s v2.0 endpoint', async () => {
      assertError(await latest(await env.tokens.wrongIssuer(oid(ana))), 401, 'InvalidAuthenticationToken');
    });

    it('never logs the token itself', async () => {
      const token = await env.tokens.expired(oid(ana));
      await latest(token);
      assert.ok(!JSON.stringify(env.server.logs).includes(token));
    });
  });

  describe('tenants', () => {
    it('answers 404 to a valid token from another tenant, as if the meeting did not exist', async () => {
      assertError(await latest(await env.tokens.otherTenant(oid(ana))), 404, 'MeetingNotFound');
      const app = await env.tokens.appToken({ roles: ['Attendance.Read.All'], tid: '0b0b0b0b-3333-4d4e-9f00-112233445566' });
      assertError(await latest(app), 404, 'MeetingNotFound');
    });
  });

  describe('meeting roles', () => {
    it('shows the organizer every record', async () => {
      const answer = await latest(await env.tokens.userToken({ oid: oid(ana) }));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(recordIds(answer), everyone);
      assert.equal(answer.json.totalParticipantCount, 4);
    });

    it('shows a presenter every record', async () => {
      const answer = await latest(await env.tokens.userToken({ oid: oid(carol) }));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(recordIds(answer), everyone);
    });

    it('shows an attendee only their own record, in JSON, CSV, by report id and in the list\'s counts', async () => {
      const token = await env.tokens.userToken({ oid: oid(bob) });
      const json = await latest(token);
      assert.equal(json.status, 200, json.text);
      assert.deepEqual(recordIds(json), [oid(bob)]);
      assert.equal(json.json.totalParticipantCount, 1);
      assert.equal(json.json.attendanceRecords[0].totalAttendanceInSeconds, 1200);

      const csv = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport.csv', token);
      assert.equal(csv.status, 200, csv.text);
      assert.deepEqual(parseCsv(csv.text).slice(1).map((row) => row[0]), ['Bob Student']);

      const byId = await getMeetingApi(env.server.url, meeting.meetingId, `/attendanceReports/${reportId}`, token);
      assert.deepEqual(recordIds(byId), [oid(bob)]);

      // The list says how many took part in each run: for an attendee, only they count.
      const list = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReports', token);
      assert.deepEqual((list.json.value as { totalParticipantCount: number }[]).map((summary) => summary.totalParticipantCount), [1]);
    });

    it('refuses (403) a user of the tenant who was not in the meeting, and logs the refusal', async () => {
      assertError(await latest(await env.tokens.userToken({ oid: oid(eve) })), 403, 'Forbidden');
      const list = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReports', await env.tokens.userToken({ oid: oid(eve) }));
      assertError(list, 403, 'Forbidden');
      assert.ok(env.server.logsMatching('report access refused', LOG_LEVEL.warn).some((line) => String(line['caller']).includes(oid(eve))));
    });
  });

  describe('applications (app-only tokens)', () => {
    it('shows an app with the Attendance.Read.All role every record', async () => {
      const answer = await latest(await env.tokens.appToken({ roles: ['Attendance.Read.All'] }));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(recordIds(answer), everyone);
    });

    it('refuses (403) an app without the role', async () => {
      assertError(await latest(await env.tokens.appToken({ roles: ['Something.Else'] })), 403, 'Forbidden');
      assertError(await latest(await env.tokens.appToken()), 403, 'Forbidden');
    });
  });

  describe('unknown meetings and reports', () => {
    it('answers 404 for a meeting nothing is recorded for', async () => {
      const token = await env.tokens.userToken({ oid: oid(ana) });
      assertError(await getMeetingApi(env.server.url, 'MCMxbm8tc3VjaC1tZWV0aW5n', '/attendanceReport', token), 404, 'MeetingNotFound');
      assertError(await getMeetingApi(env.server.url, 'MCMxbm8tc3VjaC1tZWV0aW5n', '/attendanceReports', token), 404, 'MeetingNotFound');
    });

    it('answers 404 for a report id the meeting does not have (JSON and CSV)', async () => {
      const token = await env.tokens.userToken({ oid: oid(ana) });
      const unknown = '00000000-0000-0000-0000-000000000000';
      assertError(await getMeetingApi(env.server.url, meeting.meetingId, `/attendanceReports/${unknown}`, token), 404, 'ReportNotFound');
      assertError(await getMeetingApi(env.server.url, meeting.meetingId, `/attendanceReports/${unknown}.csv`, token), 404, 'ReportNotFound');
    });

    it('checks the token before saying whether a meeting exists', async () => {
      assertError(await getMeetingApi(env.server.url, 'MCMxbm8tc3VjaC1tZWV0aW5n', '/attendanceReport'), 401, 'InvalidAuthenticationToken');
    });
  });
});
