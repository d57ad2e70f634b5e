/**
 * GET /api/meetings/{meetingId}/live on the real server: the report API's token and access rules, the view
 * each role gets, and ETag/If-None-Match: a 304 until a recorded fact changes what the caller sees.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, eve, guest } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { waitFor } from '../support/waitFor.js';

describe('the live view API (/live)', function () {
  // The server's clock reads 09:45: the meeting below is live.
  const env = useTestEnvironment();
  let meeting: TeamsMeeting;

  const oid = (person: { aadObjectId?: string }) => person.aadObjectId as string;
  const tokenOf = (person: { aadObjectId?: string }) => env.tokens.userToken({ oid: oid(person) });
  const liveUrl = (meetingId = meeting.meetingId) => `${env.server.url}/api/meetings/${encodeURIComponent(meetingId)}/live`;
  const getLive = async (token: string, headers: Record<string, string> = {}) =>
    fetch(liveUrl(), { headers: { authorization: `Bearer ${token}`, ...headers } });

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(
      meeting.started(on('09:00:00.000')),
      meeting.joined(on('09:00:10.000'), [ana, bob, guest]),
      meeting.joined(on('09:01:00.000'), [carol]),
      meeting.left(on('09:20:10.500'), [bob]),
    );
  });

  describe('the same gate as the report API', () => {
    it('answers 401 without a valid token, 404 for a meeting of another tenant or none, 403 to a non-participant', async () => {
      assert.equal((await fetch(liveUrl())).status, 401);
      assert.equal((await getLive(await env.tokens.expired(oid(ana)))).status, 401);
      assert.equal((await getLive(await env.tokens.otherTenant(oid(ana)))).status, 404);
      const unknown = await fetch(liveUrl('MCMxOTpub3RoaW5n'), { headers: { authorization: `Bearer ${await tokenOf(ana)}` } });
      assert.equal(unknown.status, 404);
      assert.equal(((await unknown.json()) as any).error.code, 'MeetingNotFound');
      const outsider = await getLive(await tokenOf(eve));
      assert.equal(outsider.status, 403);
      assert.equal(((await outsider.json()) as any).error.code, 'Forbidden');
      assert.ok(env.server.logsMatching('live view access refused').length > 0);
    });
  });

  describe('what each viewer gets', () => {
    it('gives the organizer the meeting, the server time and every participant with closed seconds and presence', async () => {
      const answer = await getMeetingApi(env.server.url, meeting.meetingId, '/live', await tokenOf(ana));
      assert.equal(answer.status, 200, answer.text);
      const view = answer.json;
      assert.equal(view.serverTime, '2025-11-26T09:45:00.000Z');
      assert.equal(view.viewerRole, 'organizer');
      assert.deepEqual(
        { ...view.meeting, reportId: typeof view.meeting.reportId },
        {
          title: 'Physics 101',
          type: 'MeetNow',
          isInstant: true,
          status: 'live',
          startedAt: on('09:00:00.000'),
          endedAt: null,
          trackingSince: on('09:00:00.000'),
          reportId: 'string',
        },
      );
      const byName = Object.fromEntries((view.participants as any[]).map((entry) => [entry.displayName, entry]));
      assert.deepEqual(Object.keys(byName), ['Ana Teacher', 'Bob Student', 'Carol Assistant', 'Guest Visitor']);
      assert.deepEqual(
        [byName['Bob Student'].closedSeconds, byName['Bob Student'].presentSince, byName['Bob Student'].lastLeftAt],
        [1200, null, on('09:20:10.500')],
      );
      assert.deepEqual(
        [byName['Ana Teacher'].closedSeconds, byName['Ana Teacher'].presentSince, byName['Ana Teacher'].isViewer],
        [0, on('09:00:10.000'), true],
      );
    });

    it('ticks to the same totals as the report at the same moment', async () => {
      const token = await tokenOf(ana);
      const live = await getMeetingApi(env.server.url, meeting.meetingId, '/live', token);
      const report = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
      const now = Date.parse(live.json.serverTime);
      for (const record of report.json.attendanceRecords as any[]) {
        const entry = (live.json.participants as any[]).find((candidate) => candidate.id === record.id);
        const ticking = entry.closedSeconds + (entry.presentSince ? Math.floor((now - Date.parse(entry.presentSince)) / 1000) : 0);
        assert.equal(ticking, record.totalAttendanceInSeconds, record.identity.displayName);
      }
    });

    it('gives a presenter everyone, and an attendee only their own row', async () => {
      const presenter = await getMeetingApi(env.server.url, meeting.meetingId, '/live', await tokenOf(carol));
      assert.equal(presenter.json.viewerRole, 'presenter');
      assert.equal(presenter.json.participants.length, 4);
      const attendee = await getMeetingApi(env.server.url, meeting.meetingId, '/live', await tokenOf(bob));
      assert.equal(attendee.json.viewerRole, 'attendee');
      assert.deepEqual(
        (attendee.json.participants as any[]).map((entry) => [entry.displayName, entry.isViewer]),
        [['Bob Student', true]],
      );
    });

    it('gives an application with Attendance.Read.All everyone', async () => {
      const app = await getMeetingApi(env.server.url, meeting.meetingId, '/live', await env.tokens.appToken({ roles: ['Attendance.Read.All'] }));
      assert.equal(app.json.viewerRole, 'app');
      assert.equal(app.json.participants.length, 4);
    });
  });

  describe('ETag and If-None-Match', () => {
    it('answers 304 with no body while nothing changed, however much time passes', async () => {
      const token = await tokenOf(ana);
      const first = await getLive(token);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^"[\w-]+"$/);
      assert.match(first.headers.get('cache-control') ?? '', /no-cache/);
      const again = await getLive(token, { 'if-none-match': etag as string });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
      assert.equal(again.headers.get('etag'), etag);
      env.server.clock.advance(10 * 60_000);
      assert.equal((await getLive(token, { 'if-none-match': etag as string })).status, 304, 'time passing alone changes nothing');
      assert.equal((await getLive(token, { 'if-none-match': `"other", W/${etag as string}` })).status, 304, 'a weak tag in a list matches');
      assert.equal((await getLive(token, { 'if-none-match': '*' })).status, 304);
      assert.equal((await getLive(token, { 'if-none-match': '"other"' })).status, 200);
    });

    it('changes the ETag when an event arrives, for those who can see it', async () => {
      const organizerToken = await tokenOf(ana);
      const attendeeToken = await tokenOf(bob);
      const organizerTag = (await getLive(organizerToken)).headers.get('etag') as string;
      const attendeeTag = (await getLive(attendeeToken)).headers.get('etag') as string;
      assert.notEqual(organizerTag, attendeeTag, 'each caller has their own view');

      await meeting.send(meeting.joined(on('09:46:00.000'), [dan]));
      const changed = await getLive(organizerToken, { 'if-none-match': organizerTag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), organizerTag);
      assert.ok(((await changed.json()) as any).participants.some((entry: any) => entry.displayName === 'Dan Student'));
      assert.equal((await getLive(attendeeToken, { 'if-none-match': attendeeTag })).status, 304, "Dan's join is not in Bob's view");

      await meeting.send(meeting.joined(on('09:47:00.000'), [bob]));
      assert.equal((await getLive(attendeeToken, { 'if-none-match': attendeeTag })).status, 200, "Bob's own rejoin is");
    });
  });

  describe('meeting states', () => {
    it('says "not started" for a meeting the app was added to before it started', async () => {
      const scheduled = new TeamsMeeting(() => env.server.url, env.connector.url);
      await scheduled.play(scheduled.installed(on('08:55:00.000')));
      // Ana is the organizer by Teams' meeting details, which are fetched after the answer to the install.
      const token = await tokenOf(ana);
      const answer = await waitFor('the organizer let in', async () => {
        const live = await getMeetingApi(env.server.url, scheduled.meetingId, '/live', token);
        return live.status === 200 ? live : undefined;
      });
      assert.equal(answer.json.meeting.status, 'notStarted');
      assert.equal(answer.json.meeting.trackingSince, on('08:55:00.000'));
      assert.deepEqual(answer.json.participants, []);
    });

    it('closes every interval when the meeting ends', async () => {
      const short = new TeamsMeeting(() => env.server.url, env.connector.url);
      await short.play(
        short.started(on('09:00:00.000')),
        short.joined(on('09:00:10.000'), [ana, bob]),
        short.ended(on('09:30:00.000')),
      );
      const answer = await getMeetingApi(env.server.url, short.meetingId, '/live', await tokenOf(ana));
      assert.equal(answer.json.meeting.status, 'ended');
      assert.equal(answer.json.meeting.endedAt, on('09:30:00.000'));
      assert.deepEqual(
        (answer.json.participants as any[]).map((entry) => [entry.closedSeconds, entry.presentSince]),
        [
          [1790, null],
          [1790, null],
        ],
      );
    });
  });
});
