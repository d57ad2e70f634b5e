/**
 * Data retention and deletion on the real server: DELETE /api/meetings/{meetingId} for the organizer or an
 * application with Attendance.Delete.All, and ATTENDANCE_RETENTION_DAYS, whose sweeps delete the meetings
 * nothing has been recorded for in that long, and the people not seen for as long, one instance at a time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../bot/src/config.js';
import { INSTANT_MEETING_NOTICE } from '../../bot/src/teams/cards/messages.js';
import { createLogger } from '../../bot/src/log.js';
import { RetentionPurger } from '../../bot/src/retention/retentionPurger.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { useTestEnvironment, useTestServices } from '../support/environment.js';
import { defaultMeetingInfo } from '../support/fakeConnector.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, dan } from '../support/people.js';
import { getApi, getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL, TestServer, type LogLine } from '../support/server.js';
import { waitFor } from '../support/waitFor.js';

const oid = (person: { aadObjectId?: string }) => person.aadObjectId as string;

async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('deleting a meeting (DELETE /api/meetings/{meetingId})', function () {
  const env = useTestEnvironment({ env: { POST_SUMMARY_ON_END: 'false' } });

  const deleteMeeting = async (meetingId: string, token: string) =>
    fetch(`${env.server.url}/api/meetings/${encodeURIComponent(meetingId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  const reader = () => env.tokens.appToken({ roles: ['Attendance.Read.All'] });

  /** A meeting that ran: started, Ana (organizer), Bob and Carol joined, ended. */
  async function playedMeeting(): Promise<TeamsMeeting> {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(
      meeting.started(on('09:00:00.000')),
      meeting.joined(on('09:00:10.000'), [ana, bob, carol]),
      meeting.ended(on('09:30:00.000')),
    );
    return meeting;
  }

  async function assertGone(meetingId: string): Promise<void> {
    for (const path of ['/attendanceReport', '/attendanceReports', '/attendanceReport.csv', '/live']) {
      const answer = await getMeetingApi(env.server.url, meetingId, path, await reader());
      assert.equal(answer.status, 404, `${path}: ${answer.text}`);
      assert.equal(answer.json.error.code, 'MeetingNotFound');
    }
  }

  it("lets the organizer named by Teams' meeting details delete it: 204, then every read is 404, and the log says who", async () => {
    const meeting = await playedMeeting();
    assert.equal((await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', await reader())).status, 200);
    const response = await deleteMeeting(meeting.meetingId, await env.tokens.userToken({ oid: oid(ana) }));
    assert.equal(response.status, 204, await response.text());
    assert.equal(await response.text(), '');
    await assertGone(meeting.meetingId);
    const logged = env.server.logsMatching('meeting attendance deleted on request', LOG_LEVEL.info).at(-1) as LogLine;
    assert.equal(logged['meetingId'], meeting.meetingId);
    assert.equal(logged['caller'], `user ${oid(ana)}`);
    assert.equal(logged['sessions'], 1);
  });

  it('answers 404 to deleting it again: nothing is recorded for it any more', async () => {
    const meeting = await playedMeeting();
    const token = await env.tokens.userToken({ oid: oid(ana) });
    assert.equal((await deleteMeeting(meeting.meetingId, token)).status, 204);
    const again = await deleteMeeting(meeting.meetingId, token);
    assert.equal(again.status, 404);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'MeetingNotFound');
  });

  it('lets the organizer by the Organizer role Teams gave them delete it when the meeting details are unknown', async () => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    env.connector.scriptMeetingInfo(meeting.meetingId, { status: 404 });
    await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [ana, bob]));
    assert.equal((await deleteMeeting(meeting.meetingId, await env.tokens.userToken({ oid: oid(bob) }))).status, 403);
    assert.equal((await deleteMeeting(meeting.meetingId, await env.tokens.userToken({ oid: oid(ana) }))).status, 204);
    await assertGone(meeting.meetingId);
  });

  it('lets the organizer named by the meeting details delete it even if they never joined', async () => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    env.connector.scriptMeetingInfo(meeting.meetingId, {
      body: { details: { id: meeting.meetingId, title: 'Dan organises', type: 'Scheduled' }, organizer: { aadObjectId: oid(dan) } },
    });
    await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [bob, carol]));
    // The details, which name Dan, are fetched after the answers.
    const danToken = await env.tokens.userToken({ oid: oid(dan) });
    await waitFor('the details', async () => (await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', danToken)).status === 200);
    assert.equal((await deleteMeeting(meeting.meetingId, await env.tokens.userToken({ oid: oid(carol) }))).status, 403, 'a presenter may not');
    assert.equal((await deleteMeeting(meeting.meetingId, await env.tokens.userToken({ oid: oid(dan) }))).status, 204);
    await assertGone(meeting.meetingId);
  });

  it('lets an application with Attendance.Delete.All delete it, and logs the application', async () => {
    const meeting = await playedMeeting();
    const app = await env.tokens.appToken({ roles: ['Attendance.Delete.All'], azp: 'records-system' });
    assert.equal((await deleteMeeting(meeting.meetingId, app)).status, 204);
    await assertGone(meeting.meetingId);
    assert.equal(env.server.logsMatching('meeting attendance deleted on request').at(-1)?.['caller'], 'app records-system');
  });

  it('records what Teams sends after a deletion afresh (deleting a meeting in progress keeps nothing from before)', async () => {
    const meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [ana, bob]));
    assert.equal((await deleteMeeting(meeting.meetingId, await env.tokens.userToken({ oid: oid(ana) }))).status, 204);
    await meeting.play(meeting.joined(on('09:40:00.000'), [carol]));
    const report = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', await reader());
    assert.equal(report.status, 200, report.text);
    assert.deepEqual((report.json.attendanceRecords as { identity: { displayName: string } }[]).map((record) => record.identity.displayName), [
      'Carol Assistant',
    ]);
  });
});

describe('retention (ATTENDANCE_RETENTION_DAYS)', function () {
  const services = useTestServices();

  it('is off unless set, and says so at start; refuses a value that is not a positive number of days', async () => {
    const server = await TestServer.start({ jwksUri: services.tokens.jwksUri });
    try {
      assert.equal(server.logsMatching('ATTENDANCE_RETENTION_DAYS is not set', LOG_LEVEL.info).length, 1);
    } finally {
      await server.dispose();
    }
    const base = { ATTENDANCE_STORE: 'sqlite:/tmp/unused.db' };
    assert.equal(loadConfig(base).retention, undefined);
    assert.deepEqual(loadConfig({ ...base, ATTENDANCE_RETENTION_DAYS: '90' }).retention, { days: 90, sweepSeconds: 3600 });
    for (const bad of ['0', '-5', 'forever']) {
      assert.throws(
        () => loadConfig({ ...base, ATTENDANCE_RETENTION_DAYS: bad }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('ATTENDANCE_RETENTION_DAYS'),
        bad,
      );
    }
  });

  it('deletes, on its schedule, the meetings with no activity and the people not seen for longer than the retention, and keeps the others', async () => {
    const server = await TestServer.start({
      jwksUri: services.tokens.jwksUri,
      env: { ATTENDANCE_RETENTION_DAYS: '30', RETENTION_SWEEP_S: '0.05', POST_SUMMARY_ON_END: 'false' },
      now: '2025-11-26T09:45:00.000Z',
    });
    try {
      assert.equal(server.logsMatching('retention: the attendance of meetings with no activity for 30 days is deleted').length, 1);
      const old = new TeamsMeeting(() => server.url, services.connector.url);
      services.connector.scriptChatMembers(old.chatId, [ana, carol]);
      await old.play(old.started(on('09:00:00.000')), old.joined(on('09:00:10.000'), [ana, carol]), old.ended(on('09:30:00.000')));
      const reader = await services.tokens.appToken({ roles: ['Attendance.Read.All'] });
      const user = async (person: { email?: string }) => getApi(server.url, `/v1.0/users/${person.email ?? ''}`, reader);
      // Done with the meeting's people (and its organizer's UPN on its record) and its roster: nothing of it is saved
      // after time moves on.
      // Ana organises the old meeting only (an organizer counts as seen too), so nothing later dates her again.
      const organizedBy = (meeting: TeamsMeeting, organizer: typeof ana) => {
        const info = defaultMeetingInfo(meeting.meetingId);
        info.organizer = { ...info.organizer, id: organizer.id, aadObjectId: organizer.aadObjectId, objectId: organizer.aadObjectId };
        services.connector.scriptMeetingInfo(meeting.meetingId, { body: info });
      };
      const emailsLookedUp = (meetingId: string) =>
        server.logsMatching('participant e-mails looked up', LOG_LEVEL.info).some((line) => line['meetingId'] === meetingId && line['missing'] === 0);
      // Its details are saved after the answers (and the instant-meeting notice follows them), and so are its people's
      // e-mails: done before time moves on.
      await waitFor('the old meeting followed up', () => services.connector.activitiesIn(old.chatId).some((posted) => posted.body.text === INSTANT_MEETING_NOTICE));
      await waitFor("the old meeting's people saved", () => emailsLookedUp(old.meetingId));
      await waitFor("the old meeting's roster read at its end", () =>
        server.logsMatching('roster read', LOG_LEVEL.info).some((line) => line['meetingId'] === old.meetingId && line['moment'] === 'end'),
      );
      server.clock.set('2025-12-20T09:00:00.000Z');
      const recent = new TeamsMeeting(() => server.url, services.connector.url);
      organizedBy(recent, bob);
      services.connector.scriptChatMembers(recent.chatId, [bob]);
      await recent.play(recent.started(on('09:00:00.000')), recent.joined(on('09:00:10.000'), [bob]));
      await waitFor("the recent meeting's people saved", () => emailsLookedUp(recent.meetingId));
      // Carol, known since the old meeting, joins another: no lookup (its chat's members are not even scripted), but
      // her entry is dated again.
      const again = new TeamsMeeting(() => server.url, services.connector.url);
      organizedBy(again, carol);
      await again.play(again.started(on('09:00:00.000')), again.joined(on('09:00:10.000'), [carol]));
      await waitFor('Carol seen again', () => server.logsMatching('known people seen again').some((line) => line['meetingId'] === again.meetingId));
      const sweepsSoFar = server.logsMatching('retention sweep:').length;
      await eventually(() => server.logsMatching('retention sweep:').length > sweepsSoFar + 1, 'two more sweeps');
      assert.equal((await getMeetingApi(server.url, old.meetingId, '/attendanceReport', reader)).status, 200, '24 days idle: kept');
      assert.equal((await user(ana)).status, 200, 'seen 24 days ago: kept');
      assert.equal((await user(bob)).status, 200);

      server.clock.set('2025-12-27T09:00:00.000Z'); // the old meeting: 31 days idle; the recent one: 7
      await eventually(() => server.logsMatching('retention sweep: 1 meeting(s) deleted', LOG_LEVEL.info).length === 1, 'the purge');
      const purge = server.logsMatching('retention sweep: 1 meeting(s) deleted').at(0) as LogLine;
      assert.equal(purge['purged'], 1);
      assert.equal(purge['peopleEntriesPurged'], 2, "Ana's entries (her id and her e-mail) go in the same sweep");
      assert.equal(purge['idleBefore'], '2025-11-27T09:00:00.000Z');
      assert.equal((await getMeetingApi(server.url, old.meetingId, '/attendanceReport', reader)).status, 404);
      assert.equal((await getMeetingApi(server.url, recent.meetingId, '/attendanceReport', reader)).status, 200);
      const purgedPerson = await user(ana);
      assert.equal(purgedPerson.status, 404, "Graph's answer for a user it does not know");
      assert.equal(purgedPerson.json.error.code, 'itemNotFound');
      assert.equal((await user(bob)).status, 200, 'seen 7 days ago: kept');
      assert.equal((await user(carol)).status, 200, 'in a meeting 7 days ago: kept');
    } finally {
      await server.dispose();
    }
  });

  describe('sweeps (RetentionPurger on a store)', () => {
    let folder: string;
    let store: SqliteStore;
    let now: Date;
    const logs: LogLine[] = [];
    const logger = createLogger('debug', { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
    const purger = (days = 30) => new RetentionPurger({ store, logger, settings: { days, sweepSeconds: 0.02 }, now: () => now });

    beforeEach(async () => {
      logs.length = 0;
      folder = mkdtempSync(join(tmpdir(), 'attendance-retention-'));
      now = new Date('2025-11-01T00:00:00.000Z');
      store = new SqliteStore(join(folder, 'attendance.db'), () => now);
      for (let index = 0; index < 250; index += 1) await store.saveMeeting({ tenantId: 't', meetingId: `m${index}` });
      now = new Date('2025-12-15T00:00:00.000Z');
    });

    afterEach(async () => {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    });

    it('deletes every idle meeting in batches, and counts them', async () => {
      assert.deepEqual(await purger().sweep(), { meetings: 250, peopleEntries: 0 });
      assert.deepEqual(await store.listMeetingsIdleSince(now, 10), []);
      assert.deepEqual(await purger().sweep(), { meetings: 0, peopleEntries: 0 });
    });

    it('deletes, in the same sweep, the people not seen within the retention in batches, and keeps the others', async () => {
      const person = (index: number) => ({ tenantId: 't', id: `person-${index}`, userPrincipalName: `person-${index}@contoso.test` });
      now = new Date('2025-11-01T00:00:00.000Z');
      await store.savePeople(Array.from({ length: 130 }, (_, index) => person(index))); // 260 entries: three batches
      now = new Date('2025-12-10T00:00:00.000Z');
      await store.savePeople([person(0)]); // seen again: kept
      now = new Date('2025-12-15T00:00:00.000Z');

      assert.deepEqual(await purger().sweep(), { meetings: 250, peopleEntries: 258 });
      assert.equal((await store.findPerson('t', 'person-0@contoso.test'))?.id, 'person-0');
      for (const key of ['person-1', 'person-1@contoso.test', 'PERSON-129@contoso.test']) assert.equal(await store.findPerson('t', key), undefined, key);
      const line = logs.find((entry) => entry.msg.startsWith('retention sweep:')) as LogLine;
      assert.equal(line.msg, 'retention sweep: 250 meeting(s) deleted, 258 people directory entry(ies) deleted');
      assert.equal(line.level, LOG_LEVEL.info);
      assert.deepEqual(await purger().sweep(), { meetings: 0, peopleEntries: 0 });
    });

    it('leaves the sweep to the instance holding the lease, one at a time', async () => {
      const first = purger();
      const second = purger();
      // The first instance is mid-sweep: it holds the lease.
      assert.equal(await store.tryAcquireLease({ tenantId: 'app', meetingId: 'retention' }, 'retention-purge', first.instanceId, 60_000, now), true);
      assert.equal(await second.sweep(), undefined);
      assert.equal((await store.listMeetingsIdleSince(now, 1000)).length, 250, 'nothing deleted by the second');
      assert.equal((await first.sweep())?.meetings, 250, 'the holder sweeps (and renews its own lease)');
      assert.equal((await second.sweep())?.meetings, 0, 'released after the sweep: free again');
    });

    it('stops its timer when stopped: no sweep after stop()', async () => {
      const running = purger();
      running.start();
      await eventually(() => logs.some((line) => line.msg.startsWith('retention sweep:')), 'a first sweep');
      await running.stop();
      const sweeps = logs.filter((line) => line.msg.startsWith('retention sweep:')).length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(logs.filter((line) => line.msg.startsWith('retention sweep:')).length, sweeps);
    });
  });
});
