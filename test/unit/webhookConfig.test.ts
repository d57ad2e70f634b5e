import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../bot/src/config.js';

const secret = (bytes = 32) => `whsec_${randomBytes(bytes).toString('base64')}`;
const SECRET = secret();

function refuses(env: Record<string, string>, pattern: RegExp): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, pattern);
      for (const value of Object.values(env)) {
        for (const secretText of value.match(/whsec_[A-Za-z0-9+/=]*/g) ?? []) assert.ok(!error.message.includes(secretText), 'repeats a secret');
      }
      return true;
    },
  );
}

describe('configuration: attendance webhooks (ATTENDANCE_WEBHOOK*)', () => {
  it('is off without an endpoint', () => {
    assert.equal(loadConfig({}).webhooks, undefined);
  });

  it('reads one endpoint from ATTENDANCE_WEBHOOK_URL and ATTENDANCE_WEBHOOK_SECRET, with the Standard Webhooks timings', () => {
    assert.deepEqual(loadConfig({ ATTENDANCE_WEBHOOK_URL: 'https://lms.example.edu/hooks', ATTENDANCE_WEBHOOK_SECRET: SECRET }).webhooks, {
      endpoints: [{ url: 'https://lms.example.edu/hooks', secret: SECRET }],
      timeoutSeconds: 15,
      firstRetrySeconds: 5,
      pollSeconds: 5,
    });
  });

  it('reads several endpoints, each with its own secret and optionally one tenant, from ATTENDANCE_WEBHOOKS, added to the single one', () => {
    const other = secret(24);
    const config = loadConfig({
      ATTENDANCE_WEBHOOK_URL: 'https://lms.example.edu/hooks',
      ATTENDANCE_WEBHOOK_SECRET: SECRET,
      ATTENDANCE_WEBHOOKS: JSON.stringify([{ url: 'https://hr.example.com/teams', secret: other, tenantId: 'tenant-b' }]),
      ATTENDANCE_WEBHOOK_TIMEOUT_S: '10',
      ATTENDANCE_WEBHOOK_FIRST_RETRY_S: '0.5',
      ATTENDANCE_WEBHOOK_POLL_S: '1',
    });
    assert.deepEqual(config.webhooks, {
      endpoints: [
        { url: 'https://lms.example.edu/hooks', secret: SECRET },
        { url: 'https://hr.example.com/teams', secret: other, tenantId: 'tenant-b' },
      ],
      timeoutSeconds: 10,
      firstRetrySeconds: 0.5,
      pollSeconds: 1,
    });
  });

  it('accepts plain http on loopback only (a local receiver, the tests)', () => {
    for (const url of ['http://127.0.0.1:8080/hooks', 'http://localhost/hooks', 'http://[::1]:9000/hooks']) {
      assert.equal(loadConfig({ ATTENDANCE_WEBHOOK_URL: url, ATTENDANCE_WEBHOOK_SECRET: SECRET }).webhooks?.endpoints[0]?.url, url);
    }
    refuses({ ATTENDANCE_WEBHOOK_URL: 'http://lms.example.edu/hooks', ATTENDANCE_WEBHOOK_SECRET: SECRET }, /ATTENDANCE_WEBHOOK_URL: use https/);
    refuses({ ATTENDANCE_WEBHOOK_URL: 'ftp://lms.example.edu/hooks', ATTENDANCE_WEBHOOK_SECRET: SECRET }, /ATTENDANCE_WEBHOOK_URL: use https/);
    refuses({ ATTENDANCE_WEBHOOK_URL: 'lms.example.edu/hooks', ATTENDANCE_WEBHOOK_SECRET: SECRET }, /ATTENDANCE_WEBHOOK_URL: use an absolute URL/);
    refuses(
      { ATTENDANCE_WEBHOOKS: JSON.stringify([{ url: 'https://a.example/h', secret: SECRET }, { url: 'http://b.example/h', secret: SECRET }]) },
      /ATTENDANCE_WEBHOOKS\.1\.url: use https/,
    );
  });

  it('refuses a secret that is not whsec_ + 24 to 64 bytes of base64, naming the variable and never repeating the secret', () => {
    const url = 'https://lms.example.edu/hooks';
    for (const bad of ['plain-password', secret(16), secret(65), 'whsec_not base64!', `${SECRET.slice(6)}`]) {
      refuses({ ATTENDANCE_WEBHOOK_URL: url, ATTENDANCE_WEBHOOK_SECRET: bad }, /ATTENDANCE_WEBHOOK_SECRET: use whsec_ followed by 24 to 64 random bytes/);
    }
    refuses({ ATTENDANCE_WEBHOOKS: JSON.stringify([{ url, secret: secret(8) }]) }, /ATTENDANCE_WEBHOOKS\.0\.secret: use whsec_/);
  });

  it('refuses half a single endpoint, naming the missing variable', () => {
    refuses({ ATTENDANCE_WEBHOOK_URL: 'https://lms.example.edu/hooks' }, /ATTENDANCE_WEBHOOK_URL is set but ATTENDANCE_WEBHOOK_SECRET is not/);
    refuses({ ATTENDANCE_WEBHOOK_SECRET: SECRET }, /ATTENDANCE_WEBHOOK_SECRET is set but ATTENDANCE_WEBHOOK_URL is not/);
  });

  it('refuses an ATTENDANCE_WEBHOOKS that is not a JSON list of {url, secret}, or lists an endpoint twice', () => {
    const url = 'https://lms.example.edu/hooks';
    refuses({ ATTENDANCE_WEBHOOKS: '{url: https://x}' }, /ATTENDANCE_WEBHOOKS: not JSON/);
    refuses({ ATTENDANCE_WEBHOOKS: JSON.stringify({ url, secret: SECRET }) }, /ATTENDANCE_WEBHOOKS: use a JSON array/);
    refuses({ ATTENDANCE_WEBHOOKS: '[]' }, /ATTENDANCE_WEBHOOKS: /);
    refuses({ ATTENDANCE_WEBHOOKS: JSON.stringify([{ url }]) }, /ATTENDANCE_WEBHOOKS\.0\.secret/);
    refuses({ ATTENDANCE_WEBHOOKS: JSON.stringify([{ url, secret: SECRET, sekret: 'typo' }]) }, /ATTENDANCE_WEBHOOKS\.0: .*sekret/);
    refuses(
      { ATTENDANCE_WEBHOOK_URL: url, ATTENDANCE_WEBHOOK_SECRET: SECRET, ATTENDANCE_WEBHOOKS: JSON.stringify([{ url, secret: secret() }]) },
      /listed twice/,
    );
  });

  it('refuses timings out of range, naming the variable', () => {
    refuses({ ATTENDANCE_WEBHOOK_TIMEOUT_S: '0' }, /ATTENDANCE_WEBHOOK_TIMEOUT_S/);
    refuses({ ATTENDANCE_WEBHOOK_FIRST_RETRY_S: 'soon' }, /ATTENDANCE_WEBHOOK_FIRST_RETRY_S/);
    refuses({ ATTENDANCE_WEBHOOK_POLL_S: '-1' }, /ATTENDANCE_WEBHOOK_POLL_S/);
  });
});
