/**
 * With Bot Framework credentials configured, /api/messages only takes activities the Bot Framework signed,
 * and without them the server refuses to listen anywhere but loopback. The Bot Framework's OpenID
 * configuration is a test issuer on loopback (BOT_OPENID_METADATA_URL), so every refusal is a real one, with
 * no network, and a correctly signed token is accepted: the tests can tell the difference.
 */
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import { ConfigError, DEFAULT_BOT_OPENID_METADATA_URL, loadConfig } from '../../bot/src/config.js';
import { BOT_FRAMEWORK_ISSUER, BotFrameworkIssuer, type ChannelTokenOptions } from '../support/botFrameworkIssuer.js';
import { useTestServices } from '../support/environment.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, TENANT_ID } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL, TestServer } from '../support/server.js';

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
  const services = useTestServices();
  let botFramework: BotFrameworkIssuer;
  let server: TestServer;
  let meeting: TeamsMeeting;
  const consoleError = console.error;

  before(async () => {
    // botbuilder prints each rejected request with console.error; keep the test output readable.
    console.error = () => {};
    botFramework = await BotFrameworkIssuer.start();
    server = await TestServer.start({ jwksUri: services.tokens.jwksUri, env: { ...BOT_ENV, BOT_OPENID_METADATA_URL: botFramework.openIdMetadataUrl } });
    meeting = new TeamsMeeting(() => server.url, services.connector.url);
  });

  after(async () => {
    console.error = consoleError;
    await server?.dispose();
    await botFramework?.close();
  });

  /** Nothing about the meeting was stored, and nothing was posted to its chat. */
  async function assertNothingRecorded(): Promise<void> {
    const token = await services.tokens.appToken({ roles: ['Attendance.Read.All'] });
    const report = await getMeetingApi(server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(report.status, 404, report.text);
    assert.equal(services.connector.activitiesIn(meeting.chatId).length, 0);
    assert.equal(services.connector.requests.length, 0, 'the bot must not call the connector for an unauthenticated activity');
  }

  /** Posts a join of Ana with this bearer token: 401 in the API's error shape, and nothing recorded. */
  async function assertRefused(token: string): Promise<void> {
    const response = await postActivity(server.url, meeting.joined(on('09:00:05.000'), [ana]), { authorization: `Bearer ${token}` });
    const body = (await response.json()) as ErrorBody;
    assert.equal(response.status, 401, JSON.stringify(body));
    assert.equal(body.error.code, 'Unauthorized');
    await assertNothingRecorded();
  }

  const forThisBot = (claims?: Record<string, unknown>): ChannelTokenOptions => ({
    appId: BOT_ID,
    serviceUrl: services.connector.url,
    ...(claims ? { claims } : {}),
  });

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
    await assertRefused(await forgedBotToken('https://attacker.example/', services.connector.url));
  });

  it('answers 401 to a token under the Bot Framework issuer signed with a key its metadata does not list', async () => {
    await assertRefused(await forgedBotToken(BOT_FRAMEWORK_ISSUER, services.connector.url));
    await assertRefused(await botFramework.withUnknownKey(forThisBot()));
  });

  it('answers 401 (not 500) to a token whose signature does not verify under a listed key id', async () => {
    await assertRefused(await botFramework.withBadSignature(forThisBot()));
  });

  it('answers 401 to a well-signed token for another bot, from another issuer, or for another service URL', async () => {
    await assertRefused(await botFramework.channelToken(forThisBot({ aud: '99999999-2222-4333-8444-555555555555' })));
    await assertRefused(await botFramework.channelToken(forThisBot({ iss: 'https://login.botframework.com/' })));
    await assertRefused(await botFramework.channelToken({ appId: BOT_ID, serviceUrl: 'https://smba.trafficmanager.net/emea/' }));
  });

  it('answers 401 to an expired token and to one not valid yet (beyond the 5 minutes botbuilder tolerates)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await assertRefused(await botFramework.channelToken(forThisBot({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })));
    await assertRefused(await botFramework.channelToken(forThisBot({ iat: now + 3600, nbf: now + 3600, exp: now + 7200 })));
  });

  // Last: the bot's follow-ups for an accepted activity call the connector (and fail to get a token for it).
  it('accepts a correctly signed token for this bot from the configured issuer, and records the event', async () => {
    const token = await botFramework.channelToken(forThisBot());
    const response = await postActivity(server.url, meeting.joined(on('09:00:05.000'), [bob]), { authorization: `Bearer ${token}` });
    assert.equal(response.status, 200, await response.text());
    const report = await getMeetingApi(server.url, meeting.meetingId, '/attendanceReport', await services.tokens.appToken({ roles: ['Attendance.Read.All'] }));
    assert.equal(report.status, 200, report.text);
    assert.deepEqual(
      (report.json.attendanceRecords as { identity: { displayName: string } }[]).map((record) => record.identity.displayName),
      ['Bob Student'],
    );
    assert.ok(botFramework.requests.includes('/v1/.well-known/openidconfiguration'), 'the keys came from the configured issuer');
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

  it("trusts the Bot Framework's public OpenID configuration by default, and another only over https or on loopback", () => {
    assert.equal(loadConfig({ ...baseEnv, ...BOT_ENV }).bot?.openIdMetadataUrl, DEFAULT_BOT_OPENID_METADATA_URL);
    const local = 'http://127.0.0.1:4000/v1/.well-known/openidconfiguration';
    assert.equal(loadConfig({ ...baseEnv, ...BOT_ENV, BOT_OPENID_METADATA_URL: local }).bot?.openIdMetadataUrl, local);
    assert.throws(
      () => loadConfig({ ...baseEnv, ...BOT_ENV, BOT_OPENID_METADATA_URL: 'http://keys.example/openid' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('BOT_OPENID_METADATA_URL'),
    );
  });

  it('requires BOT_PASSWORD and BOT_TENANT_ID for a SingleTenant bot, naming the missing variable', () => {
    const naming = (variable: string) => (error: unknown) => error instanceof ConfigError && error.message.includes(variable);
    assert.throws(() => loadConfig({ ...baseEnv, BOT_ID, BOT_TENANT_ID: TENANT_ID }), naming('BOT_PASSWORD'));
    assert.throws(() => loadConfig({ ...baseEnv, BOT_ID, BOT_PASSWORD: 'x' }), naming('BOT_TENANT_ID'));
  });
});
