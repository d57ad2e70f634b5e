/**
 * A class's roll-up over HTTP: two runs of a class in the same chat (two meetings), each with its register;
 * per person, sessions attended of sessions held, time, share of the time held and each status's count.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { TeamsMeeting } from '../support/meeting.js';
import { ana, bob, dan, type TeamsPerson } from '../support/people.js';
import { getApi, getMeetingApi, parseCsv } from '../support/reportApi.js';

const on = (day: number, time: string) => `2025-11-${day}T${time}Z`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a class's roll-up across the meetings of one chat", function () {
  this.timeout(30_000);
  const env = useTestEnvironment();
  const chatId = '19:class-physics-101@thread.v2';
  const path = `/api/chats/${encodeURIComponent(chatId)}/attendance`;
  const tokenOf = (person: TeamsPerson) => env.tokens.userToken({ oid: person.aadObjectId ?? '' });

  async function playClass(day: number, students: [TeamsPerson, string, string][]): Promise<void> {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url, { chatId });
    await meeting.play(
      meeting.started(on(day, '09:00:00.000')),
      meeting.joined(on(day, '09:00:00.000'), [ana]),
      ...students.flatMap(([who, from, to]) => [meeting.joined(on(day, from), [who]), meeting.left(on(day, to), [who])]),
      meeting.ended(on(day, '10:00:00.000')),
    );
    const organizer = await tokenOf(ana);
    // The roster (Ana, Bob, Dan) is read after Teams got its answer.
    for (let waited = 0; waited < 10_000; waited += 100) {
      const report = (await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', organizer)).json;
      if (report && report.attendanceRecords.length + report.absentees.length === 3) break;
      await sleep(100);
    }
  }

  before(async () => {
    env.connector.scriptChatMembers(chatId, [ana, bob, dan]);
    await playClass(26, [[bob, '09:15:00.000', '10:00:00.000'], [dan, '09:00:00.000', '10:00:00.000']]);
    await playClass(27, [[bob, '09:00:00.000', '09:30:00.000']]);
  });

  it('sums each person over every session: attended of held, time, share of the time held, statuses', async () => {
    const answer = await getApi(env.server.url, path, await tokenOf(ana));
    assert.equal(answer.status, 200, answer.text);
    const body = answer.json;
    assert.deepEqual([body.chatThreadId, body.sessionsHeld, body.secondsHeld, body.meetings.length, body.meetingsNotShown], [chatId, 2, 7200, 2, 0]);
    const row = (person: TeamsPerson) => body.people.find((candidate: any) => candidate.id === person.aadObjectId);
    assert.deepEqual(
      [row(bob).sessionsAttended, row(bob).sessionsHeld, row(bob).totalAttendanceInSeconds, row(bob).attendancePercent],
      [2, 2, 2700 + 1800, 62.5],
    );
    assert.deepEqual(row(bob).statusCounts, { excused: 0, absent: 0, partial: 1, late: 1, leftEarly: 0, present: 0 });
    assert.deepEqual([row(dan).sessionsAttended, row(dan).attendancePercent, row(dan).statusCounts.present, row(dan).statusCounts.absent], [1, 50, 1, 1]);
  });

  it('serves it as CSV too', async () => {
    const rows = parseCsv((await getApi(env.server.url, `${path}.csv`, await tokenOf(ana))).text);
    assert.deepEqual(rows[0], ['Name', 'Email', 'Sessions attended', 'Sessions held', 'Total seconds', 'Total', 'Attended % of time held', 'Present', 'Late', 'Left early', 'Partial', 'Absent', 'Excused']);
    assert.deepEqual(rows.find((row) => row[0] === bob.name)?.slice(2, 7), ['2', '2', '4500', '1h 15m 0s', '62.5']);
  });

  it('refuses attendees (403) and other tenants (404)', async () => {
    assert.equal((await getApi(env.server.url, path, await tokenOf(bob))).status, 403);
    assert.equal((await getApi(env.server.url, path, await env.tokens.otherTenant(ana.aadObjectId ?? ''))).status, 404);
    assert.equal((await getApi(env.server.url, '/api/chats/19%3Aunknown%40thread.v2/attendance', await tokenOf(ana))).status, 404);
  });
});
