/**
 * Meeting ids as long as Teams may send them. They are base64 (with + / =), about 100 characters for most
 * meetings and longer for some: every meeting the bot records must be readable through the report API (the
 * router used to refuse path parameters over 100 characters, answering 404 for a meeting it had recorded),
 * and an id too long to be addressed is refused when it arrives rather than recorded and never readable.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { MAX_MEETING_ID_LENGTH } from '../../bot/src/teams/meetingRef.js';
import { useTestEnvironment } from '../support/environment.js';
import { newMeetingId, on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';

/** A base64 meeting id of exactly `length` characters, with the + / = that need URL-encoding. */
function meetingIdOfLength(length: number): string {
  return `MCMxOTpt${'ZWV0+aW5n/X1lU'.repeat(Math.ceil(length / 14))}`.slice(0, length - 2) + '==';
}

describe('meeting ids of every length Teams may send', function () {
  const env = useTestEnvironment();

  const playMeeting = async (meetingId: string) => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { meetingId });
    await meeting.play(
      meeting.started(on('09:00:00.000')),
      meeting.joined(on('09:00:10.000'), [ana, bob]),
      meeting.left(on('09:10:10.000'), [bob]),
      meeting.ended(on('09:20:00.000')),
    );
    return meeting;
  };

  for (const length of [101, 200, MAX_MEETING_ID_LENGTH]) {
    it(`records a meeting whose id is ${length} characters and serves its reports, CSV and live view`, async () => {
      const meeting = await playMeeting(meetingIdOfLength(length));
      const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
      for (const path of ['/attendanceReports', '/attendanceReport', '/attendanceReport.csv', '/live']) {
        const answer = await getMeetingApi(env.server.url, meeting.meetingId, path, token);
        assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      }
      const report = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
      assert.deepEqual(
        report.json.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds]),
        [
          ['Ana Teacher', 1190],
          ['Bob Student', 600],
        ],
      );
    });
  }

  it(`records and serves a meeting whose id is ${MAX_MEETING_ID_LENGTH} UTF-16 units of characters outside the BMP`, async () => {
    const meeting = await playMeeting(`${'𝞏'.repeat(MAX_MEETING_ID_LENGTH / 2 - 1)}==`);
    const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
    const answer = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(answer.status, 200, answer.text);
  });

  it('answers a chat command sent without channelData.meeting (as the Agents Playground sends them) for the meeting of that chat', async () => {
    const meeting = await playMeeting(newMeetingId());
    const message = meeting.message('report', on('09:25:00.000'));
    delete message.channelData.meeting;
    await meeting.send(message);
    const answer = await env.connector.waitForActivity((posted) => posted.replyToId === message.id, 10_000);
    assert.match(JSON.stringify(answer.body.attachments), /Ana Teacher/, 'the report card of that meeting');

    const unknownChat = new TeamsMeeting(() => env.server.url, env.connector.url);
    const stray = unknownChat.message('who is here', on('09:05:00.000'));
    delete stray.channelData.meeting;
    await unknownChat.send(stray);
    const reply = await env.connector.waitForActivity((posted) => posted.replyToId === stray.id, 10_000);
    assert.match(JSON.stringify(reply.body), /meeting/i, 'told this is not a meeting chat');
  });

  it(`refuses an event whose meeting id is longer than ${MAX_MEETING_ID_LENGTH} characters, and records nothing of it`, async () => {
    const meetingId = meetingIdOfLength(MAX_MEETING_ID_LENGTH + 1);
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { meetingId });
    const response = await postActivity(env.server.url, meeting.joined(on('09:00:10.000'), [ana]));
    const text = await response.text();
    assert.equal(response.status, 400, text);
    assert.equal(JSON.parse(text).error.code, 'BadActivity');
    assert.match(JSON.parse(text).error.message, new RegExp(`at most ${MAX_MEETING_ID_LENGTH} characters`));
    const database = new Database(env.server.dbPath, { readonly: true, fileMustExist: true });
    try {
      const stored = database.prepare('SELECT count(*) AS count FROM events WHERE meeting_id = ?').get(meetingId) as { count: number };
      assert.equal(stored.count, 0);
    } finally {
      database.close();
    }
  });
});
