/**
 * Restarting the server (a deploy, a crash) loses nothing: a new app on the same SQLite file serves the
 * same reports, carries on a live meeting, and remembers what it already posted.
 */
import assert from 'node:assert/strict';
import { adaptiveCardOf } from '../support/cards.js';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, guest } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { settle, waitFor } from '../support/waitFor.js';

describe('restart: a new server on the same SQLite file', function () {
  const env = useTestEnvironment();

  const read = async (meeting: TeamsMeeting, path: string) => {
    const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
    const answer = await getMeetingApi(env.server.url, meeting.meetingId, path, token);
    assert.equal(answer.status, 200, answer.text);
    return answer.text;
  };

  it('serves byte-identical reports (JSON, CSV, list) for an ended meeting after a restart', async () => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(
      meeting.started(on('09:00:02.123')),
      meeting.joined(on('09:00:05.456'), [ana, guest]),
      meeting.joined(on('09:01:00.000'), [bob]),
      meeting.left(on('09:16:54.789'), [ana]),
      meeting.ended(on('09:30:00.000')),
    );
    const paths = ['/attendanceReport', '/attendanceReport.csv', '/attendanceReports'];
    const before = await Promise.all(paths.map((path) => read(meeting, path)));

    await env.server.restart();
    const after = await Promise.all(paths.map((path) => read(meeting, path)));
    assert.deepEqual(after, before);
    assert.equal(JSON.parse(after[0] as string).attendanceRecords.find((record: any) => record.id === ana.aadObjectId).totalAttendanceInSeconds, 1009);
  });

  it('carries on a live meeting across a restart and posts its summary once', async () => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    const end = meeting.ended(on('10:30:00.000'));
    await meeting.play(meeting.started(on('10:00:00.000')), meeting.joined(on('10:00:30.000'), [ana, bob]));
    await env.server.restart();
    await meeting.play(meeting.left(on('10:20:30.000'), [bob]), end);
    await env.server.restart();
    await meeting.send(end); // Teams redelivers the end to the new instance

    const report = JSON.parse(await read(meeting, '/attendanceReport'));
    assert.deepEqual(
      report.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds]),
      [
        ['Ana Teacher', 1770],
        ['Bob Student', 1200],
      ],
    );
    const summaries = () => env.connector.activitiesIn(meeting.chatId).filter((posted) => adaptiveCardOf(posted));
    await waitFor('the summary card', () => summaries().length > 0);
    await settle();
    assert.equal(summaries().length, 1);
  });
});
