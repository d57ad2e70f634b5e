/**
 * Call-record reconciliation on the real server: a meeting ends, its call record appears in (fake) Graph
 * some time later, and the report becomes exact. Runs on real timers with short delays; the pending work
 * lives in the SQLite store, so a restart between tries does not lose it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestServices } from '../support/environment.js';
import { defaultMeetingInfo, type RosterEntry } from '../support/fakeConnector.js';
import { FakeGraph, graphTime, guestSession, phoneSession, userSession, type FakeCallRecord, type IdentityShape } from '../support/fakeGraph.js';
import { TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan, TENANT_ID } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL, TestServer, type LogLine } from '../support/server.js';
import { WebhookReceiver } from '../support/webhookReceiver.js';

/** Short versions of the production waits; sampling effectively off (instant meetings are always sampled). */
const FAST = { RECONCILE_DELAY_S: '0.2', RECONCILE_RETRY_S: '0.2', RECONCILE_POLL_S: '0.05', SAMPLE_INTERVAL_S: '3600' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('call-record reconciliation: exact reports from Graph call records after the meeting', function () {
  this.timeout(20_000);
  const services = useTestServices();
  let graph: FakeGraph;
  const servers: TestServer[] = [];

  beforeEach(async () => {
    graph = await FakeGraph.start();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.dispose()));
    await graph.close();
  });

  async function startServer(env: Record<string, string> = {}, databasePath?: string): Promise<TestServer> {
    const server = await TestServer.start({
      jwksUri: services.tokens.jwksUri,
      realClock: true,
      graphCredential: graph.credential,
      ...(databasePath ? { databasePath } : {}),
      env: {
        GRAPH_TENANT_ID: TENANT_ID,
        GRAPH_CLIENT_ID: 'reconciler-client-id',
        GRAPH_CLIENT_SECRET: 'not-a-real-secret',
        GRAPH_BASE_URL: graph.baseUrl,
        ...FAST,
        ...env,
      },
    });
    servers.push(server);
    return server;
  }

  /** The meeting started `startedSecondsAgo` (on a whole second): `at(seconds)` is that many seconds after its start. */
  function timeline(startedSecondsAgo = 40 * 60) {
    const start = Math.floor(Date.now() / 1000) * 1000 - startedSecondsAgo * 1000;
    return (seconds: number) => new Date(start + seconds * 1000).toISOString();
  }

  /** A meeting of its own join URL; Graph spells the URL differently (escapes in capitals, another context). */
  function meetingOn(server: TestServer, meetingType: string) {
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    const thread = `19%3ameeting_${randomUUID().replaceAll('-', '')}%40thread.v2`;
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/${thread}/0?context=%7b%7d`;
    const graphJoinUrl = `https://teams.microsoft.com/l/meetup-join/${thread.replace('%3a', '%3A')}/0?context=%7B%22Tid%22%3A%22${TENANT_ID}%22%7D`;
    const info = defaultMeetingInfo(meeting.meetingId);
    services.connector.scriptMeetingInfo(meeting.meetingId, { body: { ...info, details: { ...info.details, joinUrl, type: meetingType } } });
    // Teams puts the join URL and type on both the start and the end event.
    const withDetails = (activity: any) => ({ ...activity, value: { ...activity.value, JoinUrl: joinUrl, MeetingType: meetingType } });
    const started = (at: string) => withDetails(meeting.started(at));
    const ended = (at: string) => withDetails(meeting.ended(at));
    return { meeting, started, ended, graphJoinUrl };
  }

  function callRecord(joinWebUrl: string, from: string, to: string, sessions: object[]): FakeCallRecord {
    return { id: randomUUID(), joinWebUrl, startDateTime: graphTime(from), endDateTime: graphTime(to), sessions };
  }

  async function organizerReport(server: TestServer, meeting: TeamsMeeting) {
    const token = await services.tokens.userToken({ oid: ana.aadObjectId ?? '' });
    const answer = await getMeetingApi(server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(answer.status, 200, answer.text);
    return answer.json;
  }

  async function waitFor(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  async function waitForLog(server: TestServer, text: string, timeoutMs = 8000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = server.logsMatching(text)[0];
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no log line "${text}" within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  const totals = (report: any) =>
    Object.fromEntries(report.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds]));

  it('makes a Meet Now report exact from a call record that appears on the third try, across a restart and a 429', async () => {
    const server = await startServer();
    const at = timeline();
    const { meeting, started, ended, graphJoinUrl } = meetingOn(server, 'MeetNow');
    graph.addCallRecord(
      callRecord(graphJoinUrl, at(-1), at(1800), [
        userSession(ana, at(3.5), at(1680.5)),
        userSession(ana, at(60), at(600)),
        userSession(bob, at(120.25), at(720.75)),
        userSession(bob, at(900), at(1230)),
        userSession(carol, at(300), at(1850)),
        guestSession('Guest Visitor', at(180), at(240)),
      ]),
      3,
    );
    // The same minutes in other meetings of the tenant: listed too, never taken for this one.
    const otherMeeting = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_other%40thread.v2/0';
    graph.addCallRecord(callRecord(otherMeeting, at(0), at(1800), [userSession(dan, at(10), at(20))]));
    graph.addCallRecord(callRecord(`${graphJoinUrl.split('?')[0]}x`, at(5), at(600), [userSession(dan, at(10), at(20))]));

    await meeting.play(started(at(0)), ended(at(1800)));
    assert.equal((await organizerReport(server, meeting)).attendanceRecords.length, 0, 'no participant events, no samples');

    const firstTry = await waitForLog(server, 'call records not reconciled yet');
    assert.match(String(firstTry['reason']), /not available yet/);
    graph.throttleAsPublished('/v1.0/communications/callRecords', 1);
    await server.restart();
    const done = await waitForLog(server, 'call records reconciled');

    assert.equal(done['attempts'], 3, 'the attempts before the restart were kept with the pending work');
    const listings = graph.listings();
    assert.equal(listings.length, 3);
    assert.ok(listings[2]!.at - listings[1]!.at >= 2128, `waited ${listings[2]!.at - listings[1]!.at} ms; Graph's Retry-After: 2.128 asks for 2128`);
    assert.ok(graph.requests.some((request) => request.query.has('$skiptoken') && request.path.endsWith('/callRecords')), 'followed the list nextLink');
    assert.ok(graph.requests.some((request) => request.query.has('$skiptoken') && request.path.endsWith('/sessions')), 'followed the sessions nextLink');
    assert.ok(graph.requests.every((request) => request.authorized), 'every Graph request carried the bearer token');
    assert.deepEqual([...new Set(graph.tokenScopes)], [`${new URL(graph.baseUrl).origin}/.default`]);

    const report = await organizerReport(server, meeting);
    assert.equal(report.accuracy.basis, 'reconciled');
    assert.equal(report.accuracy.statement, 'Reconciled from call records (exact).');
    assert.deepEqual(totals(report), { 'Ana Teacher': 1677, 'Bob Student': 600 + 330, 'Carol Assistant': 1500 });
    const bobsRecord = report.attendanceRecords.find((record: any) => record.id === bob.aadObjectId);
    assert.deepEqual(bobsRecord.attendanceIntervals, [
      { joinDateTime: at(120.25), leaveDateTime: at(720.75), durationInSeconds: 600 },
      { joinDateTime: at(900), leaveDateTime: at(1230), durationInSeconds: 330 },
    ]);
    assert.ok(report.attendanceRecords.every((record: any) => record.attendanceBasis === 'reconciled'));
    assert.equal(report.meetingEndDateTime, at(1800), 'the meeting keeps its end: sessions are clipped to it');
  });

  it('gives up after the deadline, says so, and leaves the report as it was', async () => {
    const server = await startServer({ RECONCILE_GIVE_UP_H: String(2 / 3600) });
    const at = timeline(600); // ends now, as Teams stamps a meeting end
    const { meeting, started, ended } = meetingOn(server, 'MeetNow');
    await meeting.play(started(at(0)), ended(at(600)));
    const before = await organizerReport(server, meeting);

    // Generous: on a loaded machine the polls that lead to the 2 s deadline come late.
    const gaveUp = await waitForLog(server, 'call-record reconciliation gave up', 15_000);
    assert.equal(gaveUp.level, LOG_LEVEL.warn);
    assert.match(String(gaveUp['reason']), /not available yet/);
    const listingsAtGiveUp = graph.listings().length;
    assert.ok(listingsAtGiveUp >= 2, `tried ${listingsAtGiveUp} times`);
    await sleep(400);
    assert.equal(graph.listings().length, listingsAtGiveUp, 'no more tries once given up');
    assert.deepEqual(await organizerReport(server, meeting), before);
  });

  it("keeps Teams' event figures for people it has events for, and adds the people only the call record saw", async () => {
    const server = await startServer();
    const at = timeline();
    const { meeting, started, ended, graphJoinUrl } = meetingOn(server, 'Scheduled');
    await meeting.play(
      started(at(0)),
      meeting.joined(at(5), [ana]),
      meeting.joined(at(65), [bob]),
      meeting.left(at(1265), [bob]),
      ended(at(1800)),
    );
    const fromEvents = await organizerReport(server, meeting);
    graph.addCallRecord(
      callRecord(graphJoinUrl, at(0), at(1800), [
        userSession(ana, at(1), at(1799)),
        userSession(bob, at(60), at(1300)),
        userSession(carol, at(100), at(400)),
      ]),
    );

    await waitForLog(server, 'call records reconciled');
    const report = await organizerReport(server, meeting);
    const recordOf = (answer: any, id: string | undefined) => answer.attendanceRecords.find((record: any) => record.id === id);
    assert.deepEqual(recordOf(report, ana.aadObjectId), recordOf(fromEvents, ana.aadObjectId));
    assert.deepEqual(recordOf(report, bob.aadObjectId), recordOf(fromEvents, bob.aadObjectId));
    // Named only in the call record's associatedIdentity: added, as reconciled, with its user principal name as e-mail.
    assert.equal(recordOf(report, carol.aadObjectId).totalAttendanceInSeconds, 300);
    assert.equal(recordOf(report, carol.aadObjectId).attendanceBasis, 'reconciled');
    assert.equal(recordOf(report, carol.aadObjectId).emailAddress, carol.email);
    assert.equal(report.accuracy.statement, 'Mixed: 2 exact (Teams events); 1 reconciled from call records (exact).');
  });

  it("reads the same exact figures from today's associatedIdentity as from the old identity.user", async () => {
    const server = await startServer();
    const at = timeline();
    const reports: Record<IdentityShape, any> = { associatedIdentity: undefined, identity: undefined };
    for (const shape of ['identity', 'associatedIdentity'] as const) {
      const { meeting, started, ended, graphJoinUrl } = meetingOn(server, 'MeetNow');
      graph.addCallRecord(
        callRecord(graphJoinUrl, at(-1), at(1800), [
          userSession(ana, at(3.5), at(1680.5), shape),
          userSession(ana, at(60), at(600), shape),
          userSession(bob, at(120.25), at(720.75), shape),
          userSession(bob, at(900), at(1230), shape),
          userSession(carol, at(300), at(1850), shape),
          guestSession('Guest Visitor', at(180), at(240), shape),
          phoneSession(at(200), at(260), shape),
        ]),
      );
      const done = server.logsMatching('call records reconciled').length;
      await meeting.play(started(at(0)), ended(at(1800)));
      await waitFor(() => server.logsMatching('call records reconciled').length > done, 'call records reconciled');
      reports[shape] = await organizerReport(server, meeting);
    }

    const { identity: old, associatedIdentity: today } = reports;
    assert.equal(today.accuracy.basis, 'reconciled');
    assert.deepEqual(totals(today), { 'Ana Teacher': 1677, 'Bob Student': 930, 'Carol Assistant': 1500 });
    const figures = (report: any) =>
      report.attendanceRecords.map((record: any) => [record.id, record.totalAttendanceInSeconds, record.attendanceIntervals, record.attendanceBasis]);
    assert.deepEqual(figures(today), figures(old));
    // The old shape has no user principal name; today's gives one, used as the e-mail Teams never told us.
    assert.deepEqual(
      Object.fromEntries(today.attendanceRecords.map((record: any) => [record.identity.displayName, record.emailAddress])),
      Object.fromEntries([ana, bob, carol].map((person) => [person.name, person.email])),
    );
    assert.ok(old.attendanceRecords.every((record: any) => record.emailAddress === null));
  });

  it('leaves a sampled report as it was when the call record names nobody, warns once, and tries again until it gives up', async () => {
    const server = await startServer({ SAMPLE_INTERVAL_S: '0.25', SAMPLE_GRACE_S: '0', RECONCILE_GIVE_UP_H: String(2.5 / 3600) });
    const { meeting, started, ended, graphJoinUrl } = meetingOn(server, 'MeetNow');
    services.connector.scriptChatMembers(meeting.chatId, [ana, bob]);
    services.connector.scriptRoster(meeting.meetingId, [ana, bob].map((person): RosterEntry => ({ person, inMeeting: true })));
    const startedAt = new Date().toISOString();
    await meeting.play(started(startedAt));
    await sleep(1000);
    const endedAt = new Date().toISOString();
    const nameless = callRecord(graphJoinUrl, startedAt, endedAt, [
      guestSession('Guest Visitor', startedAt, endedAt),
      phoneSession(startedAt, endedAt),
      guestSession('Another Guest', startedAt, endedAt, 'identity'),
      { ...phoneSession(startedAt, endedAt), startDateTime: 'yesterday' },
    ]);
    graph.addCallRecord(nameless);
    await meeting.play(ended(endedAt));
    const sampled = await organizerReport(server, meeting);
    assert.equal(sampled.accuracy.basis, 'sampled');

    const gaveUp = await waitForLog(server, 'call-record reconciliation gave up', 15_000);
    assert.equal(gaveUp.level, LOG_LEVEL.warn);
    assert.match(String(gaveUp['reason']), /names no Entra user in any session/);
    assert.ok(graph.listings().length >= 3, `read ${graph.listings().length} times before giving up`);
    const warnings = server.logsMatching('call record names nobody', LOG_LEVEL.warn);
    assert.equal(warnings.length, 1, 'one warning per meeting, however often the record is read');
    assert.deepEqual(warnings[0]!['callRecords'], [
      {
        callRecordId: nameless.id,
        sessions: 4,
        unreadable: 1,
        endpointShapes: { 'associatedIdentity:communicationsGuestIdentity': 1, 'associatedIdentity:communicationsPhoneIdentity': 1, 'identity.guest': 1, serviceEndpoint: 3 },
      },
    ]);
    assert.equal(server.logsMatching('call-record sessions skipped').length, 0, 'the unreadable session is told in the one warning');
    assert.equal(server.logsMatching('call records reconciled').length, 0);
    assert.deepEqual(await organizerReport(server, meeting), sampled);
  });

  it('tries again when Graph refuses, saying which permission the app needs', async () => {
    const server = await startServer();
    const at = timeline();
    const { meeting, started, ended, graphJoinUrl } = meetingOn(server, 'MeetNow');
    graph.fail('/v1.0/communications/callRecords', 1, 403);
    graph.addCallRecord(callRecord(graphJoinUrl, at(0), at(600), [userSession(bob, at(10), at(70))]));
    await meeting.play(started(at(0)), ended(at(600)));

    const refused = await waitForLog(server, 'call records not reconciled yet');
    assert.equal(refused.level, LOG_LEVEL.warn);
    assert.match(String(refused['reason']), /403 \(Authorization_RequestDenied.*CallRecords\.Read\.All with admin consent/);
    await waitForLog(server, 'call records reconciled');
    assert.deepEqual(totals(await organizerReport(server, meeting)), { 'Bob Student': 60 });
  });

  it('works each item on one instance only when two share the store', async () => {
    const first = await startServer();
    const second = await startServer({}, first.dbPath);
    const at = timeline();
    const { meeting, started, ended, graphJoinUrl } = meetingOn(first, 'MeetNow');
    graph.addCallRecord(callRecord(graphJoinUrl, at(0), at(600), [userSession(ana, at(1), at(599))]));
    await meeting.play(started(at(0)), ended(at(600)));

    await Promise.any([waitForLog(first, 'call records reconciled'), waitForLog(second, 'call records reconciled')]);
    await sleep(300);
    const reconciledBy = [...first.logs, ...second.logs].filter((line) => line.msg === 'call records reconciled');
    assert.equal(reconciledBy.length, 1);
    assert.equal(graph.listings().length, 1);
    assert.equal(totals(await organizerReport(second, meeting))['Ana Teacher'], 598);
  });

  it('announces the report reconciliation changed with a signed attendanceReport.updated, after the created one', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const server = await startServer({ ATTENDANCE_WEBHOOK_URL: receiver.url, ATTENDANCE_WEBHOOK_SECRET: receiver.secret, ATTENDANCE_WEBHOOK_POLL_S: '0.1' });
      const at = timeline();
      const { meeting, started, ended, graphJoinUrl } = meetingOn(server, 'MeetNow');
      graph.addCallRecord(callRecord(graphJoinUrl, at(0), at(600), [userSession(ana, at(1), at(599))]));
      await meeting.play(started(at(0)), ended(at(600)));
      const [created, updated] = await receiver.waitFor('created, then updated', (received) => received.length === 2 && received);
      assert.deepEqual([created!.payload.type, updated!.payload.type], ['attendanceReport.created', 'attendanceReport.updated']);
      assert.ok(created!.verified && updated!.verified);
      assert.notEqual(updated!.id, created!.id);
      assert.equal(updated!.payload.data.reportId, created!.payload.data.reportId);
      assert.equal(updated!.payload.data.reportId, (await organizerReport(server, meeting)).id);
    } finally {
      await receiver.close();
    }
  });

  it('is off without Graph credentials, says so once, and schedules nothing', async () => {
    const server = await TestServer.start({ jwksUri: services.tokens.jwksUri, env: FAST });
    servers.push(server);
    const at = timeline();
    const { meeting, started, ended } = meetingOn(server, 'MeetNow');
    await meeting.play(started(at(0)), ended(at(600)));
    assert.equal(server.logsMatching('call-record reconciliation is off').length, 1);
    assert.equal(server.logsMatching('call-record reconciliation scheduled').length, 0);
  });
});
