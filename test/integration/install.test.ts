/**
 * The app added to a meeting that is already running (conversationUpdate): Teams' meeting details and the
 * chat's members are fetched from the (fake) connector, and the members Teams reports as in the meeting are
 * recorded as present since the install. A connector that fails or hangs never stops recording.
 */
import assert from 'node:assert/strict';
import { INSTANT_MEETING_NOTICE, welcomeText } from '../../bot/src/teams/cards/messages.js';
import { adaptiveCardOf, attendanceRows } from '../support/cards.js';
import { useTestEnvironment } from '../support/environment.js';
import { defaultMeetingInfo } from '../support/fakeConnector.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, eve, guest, TENANT_ID } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';
import { settle, waitFor } from '../support/waitFor.js';

describe('install: the app added to a meeting chat while the meeting runs', function () {
  const env = useTestEnvironment();

  const report = async (meeting: TeamsMeeting) => {
    const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
    const answer = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(answer.status, 200, answer.text);
    return answer.json;
  };
  const recordOf = (json: any, person: { aadObjectId?: string; id: string }) =>
    json.attendanceRecords.find((record: any) => record.id === (person.aadObjectId ?? person.id));

  describe('mid-meeting, with people already in it', () => {
    let meeting: TeamsMeeting;
    let install: any;

    before(async () => {
      meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      // In the chat: Ana, Bob and Carol (in the meeting), Eve (not in it), Dan (unknown to the meeting),
      // and a guest without an Entra id (who cannot be looked up).
      env.connector.scriptChatMembers(meeting.chatId, [ana, guest, bob, eve, carol, dan]);
      env.connector.scriptRoster(meeting.meetingId, [
        { person: ana, inMeeting: true },
        { person: bob, inMeeting: true },
        { person: carol, inMeeting: true },
        { person: eve, inMeeting: false },
      ]);
      install = meeting.installed(on('09:02:10.000'));
      env.server.clock.set(on('09:12:10.000'));
      await meeting.send(install);
      await meeting.send(install); // Teams redelivers
      // Asked and posted after the answers: wait for them.
      await waitFor('people already in the meeting recorded', () => env.server.logsMatching('recorded people already in the meeting').length > 0);
      await waitFor('the welcome', () => env.connector.activitiesIn(meeting.chatId).some((posted) => posted.body.text === welcomeText('Attendance')));
      await waitFor('the notice', () => env.connector.activitiesIn(meeting.chatId).some((posted) => posted.body.text === INSTANT_MEETING_NOTICE));
      await settle();
    });

    it('fetches the meeting details from the connector, by the meeting id', () => {
      assert.ok(env.connector.meetingInfoRequests(meeting.meetingId).length >= 1);
    });

    it('reads every page of the chat members and asks Teams about each member with an Entra id', () => {
      const pages = env.connector.requestsTo(`/v3/conversations/${meeting.chatId}/pagedmembers`);
      assert.deepEqual(pages.slice(0, 3).map((page) => page.query.get('continuationToken')), [null, '2', '4']);
      const lookups = env.connector.requestsTo(`/v1/meetings/${meeting.meetingId}/participants/`);
      const asked = new Set(lookups.map((lookup) => lookup.path.split('/').at(-1)));
      assert.deepEqual(asked, new Set([ana, bob, eve, carol, dan].map((person) => person.aadObjectId)));
      assert.ok(lookups.every((lookup) => lookup.query.get('tenantId') === TENANT_ID));
    });

    it('records those in the meeting as present since the install, marked presentBeforeTracking', async () => {
      const json = await report(meeting);
      assert.equal(json.meetingStartObserved, false);
      assert.equal(json.meetingStartDateTime, '2025-11-26T09:02:10.000Z');
      assert.equal(json.isLive, true);
      assert.deepEqual(
        json.attendanceRecords.map((record: any) => [record.identity.displayName, record.role, record.presentBeforeTracking]),
        [
          ['Ana Teacher', 'Organizer', true],
          ['Bob Student', 'Attendee', true],
          ['Carol Assistant', 'Presenter', true],
        ],
      );
      assert.deepEqual(recordOf(json, ana).attendanceIntervals, [
        { joinDateTime: '2025-11-26T09:02:10.000Z', leaveDateTime: null, durationInSeconds: 600 },
      ]);
      assert.equal(recordOf(json, ana).emailAddress, 'ana@contoso.test');
    });

    it('posts the welcome message once, even when the install is redelivered', () => {
      const welcomes = env.connector.activitiesIn(meeting.chatId).filter((posted) => posted.body.text === welcomeText('Attendance'));
      assert.equal(welcomes.length, 1);
      assert.equal(welcomes[0]?.replyToId, install.id);
    });

    it('posts the instant-meeting notice once (the details say MeetNow)', () => {
      const notices = env.connector.activitiesIn(meeting.chatId).filter((posted) => posted.body.text === INSTANT_MEETING_NOTICE);
      assert.equal(notices.length, 1);
    });

    it('then counts later events normally and closes everyone at the meeting end', async () => {
      await meeting.play(
        meeting.joined(on('09:05:00.000'), [dan]),
        meeting.left(on('09:20:00.000'), [ana]),
        meeting.ended(on('09:30:00.000')),
      );
      const json = await report(meeting);
      assert.deepEqual(
        json.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds, record.presentBeforeTracking]),
        [
          ['Bob Student', 1670, true],
          ['Carol Assistant', 1670, true],
          ['Dan Student', 1500, false],
          ['Ana Teacher', 1070, true],
        ],
      );
      const summary = await waitFor('the summary card', () => env.connector.activitiesIn(meeting.chatId).find((posted) => adaptiveCardOf(posted)));
      assert.deepEqual(
        attendanceRows(adaptiveCardOf(summary)).map((row) => row['Name']),
        ['Bob Student *', 'Carol Assistant *', 'Dan Student', 'Ana Teacher *'],
      );
    });
  });

  describe('when Teams cannot give the meeting details', () => {
    it('records the events anyway (2xx) and fetches the details on a later activity', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      env.connector.scriptMeetingInfo(meeting.meetingId, { status: 500 });
      env.server.clock.set(on('09:02:10.000'));
      await meeting.send(meeting.installed(on('09:02:10.000')));
      const failed = () => env.server.logsMatching('meeting details unavailable', LOG_LEVEL.warn).some((line) => line['meetingId'] === meeting.meetingId);
      await waitFor('the failed details fetch', failed);
      const attemptsAtInstall = env.connector.meetingInfoRequests(meeting.meetingId).length;
      assert.ok(attemptsAtInstall >= 1 && attemptsAtInstall <= 3, `${attemptsAtInstall} details calls`);
      await meeting.send(meeting.joined(on('09:03:00.000'), [bob]));
      await settle();
      assert.equal(env.connector.meetingInfoRequests(meeting.meetingId).length, attemptsAtInstall, 'a failed fetch is not retried at once');

      let json = await report(meeting);
      assert.equal(json.meetingType, null);
      assert.equal(recordOf(json, bob).attendanceIntervals[0].joinDateTime, '2025-11-26T09:03:00.000Z');

      env.connector.scriptMeetingInfo(meeting.meetingId, { body: defaultMeetingInfo(meeting.meetingId) });
      env.server.clock.advance(61_000);
      await meeting.send(meeting.left(on('09:04:00.000'), [bob]));
      await waitFor('the notice', () => env.connector.activitiesIn(meeting.chatId).some((posted) => posted.body.text === INSTANT_MEETING_NOTICE));
      assert.equal(env.connector.meetingInfoRequests(meeting.meetingId).length, attemptsAtInstall + 1);
      json = await report(meeting);
      assert.equal(json.meetingTitle, 'Physics 101');
      assert.equal(json.meetingType, 'MeetNow');
      assert.equal(recordOf(json, bob).totalAttendanceInSeconds, 60);
      await settle();
      const notices = env.connector.activitiesIn(meeting.chatId).filter((posted) => posted.body.text === INSTANT_MEETING_NOTICE);
      assert.equal(notices.length, 1, 'the instant-meeting notice follows once the type is known');
    });

    it('answers a join at once when the details call hangs, and records it', async function () {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      env.connector.scriptMeetingInfo(meeting.meetingId, 'hang');
      const startedAt = Date.now();
      await meeting.send(meeting.joined(on('09:03:00.000'), [bob]));
      assert.ok(Date.now() - startedAt < 1000, 'the bot waited for the connector');
      const json = await report(meeting);
      assert.equal(recordOf(json, bob).attendanceIntervals[0].joinDateTime, '2025-11-26T09:03:00.000Z');
    });
  });

  describe("when Teams' meeting API answers 404 (an expired meeting, or the Agents Playground, which has none)", () => {
    it('records everything, and says once per meeting what it could not learn', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      env.connector.scriptMeetingInfo(meeting.meetingId, { status: 404 });
      env.connector.scriptChatMembers(meeting.chatId, [ana, bob]); // and no roster: every participant lookup is a 404
      env.server.clock.set(on('09:02:10.000'));
      await meeting.play(
        meeting.installed(on('09:02:10.000')),
        meeting.joined(on('09:03:00.000'), [bob]),
        meeting.joined(on('09:03:30.000'), [carol]),
      );
      const apiUnavailable = () =>
        env.server.logsMatching("Teams' meeting API answered 404", LOG_LEVEL.debug).filter((line) => line['meetingId'] === meeting.meetingId);
      await waitFor('the 404 said', () => apiUnavailable().length > 0);
      await waitFor('the lookups tried', () => env.server.logsMatching('could not learn whether some chat members').some((line) => line['meetingId'] === meeting.meetingId));
      // A minute later the details are asked for again (at most once a minute), and the log does not repeat it.
      env.server.clock.advance(61_000);
      await meeting.send(meeting.left(on('09:04:00.000'), [bob]));
      await waitFor('the second ask', () => env.connector.meetingInfoRequests(meeting.meetingId).length >= 2);
      await waitFor('the second 404 handled', () => apiUnavailable().length >= 2);
      const warnings = apiUnavailable().filter((line) => line.level >= LOG_LEVEL.warn);
      assert.equal(warnings.length, 1, 'said once per meeting');
      assert.match(warnings[0]?.msg ?? '', /Not learned: its title, its type \(so no instant-meeting notice\), its organizer and its join URL/);
      assert.equal(env.connector.meetingInfoRequests(meeting.meetingId).length, 2, 'a 404 is not retried at once');
      const json = await report(meeting);
      assert.equal(json.meetingType, null);
      assert.equal(recordOf(json, bob).totalAttendanceInSeconds, 60);
      assert.equal(recordOf(json, carol).isPresent, true);
    });
  });

  it('records nothing when added to a chat that is not a meeting, and answers 2xx', async () => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    const install = meeting.installed(on('09:02:10.000'));
    install.conversation = { id: '19:groupchat-not-a-meeting@thread.v2', conversationType: 'groupChat', tenantId: TENANT_ID };
    delete install.channelData.meeting;
    await meeting.send(install);
    assert.equal(env.connector.activitiesIn('19:groupchat-not-a-meeting@thread.v2').length, 0);
    assert.equal(env.server.logsMatching('added outside a meeting chat').length, 1);
  });
});
