/**
 * The register over HTTP: a class whose chat has five members (and the bot), played as Teams sends it; the
 * roster read after the start; the report's statuses and absentees; a correction with its audit trail in JSON
 * and CSV, and its undo; the rule changed by the organizer; and the refusals (attendees, other tenants, nonsense).
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, type TeamsPerson } from '../support/people.js';
import { callApi, getMeetingApi, parseCsv, type ApiAnswer } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';

const on = (time: string) => `2025-11-26T${time}Z`;
const theBot: TeamsPerson = { id: '28:attendance-bot', name: 'Attendance', role: 'Attendee' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the register over HTTP: roster, statuses, corrections, rule', function () {
  this.timeout(30_000);
  const env = useTestEnvironment();
  let meeting: TeamsMeeting;
  let organizer: string;
  let reportId: string;

  const tokenOf = (person: TeamsPerson) => env.tokens.userToken({ oid: person.aadObjectId ?? '' });
  const api = (method: string, path: string, token: string, body?: unknown) =>
    callApi(env.server.url, method, `/api/meetings/${encodeURIComponent(meeting.meetingId)}${path}`, token, body);
  const corrections = () => `/attendanceReports/${reportId}/corrections`;
  const report = async (token = organizer) => (await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token)).json;
  const recordOf = (body: any, person: TeamsPerson) => body.attendanceRecords.find((record: any) => record.id === person.aadObjectId);

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    env.connector.scriptChatMembers(meeting.chatId, [ana, theBot, bob, carol, dan]);
    await meeting.play(
      meeting.started(on('09:00:00.000')),
      meeting.joined(on('09:00:10.000'), [ana]),
      meeting.joined(on('09:15:00.000'), [bob]),
      meeting.joined(on('09:00:20.000'), [carol]),
      meeting.left(on('09:30:00.000'), [carol]),
      meeting.ended(on('10:00:00.000')),
    );
    organizer = await tokenOf(ana);
    // The roster is read after Teams got its answer.
    for (let waited = 0; waited < 10_000 && !(await report())?.absentees?.length; waited += 100) await sleep(100);
    reportId = (await report()).id;
  });

  it("reads the chat's members after the start, bots left out, and gives each person one status", async () => {
    const body = await report();
    assert.deepEqual(body.statusCounts, { excused: 0, absent: 1, partial: 1, late: 1, leftEarly: 0, present: 1 });
    assert.deepEqual(body.absentees, [
      {
        id: dan.aadObjectId,
        emailAddress: dan.email,
        identity: { id: dan.aadObjectId, displayName: dan.name, tenantId: body.absentees[0].identity.tenantId },
        role: 'Unknown',
        status: 'absent',
        corrections: [],
      },
    ]);
    const bobs = recordOf(body, bob);
    assert.deepEqual([bobs.status, bobs.late, bobs.lateBySeconds, bobs.leftEarly, bobs.attendancePercent], ['late', true, 900, false, 75]);
    const carols = recordOf(body, carol);
    assert.deepEqual([carols.status, carols.leftEarly, carols.leftEarlyBySeconds], ['partial', true, 1800]);
    assert.deepEqual(body.rule, { presentPercent: 75, lateAfterMinutes: 10, leftEarlyMinutes: 10, source: 'default' });
    assert.equal(body.totalParticipantCount, 3, 'records are those who attended, as in Graph');
  });

  it('refuses corrections from attendees (403) and other tenants (404), and nonsense with a 400 that says what is wrong', async () => {
    const valid = { participantId: dan.aadObjectId, action: 'excuse', reason: 'ill' };
    assert.equal((await api('POST', corrections(), await tokenOf(bob), valid)).status, 403);
    assert.equal((await api('POST', corrections(), await env.tokens.otherTenant(ana.aadObjectId ?? ''), valid)).status, 404);
    assert.equal((await api('POST', '/attendanceReports/no-such-report/corrections', organizer, valid)).status, 404);
    const nonsense: [object | string, RegExp][] = [
      [{ ...valid, action: 'addInterval', joinDateTime: on('09:20:00'), leaveDateTime: on('09:10:00') }, /leaveDateTime must be after joinDateTime/],
      [{ ...valid, action: 'addInterval', joinDateTime: on('08:20:00'), leaveDateTime: on('09:10:00') }, /within the session, from 2025-11-26T09:00:00.000Z to 2025-11-26T10:00:00.000Z/],
      [{ ...valid, participantId: 'someone-else' }, /participantId someone-else is neither on this meeting's roster/],
      [{ ...valid, reason: '   ' }, /reason must not be empty/],
      [{ ...valid, action: 'delete' }, /action must be one of markPresent, markAbsent, excuse, addInterval, removeInterval, undo/],
      [{ ...valid, joinDateTime: 'yesterday' }, /joinDateTime must be an ISO 8601 date-time/],
      [{ ...valid, extra: 1 }, /unknown field\(s\) extra/],
      ['not json at all', /./],
    ];
    for (const [body, message] of nonsense) {
      const answer = await api('POST', corrections(), organizer, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(answer.json?.error?.message ?? answer.text, message);
    }
    assert.deepEqual((await api('GET', corrections(), organizer)).json, { value: [] }, 'nothing was stored');
  });

  let phone: ApiAnswer;

  it('stores a correction (201: id, who, when, what was asked) and shows the corrected figure beside the measured one', async () => {
    phone = await api('POST', corrections(), organizer, {
      participantId: dan.aadObjectId,
      action: 'addInterval',
      joinDateTime: '2025-11-26T10:05:00+01:00',
      leaveDateTime: on('10:00:00'),
      reason: 'dialled in by phone',
    });
    assert.equal(phone.status, 201, phone.text);
    assert.match(phone.json.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(phone.json.by, { id: ana.aadObjectId, displayName: ana.name });
    assert.deepEqual([phone.json.action, phone.json.joinDateTime, phone.json.reason, phone.json.reportId], ['addInterval', on('09:05:00.000'), 'dialled in by phone', reportId]);
    const body = await report();
    const dans = recordOf(body, dan);
    assert.deepEqual([dans.status, dans.attendanceBasis, dans.totalAttendanceInSeconds], ['present', 'corrected', 3300]);
    assert.deepEqual([dans.measured.status, dans.measured.totalAttendanceInSeconds, dans.measured.attendanceBasis], ['absent', 0, 'events']);
    assert.deepEqual(dans.corrections, [phone.json]);
    assert.deepEqual(body.absentees, []);
    const told = env.server.logsMatching('register changed', LOG_LEVEL.info).filter((line) => line['meetingId'] === meeting.meetingId);
    assert.deepEqual(told.map((line) => [line['cause'], line['reportIds']]), [['correction', [reportId]]], 'registerChanged is told once, after the store');
    const rows = parseCsv((await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport.csv', organizer)).text);
    assert.deepEqual(rows[0]?.slice(9), ['Status', 'Attended %', 'Late by', 'Left early by', 'Corrected']);
    const danRow = rows.find((row) => row[0] === dan.name);
    assert.deepEqual(danRow?.slice(9, 13), ['present', '91.6', '', '']);
    assert.equal(danRow?.[13], `yes; addInterval: dialled in by phone (Ana Teacher, ${phone.json.at})`);
    assert.deepEqual(rows.find((row) => row[0] === bob.name)?.slice(9, 12), ['late', '75', '15m 0s']);
  });

  it('lists the trail: everything to the organizer, only their own to an attendee', async () => {
    assert.deepEqual((await api('GET', corrections(), organizer)).json, { value: [phone.json] });
    assert.deepEqual((await api('GET', corrections(), await tokenOf(bob))).json, { value: [] });
    const bobsView = await report(await tokenOf(bob));
    assert.deepEqual([bobsView.attendanceRecords.length, bobsView.absentees.length, recordOf(bobsView, bob).status], [1, 0, 'late']);
  });

  it('undoes a correction with another one, keeping both in the trail', async () => {
    const undo = await api('POST', corrections(), await tokenOf(carol), { participantId: dan.aadObjectId, action: 'undo', correctionId: phone.json.id, reason: 'wrong student' });
    assert.equal(undo.status, 201, undo.text);
    assert.deepEqual(undo.json.by, { id: carol.aadObjectId, displayName: carol.name }, 'a presenter may correct');
    const body = await report();
    assert.deepEqual(body.absentees.map((absentee: any) => [absentee.id, absentee.status, absentee.corrections.length]), [[dan.aadObjectId, 'absent', 2]]);
    const again = await api('POST', corrections(), organizer, { participantId: dan.aadObjectId, action: 'undo', correctionId: phone.json.id, reason: 'again' });
    assert.match(again.json.error.message, /already undone/);
  });

  it("changes the meeting's rule for the organizer, and refuses attendees and impossible rules", async () => {
    const rule = { presentPercent: 40, lateAfterMinutes: 20, leftEarlyMinutes: 40 };
    assert.equal((await api('PUT', '/rule', await tokenOf(bob), rule)).status, 403);
    const bad = await api('PUT', '/rule', organizer, { ...rule, presentPercent: 150 });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /presentPercent must be at most 100/);
    const set = await api('PUT', '/rule', organizer, rule);
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.json, { ...rule, source: 'meeting', changedBy: { id: ana.aadObjectId, displayName: ana.name }, changedAt: set.json.changedAt });
    const body = await report();
    assert.equal(body.rule.source, 'meeting');
    assert.deepEqual([recordOf(body, bob).status, recordOf(body, carol).status], ['present', 'present'], 'late after 20 min; 49 % ≥ 40 %, left 30 min early of 40 allowed');
  });
});
