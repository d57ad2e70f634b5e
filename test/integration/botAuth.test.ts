/**
 * With Bot Framework credentials configured, /api/messages only takes activities Teams (the Bot Framework)
 * signed; and without them the server refuses to listen anywhere but loopback.
 */
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import { ConfigError, loadConfig } from '../../bot/src/config.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, TENANT_ID } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL, TestServer } from '../support/server.js';
import { TokenIssuer } from '../support/tokens.js';

const BOT_ID = '11111111-2222-4333-8444-555555555555';
const BOT_ENV = {
  BOT_ID,
  BOT_PASSWORD: 'not-a-real-secret',
  BOT_TYPE: 'SingleTenant',
  BOT_TENANT_ID: TENANT_ID,
  HOST: '127.0.0.1',
};

interface ErrorBody {
  error: { code: string; message: string };
}

/** A Bot Framework-looking token signed with a key nobody trusts. */
async function forgedBotToken(issuer: string, serviceUrl: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, aud: BOT_ID, serviceurl: serviceUrl, iat: now, nbf: now, exp: now + 3600 })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })
    .sign(privateKey);
}

describe('bot authentication: /api/messages with Bot Framework credentials configured', function () {
  let tokens: TokenIssuer;
  let connector: FakeConnector;
  let server: TestServer;
  let meeting: TeamsMeeting;
  const consoleError = console.error;

  before(async () => {
    // botbuilder prints each rejected request with console.error; keep the test output readable.
    console.error = () => {};
    tokens = await TokenIssuer.start();
    connector = await FakeConnector.start();
    server = await TestServer.start({ jwksUri: tokens.jwksUri, env: BOT_ENV });
    meeting = new TeamsMeeting(() => server.url, connector.url);
  });

  after(async () => {
    console.error = consoleError;
    await server?.dispose();
    await connector?.close();
    await tokens?.close();
  });

  /** Nothing about the meeting was stored, and nothing was posted to its chat. */
  async function assertNothingRecorded(): Promise<void> {
    const token = await tokens.appToken({ roles: ['Attendance.Read.All'] });
    const report = await getMeetingApi(server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(report.status, 404, report.text);
    assert.equal(connector.activitiesIn(meeting.chatId).length, 0);
    assert.equal(connector.requests.length, 0, 'the bot must not call the connector for an unauthenticated activity');
  }

  it('answers 401 to an activity without a token, records nothing and logs the refusal', async () => {
    for (const activity of [meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:05.000'), [ana])]) {
      const response = await postActivity(server.url, activity);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as ErrorBody).error.code, 'Unauthorized');
    }
    const message = await postActivity(server.url, meeting.message('attendance report', on('09:01:00.000')));
    assert.equal(message.status, 401);
    await assertNothingRecorded();
    assert.ok(server.logsMatching('Bot Framework authentication failed', LOG_LEVEL.warn).length >= 3);
  });

  it('answers 401 to a forged token from an issuer the Bot Framework does not use', async () => {
    const token = await forgedBotToken('https://attacker.example/', connector.url);
    const response = await postActivity(server.url, meeting.joined(on('09:00:05.000'), [ana]), { authorization: `Bearer ${token}` });
    assert.equal(response.status, 401);
    await assertNothingRecorded();
  });

  it('refuses a token signed with a random key under the Bot Framework issuer, and records nothing', async () => {
    // botbuilder checks the signature against the Bot Framework's published keys (login.botframework.com):
    // 401 when they are reachable; where they are not (an offline CI), a 500 that does not echo internals.
    const token = await forgedBotToken('https://api.botframework.com', connector.url);
    const response = await postActivity(server.url, meeting.joined(on('09:00:05.000'), [ana]), { authorization: `Bearer ${token}` });
    const body = (await response.json()) as ErrorBody;
    if (response.status === 401) {
      assert.equal(body.error.code, 'Unauthorized');
    } else {
      assert.equal(response.status, 500);
      assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
      assert.equal(body.error.code, 'InternalError');
      assert.doesNotMatch(body.error.message, /botframework\.com|ENOTFOUND|fetch/i);
    }
    await assertNothingRecorded();
  });

  it('does not log the bot password', () => {
    assert.ok(!JSON.stringify(server.logs).includes(BOT_ENV.BOT_PASSWORD));
  });
});

describe('bot authentication: configuration', () => {
  const baseEnv = { ATTENDANCE_STORE: 'sqlite:/tmp/unused.db' };

  it('refuses HOST=0.0.0.0 without BOT_ID (unauthenticated endpoint), with a ConfigError naming HOST', () => {
    assert.throws(
      () => loadConfig({ ...baseEnv, HOST: '0.0.0.0' }),
      (error: unknown) => error instanceof ConfigError && /\bHOST\b/.test(error.message) && /BOT_ID/.test(error.message),
    );
  });

  it('listens on loopback by default without BOT_ID, and on all interfaces by default with it', () => {
    assert.equal(loadConfig({ ...baseEnv }).host, '127.0.0.1');
    assert.equal(loadConfig({ ...baseEnv }).bot, undefined);
    const withBot = loadConfig({ ...baseEnv, ...BOT_ENV, HOST: '' });
    assert.equal(withBot.host, '0.0.0.0');
    assert.equal(withBot.bot?.appType, 'SingleTenant');
  });

  it('requires BOT_PASSWORD and BOT_TENANT_ID for a SingleTenant bot, naming the missing variable', () => {
    const naming = (variable: string) => (error: unknown) => error instanceof ConfigError && error.message.includes(variable);
    assert.throws(() => loadConfig({ ...baseEnv, BOT_ID, BOT_TENANT_ID: TENANT_ID }), naming('BOT_PASSWORD'));
    assert.throws(() => loadConfig({ ...baseEnv, BOT_ID, BOT_PASSWORD: 'x' }), naming('BOT_TENANT_ID'));
  });
});
