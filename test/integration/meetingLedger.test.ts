/**
 * THE acceptance scenario: a Meet Now meeting played over real HTTP as Teams delivers it (batched joins, an
 * anonymous guest, duplicates, retries under new ids, a leave before its join, people who never leave),
 * then the same exact totals read three ways: the chat card, the Graph-shaped JSON report and the CSV.
 */
import assert from 'node:assert/strict';
import { INSTANT_MEETING_NOTICE, helpText, NOT_A_MEETING_CHAT, NOTHING_RECORDED_YET } from '../../bot/src/teams/cards/messages.js';
import { adaptiveCardOf, attendanceRows, cardTexts, presenceFacts } from '../support/cards.js';
import { useTestEnvironment } from '../support/environment.js';
import type { PostedActivity } from '../support/fakeConnector.js';
import { loadFixture } from '../support/fixtures.js';
import { FIXTURE_MEETING_ID, on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, guest, TENANT_ID } from '../support/people.js';
import { getMeetingApi, parseCsv } from '../support/reportApi.js';
import { settle, waitFor } from '../support/waitFor.js';

const FIXTURE_CHAT_ID: string = loadFixture('meeting-start.json').conversation.id;

/** Everyone's expected attendance, longest first (the order of the card, the JSON and the CSV). */
const EXPECTED = [
  { person: guest, seconds: 1794, total: '29m 54s', sessions: 1, firstJoin: '09:00:05.456', lastLeave: '09:30:00.000' },
  { person: carol, seconds: 1730, total: '28m 50s', sessions: 1, firstJoin: '09:01:10.000', lastLeave: '09:30:00.000' },
  { person: bob, seconds: 1340, total: '22m 20s', sessions: 2, firstJoin: '09:01:10.000', lastLeave: '09:25:30.500' },
  { person: ana, seconds: 1009, total: '16m 49s', sessions: 1, firstJoin: '09:00:05.456', lastLeave: '09:16:54.789' },
  { person: dan, seconds: 900, total: '15m 0s', sessions: 1, firstJoin: '09:05:00.000', lastLeave: '09:20:00.000' },
];

function cardTime(time: string): string {
  return `{{TIME(2025-11-26T${time.slice(0, 8)}Z)}}`;
}

describe('meeting ledger over HTTP: a Meet Now meeting as Teams delivers it', function () {
  const env = useTestEnvironment();

  const organizerToken = () => env.tokens.userToken({ oid: ana.aadObjectId as string });
  const repliesTo = (activity: { id: string }): PostedActivity[] =>
    env.connector.activities.filter((posted) => posted.replyToId === activity.id);

  describe('the acceptance meeting (start, joins, duplicates, out-of-order leave, end)', () => {
    let meeting: TeamsMeeting;
    let whoIsHere: PostedActivity;
    let liveReport: any;
    let endActivities: { id: string }[];
    let reportCardReply: PostedActivity;

    before(async () => {
      meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { meetingId: FIXTURE_MEETING_ID, chatId: FIXTURE_CHAT_ID });
      const firstJoins = meeting.joined(on('09:00:05.456'), [ana, guest]);
      const bobBack = meeting.joined(on('09:12:00.000'), [bob]);
      const bobBackRetried = { ...bobBack, id: `${bobBack.id}-retry` };
      await meeting.play(
        meeting.started(on('09:00:02.123')),
        firstJoins,
        firstJoins, // the same activity delivered twice
        meeting.joined(on('09:01:10.000'), [bob, carol]), // several members in one activity
        meeting.left(on('09:20:00.000'), [dan]), // Dan's leave arrives before his join
        meeting.joined(on('09:05:00.000'), [dan]),
        meeting.left(on('09:10:00.000'), [bob]),
        bobBack,
        bobBackRetried, // Teams' retry of the same fact under a new activity id
        meeting.left(on('09:16:54.789'), [ana]),
      );

      env.server.clock.set(on('09:22:00.000'));
      const question = meeting.message('who is here', on('09:22:00.000'));
      await meeting.send(question);
      whoIsHere = await env.connector.waitForActivity((posted) => posted.replyToId === question.id);
      liveReport = (await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', await organizerToken())).json;

      const end = meeting.ended(on('09:30:00.000'));
      const endRetried = { ...end, id: `${end.id}-retry` };
      await meeting.play(meeting.left(on('09:25:30.500'), [bob]), end, end, endRetried);
      endActivities = [end, endRetried];

      env.server.clock.set(on('09:45:00.000'));
      const ask = meeting.message('attendance report', on('09:31:40.000'));
      await meeting.send(ask);
      reportCardReply = await env.connector.waitForActivity((posted) => posted.replyToId === ask.id);
      // The summary and the notice are posted after the answers: wait for them, then a moment for any second one.
      await waitFor('the summary card', () => endActivities.flatMap(repliesTo).some((posted) => adaptiveCardOf(posted)));
      await env.connector.waitForActivity((posted) => posted.body.text === INSTANT_MEETING_NOTICE);
      await settle();
    });

    it('answers "@Attendance attendance report" with a card whose totals are exact to the second (Ana 16m 49s)', () => {
      const card = adaptiveCardOf(reportCardReply);
      assert.ok(card, 'the reply carries no Adaptive Card');
      assert.deepEqual(
        attendanceRows(card).map(({ Status: _status, ...row }) => row),
        EXPECTED.map((row) => ({
          Name: row.person.name,
          Total: row.total,
          Sessions: String(row.sessions),
          'First join': cardTime(row.firstJoin),
          'Last leave': cardTime(row.lastLeave),
        })),
      );
      const texts = cardTexts(card);
      assert.ok(texts.includes('Attendance: Physics 101'), texts.join(' | '));
      assert.ok(texts.includes('Meet Now (instant) · 5 participants'), texts.join(' | '));
      assert.ok(
        texts.includes('{{DATE(2025-11-26T09:00:02Z, SHORT)}} {{TIME(2025-11-26T09:00:02Z)}} – {{TIME(2025-11-26T09:30:00Z)}}'),
        texts.join(' | '),
      );
    });

    it('serves the same totals as a Graph-shaped JSON report to the organizer (totalAttendanceInSeconds 1009 for Ana)', async () => {
      const answer = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', await organizerToken());
      assert.equal(answer.status, 200, answer.text);
      const report = answer.json;
      assert.match(report.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(report.totalParticipantCount, 5);
      assert.equal(report.meetingStartDateTime, '2025-11-26T09:00:02.123Z');
      assert.equal(report.meetingEndDateTime, '2025-11-26T09:30:00.000Z');
      assert.equal(report.meetingType, 'MeetNow');
      assert.equal(report.isInstantMeeting, true);
      assert.equal(report.isLive, false);
      assert.equal(report.meetingStartObserved, true);
      const byId = (person: { aadObjectId?: string; id: string }) => person.aadObjectId ?? person.id;
      assert.deepEqual(
        report.attendanceRecords.map((record: any) => [record.id, record.totalAttendanceInSeconds]),
        EXPECTED.map((row) => [byId(row.person), row.seconds]),
      );
      const anaRecord = report.attendanceRecords.find((record: any) => record.id === ana.aadObjectId);
      assert.deepEqual(anaRecord, {
        id: ana.aadObjectId,
        emailAddress: null,
        identity: { id: ana.aadObjectId, displayName: 'Ana Teacher', tenantId: TENANT_ID },
        role: 'Organizer',
        totalAttendanceInSeconds: 1009,
        attendanceIntervals: [
          { joinDateTime: '2025-11-26T09:00:05.456Z', leaveDateTime: '2025-11-26T09:16:54.789Z', durationInSeconds: 1009 },
        ],
        presentBeforeTracking: false,
        isPresent: false,
        attendanceBasis: 'events',
        // The register's (docs/register.md): 1009 s of the 30 min session, gone 13 min before its end.
        status: 'partial',
        attendancePercent: 56.1,
        late: false,
        lateBySeconds: 0,
        leftEarly: true,
        leftEarlyBySeconds: 785,
        corrections: [],
      });
      assert.deepEqual(report.accuracy, { basis: 'events', statement: 'Exact (Teams events).', sampleIntervalSeconds: 0 });
      const guestRecord = report.attendanceRecords.find((record: any) => record.id === guest.id);
      assert.deepEqual(guestRecord.identity, { id: guest.id, displayName: 'Guest Visitor', tenantId: null });
      const bobRecord = report.attendanceRecords.find((record: any) => record.id === bob.aadObjectId);
      assert.deepEqual(bobRecord.attendanceIntervals, [
        { joinDateTime: '2025-11-26T09:01:10.000Z', leaveDateTime: '2025-11-26T09:10:00.000Z', durationInSeconds: 530 },
        { joinDateTime: '2025-11-26T09:12:00.000Z', leaveDateTime: '2025-11-26T09:25:30.500Z', durationInSeconds: 810 },
      ]);
      const carolRecord = report.attendanceRecords.find((record: any) => record.id === carol.aadObjectId);
      assert.equal(carolRecord.role, 'Presenter');
    });

    it('serves the same totals as CSV, for the latest report and by report id, byte for byte the same', async () => {
      const token = await organizerToken();
      const latest = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport.csv', token);
      assert.equal(latest.status, 200, latest.text);
      assert.match(latest.contentType ?? '', /^text\/csv/);
      const rows = parseCsv(latest.text);
      assert.deepEqual(rows[0]?.slice(0, 9), ['Name', 'Email', 'Role', 'First join', 'Last leave', 'Total seconds', 'Total', 'Sessions', 'Accuracy']);
      assert.deepEqual(
        rows.slice(1).map((row) => row.slice(0, 9)),
        EXPECTED.map((row) => [
          row.person.name,
          '',
          row.person.role,
          on(row.firstJoin),
          on(row.lastLeave),
          String(row.seconds),
          row.total,
          String(row.sessions),
          'exact (Teams events)',
        ]),
      );
      const reportId = (await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token)).json.id as string;
      const byId = await getMeetingApi(env.server.url, meeting.meetingId, `/attendanceReports/${reportId}.csv`, token);
      assert.equal(byId.status, 200, byId.text);
      assert.equal(byId.text, latest.text);
    });

    it('reported the live meeting with open intervals running to now, marked live', () => {
      assert.equal(liveReport.isLive, true);
      assert.equal(liveReport.meetingEndDateTime, null);
      const guestLive = liveReport.attendanceRecords.find((record: any) => record.id === guest.id);
      // 09:00:05.456 → now (09:22:00.000) is 1314.544 s
      assert.deepEqual(guestLive.attendanceIntervals, [
        { joinDateTime: '2025-11-26T09:00:05.456Z', leaveDateTime: null, durationInSeconds: 1314 },
      ]);
      assert.equal(guestLive.isPresent, true);
      const danLive = liveReport.attendanceRecords.find((record: any) => record.id === dan.aadObjectId);
      assert.equal(danLive.totalAttendanceInSeconds, 900);
      assert.equal(danLive.isPresent, false);
    });

    it('lists the people present during the live meeting for "who is here", earliest first', () => {
      const card = adaptiveCardOf(whoIsHere);
      assert.ok(card, 'the reply carries no Adaptive Card');
      assert.ok(cardTexts(card).includes('In the meeting now: 3'), cardTexts(card).join(' | '));
      assert.deepEqual(presenceFacts(card), [
        { title: 'Guest Visitor', value: `since ${cardTime('09:00:05')}` },
        { title: 'Carol Assistant', value: `since ${cardTime('09:01:10')}` },
        { title: 'Bob Student', value: `since ${cardTime('09:12:00')}` },
      ]);
    });

    it('posts the end-of-meeting summary card once, even when meetingEnd is redelivered (same id and a new id)', () => {
      const summaries = endActivities.flatMap(repliesTo).filter((posted) => adaptiveCardOf(posted));
      assert.equal(summaries.length, 1, `expected one summary card, got ${summaries.length}`);
      const summary = summaries[0] as PostedActivity;
      assert.equal(summary.conversationId, FIXTURE_CHAT_ID);
      assert.deepEqual(
        attendanceRows(adaptiveCardOf(summary)).map((row) => [row['Name'], row['Total']]),
        EXPECTED.map((row) => [row.person.name, row.total]),
      );
      assert.equal(env.server.logsMatching('posted the end-of-meeting summary').length, 1);
    });

    it('recognises every duplicate (same activity, or the same fact under a new id) and logs it as already recorded', () => {
      // the join delivered twice, Bob's rejoin retried, meetingEnd delivered twice and retried
      const duplicates = env.server.logsMatching('meeting event already recorded').filter((line) => line['meetingId'] === meeting.meetingId);
      assert.equal(duplicates.length, 4);
    });

    it('posts the instant-meeting notice to the meeting chat exactly once', () => {
      const notices = env.connector.activities.filter((posted) => posted.body.text === INSTANT_MEETING_NOTICE);
      assert.equal(notices.length, 1);
      assert.equal(notices[0]?.conversationId, FIXTURE_CHAT_ID);
    });

    it('lists the session in /attendanceReports in Graph style: a value array, without records', async () => {
      const answer = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReports', await organizerToken());
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.json.value.length, 1);
      const [summary] = answer.json.value;
      assert.equal(summary.totalParticipantCount, 5);
      assert.equal(summary.meetingEndDateTime, '2025-11-26T09:30:00.000Z');
      assert.equal('attendanceRecords' in summary, false);
    });
  });

  describe('a meeting held twice (start → end, then start → end again)', () => {
    it('gives each session its own report, listed in /attendanceReports and readable by id', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      await meeting.play(
        meeting.started(on('10:00:00.000')),
        meeting.joined(on('10:00:10.000'), [ana, bob]),
        meeting.ended(on('10:10:00.000')),
        meeting.started(on('11:00:00.000')),
        meeting.joined(on('11:00:30.000'), [ana, bob]),
        meeting.left(on('11:05:30.250'), [bob]),
        meeting.ended(on('11:10:00.000')),
      );
      const token = await organizerToken();
      const list = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReports', token);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.json.value.map((summary: any) => [summary.meetingStartDateTime, summary.meetingEndDateTime, summary.totalParticipantCount]),
        [
          ['2025-11-26T10:00:00.000Z', '2025-11-26T10:10:00.000Z', 2],
          ['2025-11-26T11:00:00.000Z', '2025-11-26T11:10:00.000Z', 2],
        ],
      );
      assert.ok(list.json.value.every((summary: any) => !('attendanceRecords' in summary)));
      const [first, second] = list.json.value as { id: string }[];
      assert.notEqual(first?.id, second?.id);

      const bobIn = async (reportPath: string) => {
        const report = (await getMeetingApi(env.server.url, meeting.meetingId, reportPath, token)).json;
        return report.attendanceRecords.find((record: any) => record.id === bob.aadObjectId).totalAttendanceInSeconds;
      };
      assert.equal(await bobIn(`/attendanceReports/${first?.id}`), 590);
      assert.equal(await bobIn(`/attendanceReports/${second?.id}`), 300);
      assert.equal(await bobIn('/attendanceReport'), 300, 'the latest report is the second session');

      const summaries = () => env.connector.activitiesIn(meeting.chatId).filter((posted) => adaptiveCardOf(posted));
      await waitFor('two summary cards', () => summaries().length >= 2);
      await settle();
      assert.equal(summaries().length, 2, 'one summary card per session');
    });
  });

  describe('chat commands', () => {
    const replyText = async (meeting: TeamsMeeting, activity: { id: string }) => {
      await meeting.send(activity);
      await env.connector.waitForActivity((posted) => posted.replyToId === activity.id);
      await settle(200);
      const replies = repliesTo(activity);
      assert.equal(replies.length, 1, 'expected exactly one reply');
      return replies[0]?.body.text as string;
    };

    it('answers "help" with the list of commands', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      const text = await replyText(meeting, meeting.message('help', on('12:00:00.000')));
      assert.equal(text, helpText('Attendance'));
      assert.match(text, /attendance report/);
      assert.match(text, /who is here/);
    });

    it('answers text it does not understand with the help text', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      assert.equal(await replyText(meeting, meeting.message('what can you do?', on('12:00:00.000'))), helpText('Attendance'));
    });

    it('tells a meeting chat with nothing recorded yet that nothing is recorded', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      assert.equal(await replyText(meeting, meeting.message('attendance report', on('12:00:00.000'))), NOTHING_RECORDED_YET);
    });

    it('explains how to add the app when asked for a report in a chat that is not a meeting', async () => {
      const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
      const message = meeting.message('attendance report', on('12:00:00.000'));
      message.conversation = { id: 'a:1personalChat', conversationType: 'personal', tenantId: TENANT_ID };
      delete message.channelData.meeting;
      await meeting.send(message);
      await env.connector.waitForActivity((posted) => posted.replyToId === message.id);
      await settle(200);
      const replies = repliesTo(message);
      assert.equal(replies.length, 1);
      assert.equal(replies[0]?.body.text, NOT_A_MEETING_CHAT);
      assert.equal(replies[0]?.conversationId, 'a:1personalChat');
    });
  });
});
