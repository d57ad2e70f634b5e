/**
 * Security suite, rate limiting: the API counts each caller (validated token: tenant + user, or tenant + app)
 * per minute and answers 429 with Retry-After past API_RATE_LIMIT_PER_MINUTE; failed authentications are
 * counted per client address. The bot endpoint and the health check are never limited.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, carol } from '../support/people.js';
import { getMeetingApi, type ApiAnswer } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';

const LIMIT = 5;

describe('security: rate limiting of the API', function () {
  const env = useTestEnvironment({ env: { API_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  let meeting: TeamsMeeting;

  const oid = (person: { aadObjectId?: string }) => person.aadObjectId as string;
  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${env.server.url}/api/meetings/${encodeURIComponent(meeting.meetingId)}${path}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });

  async function assertThrottled(response: Response): Promise<void> {
    assert.equal(response.status, 429);
    const retryAfter = Number(response.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${response.headers.get('retry-after')}`);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'TooManyRequests');
    assert.match(body.error.message, /Retry after \d+ s/);
  }

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [ana, bob, carol]));
  });

  it('answers 429 with Retry-After to a user past the limit, on any route, and not to anyone else', async () => {
    const anaToken = await env.tokens.userToken({ oid: oid(ana) });
    const paths = ['/live', '/attendanceReport', '/attendanceReports', '/attendanceReport.csv', '/live'];
    for (const path of paths.slice(0, LIMIT)) assert.equal((await get(path, anaToken)).status, 200, path);
    await assertThrottled(await get('/live', anaToken));
    // A new token of the same person is the same caller.
    await assertThrottled(await get('/attendanceReport', await env.tokens.userToken({ oid: oid(ana) })));
    assert.equal((await get('/live', await env.tokens.userToken({ oid: oid(carol) }))).status, 200, 'another user has their own budget');
    assert.equal((await get('/live', await env.tokens.appToken({ roles: ['Attendance.Read.All'] }))).status, 200, 'an app has its own budget');
    assert.ok(env.server.logsMatching('Too many requests', LOG_LEVEL.warn).length >= 2);
  });

  it('counts an application by tenant and app id, whichever token it presents', async () => {
    const app = () => env.tokens.appToken({ roles: ['Attendance.Read.All'], azp: 'hr-system' });
    for (let call = 0; call < LIMIT; call += 1) assert.equal((await get('/attendanceReport', await app())).status, 200);
    await assertThrottled(await get('/attendanceReport', await app()));
    assert.equal((await get('/attendanceReport', await env.tokens.appToken({ roles: ['Attendance.Read.All'], azp: 'lms' }))).status, 200);
  });

  it('counts failed authentications per client address, without holding back valid callers from it', async () => {
    const badTokens = [undefined, 'garbage', await env.tokens.expired(oid(bob)), await env.tokens.wrongAudience(oid(bob)), await env.tokens.signedWithOtherKey(oid(bob))];
    for (const token of badTokens) assert.equal((await get('/live', token)).status, 401);
    await assertThrottled(await get('/live', 'garbage'));
    await assertThrottled(await get('/live'));
    assert.equal((await get('/live', await env.tokens.userToken({ oid: oid(bob) }))).status, 200, 'a valid token from the same address');
    // Behind App Service, the address is the last X-Forwarded-For hop: another client is another budget.
    assert.equal((await get('/live', 'garbage', { 'x-forwarded-for': '203.0.113.7:51234' })).status, 401);
  });

  it('never limits the bot endpoint (Teams) nor the health check', async () => {
    for (let index = 0; index < LIMIT * 4; index += 1) {
      const response = await postActivity(env.server.url, meeting.joined(on(`09:01:${String(index).padStart(2, '0')}.000`), [bob]));
      assert.equal(response.status, 200, `activity ${index}`);
      assert.equal((await fetch(`${env.server.url}/healthz`)).status, 200);
    }
  });
});
