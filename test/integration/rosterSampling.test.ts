/**
 * A Meet Now meeting for which Teams sends no join/leave events at all: the app samples the roster
 * (pagedmembers + getMeetingParticipant) and the report is within one sampling interval of the truth,
 * labelled as sampled. Runs on real timers with a short interval.
 */
import assert from 'node:assert/strict';
import { useTestServices } from '../support/environment.js';
import type { RosterEntry } from '../support/fakeConnector.js';
import { TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, type TeamsPerson } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL, TestServer } from '../support/server.js';

const INTERVAL_S = 0.25;
/** A sample is stamped when its tick starts and its answers come a moment later. */
const TICK_SLACK_MS = 150;
const withinOneInterval = (errorMs: number) => errorMs >= -TICK_SLACK_MS && errorMs <= INTERVAL_S * 1000 + TICK_SLACK_MS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('roster sampling: attendance for meetings without participant events', function () {
  this.timeout(30_000);
  const services = useTestServices();
  const servers: TestServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.dispose()));
  });

  async function startServer(extraEnv: Record<string, string> = {}, databasePath?: string): Promise<TestServer> {
    const server = await TestServer.start({
      jwksUri: services.tokens.jwksUri,
      realClock: true,
      ...(databasePath ? { databasePath } : {}),
      env: { SAMPLE_INTERVAL_S: String(INTERVAL_S), SAMPLE_GRACE_S: '0', SAMPLE_EMPTY_STOP: '3', ...extraEnv },
    });
    servers.push(server);
    return server;
  }

  /** The meeting's chat has these members; `present` are in the meeting right now. */
  function roster(meeting: TeamsMeeting, present: TeamsPerson[]): void {
    const members = [ana, bob, carol];
    services.connector.scriptChatMembers(meeting.chatId, members);
    services.connector.scriptRoster(meeting.meetingId, members.map((person): RosterEntry => ({ person, inMeeting: present.includes(person) })));
  }

  async function organizerReport(server: TestServer, meeting: TeamsMeeting) {
    const token = await services.tokens.userToken({ oid: ana.aadObjectId ?? '' });
    return (await getMeetingApi(server.url, meeting.meetingId, '/attendanceReport', token)).json;
  }

  it('records joins and leaves from roster samples within one interval of the truth, labelled as sampled', async () => {
    const server = await startServer();
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    roster(meeting, [ana]);
    await meeting.play(meeting.started(new Date().toISOString()));
    const truth: Record<string, { joined: number; left?: number }> = {};
    await sleep(INTERVAL_S * 1000 * 2);
    truth['bob'] = { joined: Date.now() };
    roster(meeting, [ana, bob]);
    await sleep(INTERVAL_S * 1000 * 4);
    truth['carol'] = { joined: Date.now() };
    roster(meeting, [ana, bob, carol]);
    await sleep(INTERVAL_S * 1000 * 3);
    truth['bob'].left = Date.now();
    roster(meeting, [ana, carol]);
    await sleep(INTERVAL_S * 1000 * 3);
    await meeting.play(meeting.ended(new Date().toISOString()));

    const report = await organizerReport(server, meeting);
    assert.equal(report.accuracy.basis, 'sampled');
    assert.equal(report.accuracy.statement, `Sampled every ${INTERVAL_S} s, ±${INTERVAL_S} s.`);
    const record = (person: TeamsPerson) => report.attendanceRecords.find((candidate: any) => candidate.id === person.aadObjectId);
    for (const [name, person] of [['bob', bob], ['carol', carol]] as const) {
      const interval = record(person).attendanceIntervals[0];
      const expected = truth[name]!;
      const joinError = Date.parse(interval.joinDateTime) - expected.joined;
      assert.ok(withinOneInterval(joinError), `${name} joined ${joinError} ms after the truth`);
      if (expected.left) {
        const leaveError = Date.parse(interval.leaveDateTime) - expected.left;
        assert.ok(withinOneInterval(leaveError), `${name} left ${leaveError} ms after the truth`);
      }
      assert.equal(record(person).attendanceBasis, 'sampled');
    }
    assert.ok(server.logsMatching('roster sampling stopped: the meeting ended').length <= 1);
  });

  it('leaves people followed by Teams events alone, and stops sampling a scheduled meeting once events arrive', async () => {
    const server = await startServer();
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    services.connector.scriptMeetingInfo(meeting.meetingId, { body: { details: { id: meeting.meetingId, title: 'Physics 101', type: 'Scheduled' }, organizer: {} } });
    roster(meeting, [ana]);
    await meeting.play(meeting.started(new Date().toISOString()), meeting.joined(new Date().toISOString(), [ana]));
    await sleep(INTERVAL_S * 1000 * 3);
    assert.equal(server.logsMatching('roster sample taken').length, 0);
    assert.equal(server.logsMatching('roster sampling stopped: Teams sends participant events').length, 1);
  });

  it('takes each sample on one instance only when two share the store, and another takes over when it stops', async () => {
    const first = await startServer();
    const second = await startServer({}, first.dbPath);
    const meeting = new TeamsMeeting(() => first.url, services.connector.url);
    roster(meeting, [ana, bob]);
    await meeting.play(meeting.started(new Date().toISOString()));
    await new TeamsMeeting(() => second.url, services.connector.url, { meetingId: meeting.meetingId, chatId: meeting.chatId }).send(
      meeting.message('who is here', new Date().toISOString()),
    );
    await sleep(INTERVAL_S * 1000 * 6);
    const samplers = new Set([...first.logs, ...second.logs].filter((line) => line.msg === 'roster sample taken').map((line) => line['instanceId']));
    assert.equal(samplers.size, 1, 'one instance sampled');
    const [holder, standby] = first.logsMatching('roster sample taken').length > 0 ? [first, second] : [second, first];
    await holder.stop();
    await sleep(INTERVAL_S * 1000 * 6);
    assert.ok(standby.logsMatching('roster sample taken').length > 0, 'the other instance took over after the lease expired');
  });

  it('stops and says why when Teams answers 403 (the app is not installed in the meeting)', async () => {
    const server = await startServer();
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    roster(meeting, [ana]);
    services.connector.fail(`/v1/meetings/${meeting.meetingId}/participants`, 100, 403);
    await meeting.play(meeting.started(new Date().toISOString()));
    await sleep(INTERVAL_S * 1000 * 4);
    assert.equal(server.logsMatching('roster sampling stopped: Teams answered 403').length, 1);
    assert.equal(server.logsMatching('roster sample taken').length, 0);
    services.connector.fail('', 0, 200);
  });

  it('keeps a person Teams answers 404 for once, and stops (saying why, once) when every lookup answers 404', async () => {
    const server = await startServer();
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    roster(meeting, [ana, bob]);
    await meeting.play(meeting.started(new Date().toISOString()));
    await sleep(INTERVAL_S * 1000 * 3);
    // One lookup of Ana's answers 404 (unreadable: she keeps her state).
    services.connector.fail(`/v1/meetings/${meeting.meetingId}/participants/${ana.aadObjectId}`, 1, 404);
    await sleep(INTERVAL_S * 1000 * 3);
    // Then Teams answers 404 to everyone (the meeting expired, or a connector without meeting APIs).
    services.connector.scriptRoster(meeting.meetingId, []);
    await sleep(INTERVAL_S * 1000 * 8);
    const stopped = () => server.logsMatching('roster sampling stopped: Teams answered 404 to every participant lookup', LOG_LEVEL.info);
    assert.equal(stopped().length, 1);
    await meeting.send(meeting.message('who is here', new Date().toISOString()));
    await sleep(INTERVAL_S * 1000 * 3);
    assert.equal(stopped().length, 1, 'said once');
    const report = await organizerReport(server, meeting);
    const intervals = (person: TeamsPerson) => report.attendanceRecords.find((record: any) => record.id === person.aadObjectId).attendanceIntervals;
    assert.equal(intervals(ana).length, 1, "Ana's failed lookup did not split her session");
    assert.equal(intervals(ana)[0].leaveDateTime, null, 'nor did the 404s end it');
    assert.equal(intervals(bob).length, 1);
  });

  it('keeps sampling through throttling (429 with Retry-After)', async () => {
    const server = await startServer();
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    roster(meeting, [ana]);
    services.connector.throttle(`/v1/meetings/${meeting.meetingId}/participants`, 2, 1);
    await meeting.play(meeting.started(new Date().toISOString()));
    await sleep(INTERVAL_S * 1000 * 4 + 2500);
    assert.ok(server.logsMatching('roster sample taken').some((line) => line['present'] === 1), 'a sample was taken after the throttling');
    const report = await organizerReport(server, meeting);
    assert.equal(report.attendanceRecords[0]?.id, ana.aadObjectId);
  });
});
