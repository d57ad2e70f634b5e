/**
 * Attendance webhooks end to end: meetings played through the bot, the real app delivering to receivers on
 * 127.0.0.1 that verify every delivery with the `standardwebhooks` library, each with its own secret
 * (ATTENDANCE_WEBHOOKS). Retries are shortened by configuration (first retry 0.3 s), never slept through.
 */
import assert from 'node:assert/strict';
import { useTestServices } from '../support/environment.js';
import { loadFixture } from '../support/fixtures.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol, guest, TENANT_ID } from '../support/people.js';
import { callApi, getApi, getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL, TestServer } from '../support/server.js';
import { OTHER_TENANT_ID } from '../support/tokens.js';
import { WebhookReceiver, type ReceivedWebhook, type ReceiverAnswer } from '../support/webhookReceiver.js';

const ORGANIZER_ID = '5d3c2b1a-0000-4000-8000-000000000101'; // the fixture meeting details' organizer
const TIMEOUT_S = 1.5;

/** The same activity as sent in another tenant. */
function inTenant(activity: any, tenantId: string): any {
  activity.channelData.tenant.id = tenantId;
  activity.conversation.tenantId = tenantId;
  return activity;
}

describe('attendance webhooks (Standard Webhooks)', function () {
  this.timeout(30_000);
  const services = useTestServices();
  let lms: WebhookReceiver;
  /** A second endpoint, for this tenant only; it answers 410 in the last test. */
  let archive: WebhookReceiver;
  let server: TestServer;

  const playMeeting = async (options: { tenantId?: string } = {}) => {
    const meeting = new TeamsMeeting(() => server.url, services.connector.url);
    const tenant = (activity: any) => (options.tenantId ? inTenant(activity, options.tenantId) : activity);
    await meeting.play(
      tenant(meeting.started(on('09:00:00.000'))),
      tenant(meeting.joined(on('09:00:10.000'), [ana, bob, guest])),
      tenant(meeting.left(on('09:20:10.000'), [bob])),
    );
    const end = tenant(meeting.ended(on('09:30:00.000')));
    await meeting.send(end);
    return { meeting, end, tenant };
  };
  const forMeeting = (meeting: TeamsMeeting) => (received: ReceivedWebhook[]) =>
    received.filter((delivery) => delivery.payload?.data.meetingId === meeting.meetingId);
  const deliveriesApi = async (token?: string) => getApi(server.url, '/api/webhooks/deliveries', token);
  const readAllToken = () => services.tokens.appToken({ roles: ['Attendance.Read.All'] });

  before(async () => {
    [lms, archive] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start('/archive?token=receiver-secret-token')]);
    server = await TestServer.start({
      jwksUri: services.tokens.jwksUri,
      realClock: true,
      env: {
        ATTENDANCE_WEBHOOK_URL: lms.url,
        ATTENDANCE_WEBHOOK_SECRET: lms.secret,
        ATTENDANCE_WEBHOOKS: JSON.stringify([{ url: archive.url, secret: archive.secret, tenantId: TENANT_ID }]),
        ATTENDANCE_WEBHOOK_FIRST_RETRY_S: '0.3',
        ATTENDANCE_WEBHOOK_POLL_S: '0.2',
        ATTENDANCE_WEBHOOK_TIMEOUT_S: String(TIMEOUT_S),
        // Sampling would poll the roster on its own schedule: not what this suite is about.
        SAMPLE_INTERVAL_S: '3600',
      },
    });
  });
  after(async () => {
    await server?.dispose();
    await Promise.all([lms?.close(), archive?.close()]);
  });

  it('sends attendanceReport.created, signed, within seconds of a Meet Now meeting ending, to every endpoint with its own secret', async () => {
    const { meeting } = await playMeeting();
    const acknowledgedAt = Date.now();
    const [created] = await lms.waitFor('created at the LMS', (received) => forMeeting(meeting)(received).length > 0 && forMeeting(meeting)(received));
    await archive.waitFor('created at the archive', (received) => forMeeting(meeting)(received).length > 0);
    assert.ok(created);
    assert.ok(created.receivedAt - acknowledgedAt < 8000, `delivered ${created.receivedAt - acknowledgedAt} ms after the end was acknowledged`);
    assert.equal(created.verified, true, 'the standardwebhooks library verifies the signature');
    assert.match(created.id, /^msg_/);
    assert.ok(Math.abs(Number(created.timestamp) - Date.now() / 1000) < 30, 'webhook-timestamp is the attempt time, in seconds');
    assert.deepEqual(forMeeting(meeting)(archive.received).map((delivery) => [delivery.id, delivery.verified]), [[created.id, true]]);

    const report = await getMeetingApi(server.url, meeting.meetingId, '/attendanceReport', await readAllToken());
    assert.equal(report.status, 200, report.text);
    const { onlineMeetingId } = created.payload.data;
    // Teams' own Graph id from the meeting details (the fixture's msGraphResourceId), as the /v1.0 paths take it.
    assert.equal(onlineMeetingId, (loadFixture('meeting-info.json') as { details: { msGraphResourceId: string } }).details.msGraphResourceId);
    assert.deepEqual(created.payload, {
      type: 'attendanceReport.created',
      timestamp: on('09:30:00.000'),
      data: {
        tenantId: TENANT_ID,
        meetingId: meeting.meetingId,
        onlineMeetingId,
        chatThreadId: meeting.chatId,
        joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_YTgy%40thread.v2/0?context=%7b%7d',
        reportId: report.json.id,
        organizer: { id: ORGANIZER_ID, userPrincipalName: null },
        resource: `/v1.0/users/${ORGANIZER_ID}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/attendanceReports/${report.json.id}`,
      },
    });
  });

  it("sends nothing more for Teams' redelivery of the end, and attendanceReport.updated, with a new id, for a late event that changes the figures", async () => {
    const { meeting, end, tenant } = await playMeeting();
    const [created] = await lms.waitFor('created', (received) => forMeeting(meeting)(received).length === 1 && forMeeting(meeting)(received));
    await meeting.send({ ...end, id: `${end.id}-retry` });
    // Carol's join and leave, stamped within the meeting, reach the bot after its end.
    await meeting.play(tenant(meeting.joined(on('09:05:00.000'), [carol])), tenant(meeting.left(on('09:15:00.000'), [carol])));
    const updates = await lms.waitFor('two updates', (received) => {
      const mine = forMeeting(meeting)(received).filter((delivery) => delivery.payload.type === 'attendanceReport.updated');
      return mine.length === 2 && mine;
    });
    assert.equal(new Set([created!.id, ...updates.map((delivery) => delivery.id)]).size, 3, 'each change of figures is a new message');
    for (const update of updates) {
      assert.equal(update.verified, true);
      assert.equal(update.payload.data.reportId, created!.payload.data.reportId, 'the same report');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(forMeeting(meeting)(lms.received).length, 3, 'the redelivered end added nothing');
  });

  it('sends attendanceReport.updated, with a new id each time, when the organizer corrects the register or changes its rule', async () => {
    const { meeting } = await playMeeting();
    const [created] = await lms.waitFor('created', (received) => forMeeting(meeting)(received).length === 1 && forMeeting(meeting)(received));
    const reportId = created!.payload.data.reportId as string;
    const organizer = await services.tokens.userToken({ oid: ana.aadObjectId ?? '' });
    const meetingPath = `/api/meetings/${encodeURIComponent(meeting.meetingId)}`;
    const correction = await callApi(server.url, 'POST', `${meetingPath}/attendanceReports/${reportId}/corrections`, organizer, {
      participantId: bob.aadObjectId,
      action: 'excuse',
      reason: 'doctor appointment, agreed beforehand',
    });
    assert.equal(correction.status, 201, correction.text);
    const rule = await callApi(server.url, 'PUT', `${meetingPath}/rule`, organizer, { presentPercent: 50, lateAfterMinutes: 5, leftEarlyMinutes: 5 });
    assert.equal(rule.status, 200, rule.text);
    const updates = await lms.waitFor('two updates', (received) => {
      const mine = forMeeting(meeting)(received).filter((delivery) => delivery.payload.type === 'attendanceReport.updated');
      return mine.length === 2 && mine;
    });
    assert.equal(new Set([created!.id, ...updates.map((delivery) => delivery.id)]).size, 3, 'each change is a new message');
    for (const update of updates) {
      assert.equal(update.verified, true);
      assert.equal(update.payload.data.reportId, reportId);
    }
  });

  it('tries again with the same webhook-id after a 500, after no answer within the timeout, and not before Retry-After', async () => {
    // The first failure of each delivery waits the (shortened) first retry; the standard's next wait is 5 minutes.
    const twoAttempts = async (answer: ReceiverAnswer) => {
      lms.answerNext(answer);
      const { meeting } = await playMeeting();
      return lms.waitFor('two attempts', (received) => forMeeting(meeting)(received).length === 2 && forMeeting(meeting)(received));
    };
    const afterError = await twoAttempts({ status: 500 });
    const afterSilence = await twoAttempts('hold');
    const afterRetryAfter = await twoAttempts({ status: 503, retryAfter: '1' });
    for (const attempts of [afterError, afterSilence, afterRetryAfter]) {
      assert.equal(attempts[0]!.id, attempts[1]!.id, 'one webhook-id for every attempt');
      assert.ok(attempts.every((attempt) => attempt.verified));
      assert.equal(attempts[1]!.answered, 204);
      for (const attempt of attempts) assert.ok(Math.abs(Number(attempt.timestamp) * 1000 - attempt.receivedAt) < 2000, 'signed at the attempt');
    }
    assert.equal(afterSilence[0]!.answered, undefined);
    const gap = (attempts: ReceivedWebhook[]) => attempts[1]!.receivedAt - attempts[0]!.receivedAt;
    assert.ok(gap(afterSilence) >= TIMEOUT_S * 1000, `no answer counted as failed only after the timeout (${gap(afterSilence)} ms)`);
    assert.ok(gap(afterRetryAfter) >= 1000, `Retry-After: 1 was honoured (${gap(afterRetryAfter)} ms)`);

    const answer = await deliveriesApi(await readAllToken());
    const delivery = (answer.json.value as any[]).find((item) => item.id === afterError[0]!.id && item.endpoint === lms.url);
    assert.equal(delivery?.status, 'delivered', answer.text);
    assert.equal(delivery.attempts, 2);
    assert.equal(delivery.lastResult, 'HTTP 204');
    assert.equal(delivery.nextAttemptDateTime, null);
    const retries = server.logsMatching('webhook not accepted; trying again later', LOG_LEVEL.warn).map((line) => line['result']);
    assert.ok(retries.includes('HTTP 500') && retries.includes(`no answer within ${TIMEOUT_S} s`) && retries.includes('HTTP 503'), String(retries));
  });

  describe('GET /api/webhooks/deliveries', () => {
    let otherTenantMeeting: TeamsMeeting;

    before(async () => {
      ({ meeting: otherTenantMeeting } = await playMeeting({ tenantId: OTHER_TENANT_ID }));
      await lms.waitFor('the other tenant\'s meeting delivered', (received) => forMeeting(otherTenantMeeting)(received).length > 0);
    });

    it("lists the tenant's deliveries, newest first, to an application with Attendance.Read.All: event, endpoint, status, attempts, next attempt", async () => {
      const answer = await deliveriesApi(await readAllToken());
      assert.equal(answer.status, 200, answer.text);
      const value = answer.json.value as any[];
      assert.ok(value.length >= 6, answer.text);
      assert.ok(value.every((item) => item.meetingId !== otherTenantMeeting.meetingId), "no other tenant's delivery");
      const created = value.map((item) => item.createdDateTime);
      assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
      assert.deepEqual(Object.keys(value[0]).sort(), [
        'attempts',
        'createdDateTime',
        'endpoint',
        'id',
        'lastAttemptDateTime',
        'lastResult',
        'meetingId',
        'nextAttemptDateTime',
        'reportId',
        'status',
        'type',
      ]);
      assert.ok(value.some((item) => item.endpoint === new URL(archive.url).origin + '/archive'), 'the endpoint without its query string');
      assert.ok(!answer.text.includes('receiver-secret-token') && !answer.text.includes('whsec_'), 'no secret of any kind');
      assert.equal((await getApi(server.url, '/api/webhooks/deliveries?top=1', await readAllToken())).json.value.length, 1);
    });

    it("shows another tenant's application only that tenant's deliveries", async () => {
      const answer = await deliveriesApi(await services.tokens.appToken({ roles: ['Attendance.Read.All'], tid: OTHER_TENANT_ID }));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(
        (answer.json.value as any[]).map((item) => item.meetingId),
        [otherTenantMeeting.meetingId],
        'only its own meeting, and only to the endpoint not restricted to another tenant',
      );
    });

    it('refuses users, applications without the role, and callers without a valid token', async () => {
      const refused = [
        await deliveriesApi(await services.tokens.appToken({ roles: ['Attendance.Delete.All'] })),
        await deliveriesApi(await services.tokens.appToken()),
        await deliveriesApi(await services.tokens.userToken({ oid: ana.aadObjectId as string })),
      ];
      for (const answer of refused) {
        assert.equal(answer.status, 403, answer.text);
        assert.equal(answer.json.error.code, 'Forbidden');
      }
      assert.equal((await deliveriesApi()).status, 401);
      assert.equal((await deliveriesApi('not.a.jwt')).status, 401);
      assert.equal((await getApi(server.url, '/api/webhooks/deliveries?top=0', await readAllToken())).status, 400);
      assert.ok(server.logsMatching('webhook deliveries access refused', LOG_LEVEL.warn).length >= 3);
    });
  });

  it('disables an endpoint that answers 410 Gone, logs it loudly with what to do, and keeps delivering to the others', async () => {
    archive.answerNext({ status: 410 });
    const { meeting: first } = await playMeeting();
    await archive.waitFor('the 410', (received) => forMeeting(first)(received).length === 1);
    await lms.waitFor('the LMS got the first', (received) => forMeeting(first)(received).length === 1);
    const { meeting: second } = await playMeeting();
    await lms.waitFor('the LMS got the second', (received) => forMeeting(second)(received).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(forMeeting(second)(archive.received), [], 'nothing more to the disabled endpoint');
    assert.equal(forMeeting(first)(archive.received).length, 1, 'a 410 is not retried');

    const [loud] = server.logsMatching('answered 410 Gone', LOG_LEVEL.error);
    assert.ok(loud, 'logged at error level');
    assert.match(loud.msg, /new secret/);
    assert.ok(!JSON.stringify(loud).includes('receiver-secret-token'), "the log leaves out the URL's query string");
    const value = (await deliveriesApi(await readAllToken())).json.value as any[];
    const toArchive = (meeting: TeamsMeeting) => value.find((item) => item.meetingId === meeting.meetingId && item.endpoint.endsWith('/archive'));
    assert.equal(toArchive(first)?.status, 'disabled');
    assert.equal(toArchive(second)?.status, 'disabled');
    assert.equal(toArchive(second)?.attempts, 0);
  });
});
