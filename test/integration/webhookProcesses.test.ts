/**
 * Webhooks across processes: the app killed (SIGKILL) between a meeting's end and the delivery of its
 * webhook delivers it after the restart, with the same webhook-id, once; and two instances sharing one Azure
 * table (Azurite) deliver each event once between them. Every delivery is verified with `standardwebhooks`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../support/appProcess.js';
import { Azurite } from '../support/azurite.js';
import { useTestServices } from '../support/environment.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob } from '../support/people.js';
import { CLIENT_ID } from '../support/tokens.js';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhookReceiver.js';

/** An attempt waits at most this long; a dead instance's lease on a delivery lasts 2 × this + 5 s. */
const TIMEOUT_S = 2;

describe('webhooks across processes', function () {
  this.timeout(60_000);
  const services = useTestServices();
  let receiver: WebhookReceiver;
  const running: AppProcess[] = [];

  const envFor = (store: Record<string, string>) => ({
    ...store,
    AAD_APP_CLIENT_ID: CLIENT_ID,
    AAD_JWKS_URI: services.tokens.jwksUri,
    ATTENDANCE_WEBHOOK_URL: receiver.url,
    ATTENDANCE_WEBHOOK_SECRET: receiver.secret,
    ATTENDANCE_WEBHOOK_TIMEOUT_S: String(TIMEOUT_S),
    ATTENDANCE_WEBHOOK_FIRST_RETRY_S: '0.3',
    ATTENDANCE_WEBHOOK_POLL_S: '0.1',
    // Roster sampling runs on its own schedule: not what this test is about.
    SAMPLE_INTERVAL_S: '3600',
    LOG_LEVEL: 'info',
  });
  const start = async (env: Record<string, string>, count = 1) => {
    const started = await AppProcess.startMany(count, env);
    running.push(...started);
    return started;
  };
  const forMeeting = (meeting: TeamsMeeting) => (received: ReceivedWebhook[]) =>
    received.filter((delivery) => delivery.payload?.data.meetingId === meeting.meetingId);

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
    await receiver.close();
  });

  it('delivers after a SIGKILL between the end and the delivery, after the restart, with the same webhook-id, once', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'attendance-webhook-crash-'));
    try {
      const env = envFor({ ATTENDANCE_STORE: `sqlite:${join(directory, 'attendance.db')}` });
      let [app] = await start(env);
      const meeting = new TeamsMeeting(() => app!.url, services.connector.url);
      // The receiver takes the first delivery and does not answer: the process dies while it waits.
      receiver.answerNext('hold');
      await meeting.play(
        meeting.started(on('09:00:00.000')),
        meeting.joined(on('09:00:10.000'), [ana, bob]),
        meeting.ended(on('09:30:00.000')),
      );
      const [first] = await receiver.waitFor('the first attempt', (received) => forMeeting(meeting)(received).length === 1 && forMeeting(meeting)(received));
      await app!.crash();
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(forMeeting(meeting)(receiver.accepted).length, 0, 'not delivered before the crash');

      [app] = await start(env);
      const [delivered] = await receiver.waitFor(
        'the delivery after the restart',
        () => forMeeting(meeting)(receiver.accepted).length > 0 && forMeeting(meeting)(receiver.accepted),
        (2 * TIMEOUT_S + 5) * 1000 + 10_000,
      );
      assert.equal(delivered!.id, first!.id, 'the same webhook-id');
      assert.equal(delivered!.verified, true);
      assert.equal(delivered!.payload.type, 'attendanceReport.created');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(forMeeting(meeting)(receiver.accepted).length, 1, 'delivered once');
      assert.ok(forMeeting(meeting)(receiver.received).every((delivery) => delivery.id === first!.id && delivery.verified));
    } finally {
      await Promise.all(running.splice(0).map((app) => app.stop()));
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('two instances on one Azure table deliver each event once, even when both recorded the end', async () => {
    const azurite = await Azurite.start();
    try {
      const instances = await start(envFor({ ATTENDANCE_STORE: azurite.storeSetting, ATTENDANCE_TABLE: Azurite.newTableName() }), 2);
      let turn = 0;
      const meetings = Array.from({ length: 4 }, () => new TeamsMeeting(() => instances[turn++ % instances.length]!.url, services.connector.url));
      await Promise.all(
        meetings.map(async (meeting) => {
          await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [ana, bob]), meeting.left(on('09:20:00.000'), [bob]));
          // meetingEnd reaches both instances at once (a retry racing the original).
          const end = meeting.ended(on('09:30:00.000'));
          const answers = await Promise.all(instances.map((instance) => postActivity(instance.url, end)));
          assert.deepEqual(answers.map((answer) => answer.status), [200, 200]);
        }),
      );
      await receiver.waitFor('every meeting delivered', () => meetings.every((meeting) => forMeeting(meeting)(receiver.accepted).length > 0), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const meeting of meetings) {
        const received = forMeeting(meeting)(receiver.received);
        assert.equal(received.length, 1, `one delivery for meeting ${meeting.meetingId}: ${JSON.stringify(received.map(({ id }) => id))}`);
        assert.equal(received[0]!.verified, true);
      }
      const deliveredBy = instances.map((instance) => instance.logs.filter((line) => line.msg === 'webhook delivered').length);
      assert.equal(deliveredBy[0]! + deliveredBy[1]!, meetings.length, `deliveries per instance: ${deliveredBy.join(', ')}`);
    } finally {
      await Promise.all(running.splice(0).map((app) => app.stop()));
      await azurite.stop();
    }
  });
});
