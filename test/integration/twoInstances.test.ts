/**
 * Several instances behind a load balancer (App Service scale-out): two real server processes share one
 * Azure table (Azurite) and take a meeting's activities in turn. Whichever instance is asked must give the
 * same answer, and what is posted once must be posted once in all.
 */
import assert from 'node:assert/strict';
import { adaptiveCardOf } from '../support/cards.js';
import { AppProcess } from '../support/appProcess.js';
import { Azurite } from '../support/azurite.js';
import { useTestServices } from '../support/environment.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, guest } from '../support/people.js';
import { getApi, getMeetingApi, type ApiAnswer } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';
import { CLIENT_ID } from '../support/tokens.js';
import { settle, waitFor } from '../support/waitFor.js';
import { INSTANT_MEETING_NOTICE } from '../../bot/src/teams/cards/messages.js';

describe('two instances on one Azure table', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  const services = useTestServices();
  let instances: AppProcess[] = [];
  let meeting: TeamsMeeting;
  let liveAnswers: ApiAnswer[];
  const table = Azurite.newTableName();

  const readAll = async (path: string): Promise<ApiAnswer[]> => {
    const token = await services.tokens.userToken({ oid: ana.aadObjectId as string });
    return Promise.all(instances.map((instance) => getMeetingApi(instance.url, meeting.meetingId, path, token)));
  };

  before(async () => {
    azurite = await Azurite.start();
    instances = await AppProcess.startMany(2, {
      ATTENDANCE_STORE: azurite.storeSetting,
      ATTENDANCE_TABLE: table,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_JWKS_URI: services.tokens.jwksUri,
      // Sampling would poll the roster on its own schedule: not what this test is about.
      SAMPLE_INTERVAL_S: '3600',
      LOG_LEVEL: 'debug',
    });

    // The load balancer: each activity goes to the next instance.
    let turn = 0;
    meeting = new TeamsMeeting(() => instances[turn++ % instances.length]!.url, services.connector.url);
    const bobBack = meeting.joined(on('09:12:00.000'), [bob]);
    await meeting.play(
      meeting.started(on('09:00:02.123')),
      meeting.joined(on('09:00:05.456'), [ana, guest]),
      meeting.joined(on('09:01:10.000'), [bob, carol]),
      meeting.left(on('09:10:00.000'), [bob]),
      bobBack,
      { ...bobBack, id: `${bobBack.id}-retry` }, // Teams' retry under a new id, to the other instance
      meeting.left(on('09:16:54.789'), [ana]),
    );
    liveAnswers = await readAll('/live');

    const end = meeting.ended(on('09:30:00.000'));
    await meeting.send(meeting.left(on('09:25:30.500'), [bob]));
    // meetingEnd reaches both instances at once (a retry racing the original).
    const acknowledgements = await Promise.all(instances.map((instance) => postActivity(instance.url, end)));
    assert.deepEqual(acknowledgements.map((response) => response.status), [200, 200]);
    // The summary and the notice are posted after the answers: wait for them, then a moment for any second one.
    const chat = () => services.connector.activitiesIn(meeting.chatId);
    await waitFor('the summary card', () => chat().some((posted) => adaptiveCardOf(posted)));
    await waitFor('the notice', () => chat().some((posted) => posted.body.text === INSTANT_MEETING_NOTICE));
    await settle(1000);
  });


  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await azurite?.stop();
  });

  it('serves the same live view, and the same ETag, from either instance while the meeting runs', () => {
    for (const answer of liveAnswers) assert.equal(answer.status, 200, answer.text);
    const [first, second] = liveAnswers.map(({ json }) => ({ ...json, serverTime: undefined }));
    assert.deepEqual(
      first.participants.map((participant: any) => [participant.displayName, participant.presentSince]).sort(),
      [
        ['Ana Teacher', null],
        ['Bob Student', on('09:12:00.000')],
        ['Carol Assistant', on('09:01:10.000')],
        ['Guest Visitor', on('09:00:05.456')],
      ],
    );
    assert.deepEqual(second, first);
    assert.ok(liveAnswers[0]!.etag);
    assert.equal(liveAnswers[1]!.etag, liveAnswers[0]!.etag);
  });

  it('serves byte-identical reports (JSON, CSV, list) from either instance, with exact totals', async () => {
    for (const path of ['/attendanceReport', '/attendanceReport.csv', '/attendanceReports']) {
      const [first, second] = await readAll(path);
      assert.equal(first!.status, 200, first!.text);
      assert.equal(second!.text, first!.text, `${path} differs between the instances`);
    }
    const [report] = await readAll('/attendanceReport');
    assert.deepEqual(
      report!.json.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds]),
      [
        ['Guest Visitor', 1794],
        ['Carol Assistant', 1730],
        ['Bob Student', 1340],
        ['Ana Teacher', 1009],
      ],
    );
  });

  it('posts the end-of-meeting summary once, though meetingEnd reached both instances', () => {
    const cards = services.connector.activitiesIn(meeting.chatId).filter((posted) => adaptiveCardOf(posted));
    assert.equal(cards.length, 1);
  });

  it('posts the instant-meeting notice once, though both instances handled the meeting', () => {
    const notices = services.connector.activitiesIn(meeting.chatId).filter((posted) => posted.body.text === INSTANT_MEETING_NOTICE);
    assert.equal(notices.length, 1);
  });

  it('reports the shared table healthy on /healthz of each instance', async () => {
    for (const instance of instances) {
      const health = await getApi(instance.url, '/healthz');
      assert.equal(health.status, 200, health.text);
      assert.deepEqual(health.json.store, { ok: true, kind: 'azure-tables' });
    }
  });

  it('records a meeting start whose title is too long for a table property, ignoring the title', async () => {
    // The meeting record is written after the events: one too large to write failed the start (a 500, on
    // every retry) with its event already stored.
    const another = new TeamsMeeting(() => instances[0]!.url, services.connector.url);
    const start = another.started(on('10:00:00.000'));
    start.value.Title = 'T'.repeat(40_000);
    await another.play(start, another.joined(on('10:00:05.000'), [ana]));
    const token = await services.tokens.appToken({ roles: ['Attendance.Read.All'] });
    // Teams' details are fetched after the answer: wait for them.
    const report = await waitFor('the meeting details', async () => {
      const answer = await getMeetingApi(instances[1]!.url, another.meetingId, '/attendanceReport', token);
      return answer.json?.meetingTitle ? answer : undefined;
    });
    assert.equal(report.status, 200, report.text);
    assert.equal(report.json.meetingStartDateTime, on('10:00:00.000'));
    assert.equal(report.json.meetingTitle, 'Physics 101', "Teams' own meeting details, not the oversized title");
  });

  it('shared the work (each instance recorded events), logged no error, and never logged the account key', () => {
    for (const instance of instances) {
      assert.ok(instance.logs.some((line) => line.msg === 'meeting event recorded'), 'an instance recorded nothing');
      assert.deepEqual(instance.logs.filter((line) => line.level >= LOG_LEVEL.error), []);
      const listening = instance.logs.find((line) => line.msg.startsWith('Attendance is listening'));
      assert.equal(listening?.['store'], `azure-tables:${azurite.endpoint} (table ${table})`);
      assert.doesNotMatch(JSON.stringify(instance.logs), /AccountKey/);
    }
  });
});
