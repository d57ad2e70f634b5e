/**
 * Security suite, logs: the app as it runs in production (its own process, configured by environment
 * variables only, at the most verbose log level) plays a realistic session with every secret it can hold:
 * bot credentials with a password, a Graph client secret (reconciliation failing, as it does offline),
 * the Azure Table Storage connection string with an account key (Azurite's, which counts as a secret here),
 * Bot Framework and Entra ID tokens, good and bad, refused, rate limited, a deletion and a retention sweep.
 * Every byte it writes to stdout and stderr is kept, and none of the secrets or tokens may appear in it.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BotFrameworkIssuer } from '../support/botFrameworkIssuer.js';
import { Azurite } from '../support/azurite.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, TENANT_ID } from '../support/people.js';
import { spawnApp, stopProcess } from '../support/processes.js';
import { CLIENT_ID, TokenIssuer } from '../support/tokens.js';

const BOT_ID = '11111111-2222-4333-8444-555555555555';
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

/** The app in its own process; `output` is everything it wrote, stdout and stderr alike. */
class LoggedApp {
  output = '';
  url = '';
  private constructor(private readonly child: ChildProcess) {}

  static async start(env: Record<string, string>): Promise<LoggedApp> {
    const child = spawnApp(env);
    const app = new LoggedApp(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      app.output += chunk.toString('utf8');
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        app.output += chunk.toString('utf8');
        const listening = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*Attendance is listening/.exec(app.output);
        if (listening?.[1]) {
          app.url = listening[1];
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the app exited (code ${code}) before listening:\n${app.output}`)));
      setTimeout(() => reject(new Error(`the app did not listen within 20 s:\n${app.output}`)), 20_000).unref();
    });
    return app;
  }

  /** Log lines (JSON) whose message contains `text`. */
  lines(text: string): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => String(line['msg']).includes(text));
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}

describe('security: no secrets or tokens in the logs', function () {
  this.timeout(60_000);
  const botPassword = `bot-pw-${randomBytes(12).toString('base64url')}`;
  const graphSecret = `graph-secret-${randomBytes(12).toString('base64url')}`;
  const tokensUsed: string[] = [];
  let azurite: Azurite;
  let tokens: TokenIssuer;
  let botFramework: BotFrameworkIssuer;
  let connector: FakeConnector;
  let app: LoggedApp;

  before(async () => {
    [azurite, tokens, botFramework, connector] = await Promise.all([Azurite.start(), TokenIssuer.start(), BotFrameworkIssuer.start(), FakeConnector.start()]);
    app = await LoggedApp.start({
      LOG_LEVEL: 'trace',
      ATTENDANCE_STORE: azurite.storeSetting,
      ATTENDANCE_TABLE: Azurite.newTableName(),
      BOT_ID,
      BOT_PASSWORD: botPassword,
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: TENANT_ID,
      BOT_OPENID_METADATA_URL: botFramework.openIdMetadataUrl,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_JWKS_URI: tokens.jwksUri,
      GRAPH_TENANT_ID: TENANT_ID,
      GRAPH_CLIENT_ID: '22222222-3333-4444-8555-666666666666',
      GRAPH_CLIENT_SECRET: graphSecret,
      RECONCILE_DELAY_S: '0',
      RECONCILE_POLL_S: '0.05',
      RECONCILE_RETRY_S: '0.05',
      API_RATE_LIMIT_PER_MINUTE: '4',
      ATTENDANCE_RETENTION_DAYS: '30',
      RETENTION_SWEEP_S: '0.1',
    });
  });

  after(async () => {
    await app?.stop();
    await Promise.all([connector?.close(), botFramework?.close(), tokens?.close(), azurite?.stop()]);
  });

  /** Remembers every token the session uses, to look for it in the output afterwards. */
  const used = (token: string) => {
    tokensUsed.push(token);
    return token;
  };

  it('plays a session: authenticated and forged bot activities, good and bad API tokens, throttling, a deletion', async () => {
    const meeting = new TeamsMeeting(() => app.url, connector.url);
    // A meeting that just ended, so that its call record is looked for (Graph's token cannot be had here).
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const botToken = async () => used(await botFramework.channelToken({ appId: BOT_ID, serviceUrl: connector.url }));
    const send = async (activity: object, token: string) => postActivity(app.url, activity, { authorization: `Bearer ${token}` });

    for (const activity of [
      meeting.started(minutesAgo(40)),
      meeting.joined(minutesAgo(39), [ana, bob]),
      meeting.left(minutesAgo(20), [bob]),
      meeting.ended(minutesAgo(1)),
    ]) {
      const response = await send(activity, await botToken());
      assert.equal(response.status, 200, await response.text());
    }
    // The reply to a command needs a token for the connector, which cannot be had here: a 500, logged.
    const command = await send(meeting.message('attendance report', minutesAgo(0)), await botToken());
    assert.ok([200, 500].includes(command.status), String(command.status));
    const forged = used(await botFramework.withBadSignature({ appId: BOT_ID, serviceUrl: connector.url }));
    assert.equal((await send(meeting.joined(minutesAgo(30), [bob]), forged)).status, 401);
    assert.equal((await postActivity(app.url, meeting.joined(minutesAgo(30), [bob]))).status, 401);

    const api = (path: string, token: string, method = 'GET') =>
      fetch(`${app.url}/api/meetings/${encodeURIComponent(meeting.meetingId)}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const organizer = used(await tokens.userToken({ oid: ana.aadObjectId as string }));
    assert.equal((await api('/attendanceReport', organizer)).status, 200);
    assert.equal((await api('/live', used(await tokens.userToken({ oid: bob.aadObjectId as string })))).status, 200);
    assert.equal((await api('/attendanceReport', used(await tokens.appToken({ roles: ['Attendance.Read.All'] })))).status, 200);
    assert.equal((await api('/attendanceReport', used(await tokens.appToken()))).status, 403);
    for (const bad of [await tokens.expired(ana.aadObjectId as string), await tokens.signedWithOtherKey(ana.aadObjectId as string), 'garbage-token-value']) {
      assert.equal((await api('/live', used(bad))).status, 401);
    }
    const other = new TeamsMeeting(() => app.url, connector.url);
    assert.equal((await send(other.joined(minutesAgo(5), [ana]), await botToken())).status, 200);
    const deletion = await fetch(`${app.url}/api/meetings/${encodeURIComponent(other.meetingId)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${used(await tokens.userToken({ oid: ana.aadObjectId as string }))}` },
    });
    assert.equal(deletion.status, 204);
    let throttled = 0;
    for (let call = 0; call < 5; call += 1) if ((await api('/attendanceReport.csv', organizer)).status === 429) throttled += 1;
    assert.ok(throttled > 0, 'the organizer went past the limit');

    // Reconciliation tries Graph (and fails to get a token for it); retention sweeps; then a graceful stop.
    const deadline = Date.now() + 10_000;
    while (app.lines('call records not reconciled yet').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await app.stop();
  });

  it('wrote a realistic log: the session is in it', () => {
    for (const expected of [
      'meeting event recorded',
      'Bot Framework authentication failed',
      'A valid Entra ID bearer token is required',
      'report access refused',
      'Too many requests',
      'meeting attendance deleted on request',
      'retention sweep',
      'call records not reconciled yet',
      'stopping',
    ]) {
      assert.ok(app.output.includes(expected), `the log should show "${expected}"`);
    }
    assert.ok(tokensUsed.length >= 15);
  });

  it('holds no token, password, client secret, account key or connection string', () => {
    const accountKey = /AccountKey=([^;]+)/.exec(azurite.connectionString)?.[1] as string;
    const secrets: [string, string][] = [
      ['the bot password', botPassword],
      ['the Graph client secret', graphSecret],
      ['the storage account key', accountKey],
      ['the storage account key, URL-encoded', encodeURIComponent(accountKey)],
      ['the connection string', azurite.connectionString],
      ...tokensUsed.map((token, index): [string, string] => [`token ${index + 1}`, token]),
      ...tokensUsed.map((token, index): [string, string] => [`the signature of token ${index + 1}`, token.split('.')[2] ?? token]),
    ];
    const found = secrets.filter(([, secret]) => secret.length > 8 && app.output.includes(secret)).map(([name]) => name);
    assert.deepEqual(found, [], 'secrets found in the log');
    assert.doesNotMatch(app.output, JWT, 'something shaped like a JWT is in the log');
    assert.doesNotMatch(app.output, /Bearer\s+\S{8,}/i, 'an Authorization header value is in the log');
  });

  it("holds no participant's name or e-mail address: those are in the store, not the log", () => {
    for (const person of [ana, bob]) {
      assert.ok(!app.output.includes(person.name), person.name);
      assert.ok(!app.output.includes(person.email as string), person.email);
    }
  });
});
