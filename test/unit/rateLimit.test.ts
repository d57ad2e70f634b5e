/** The API's per-caller limiter: fixed one-minute windows, Retry-After to the window's end, bounded memory. */
import assert from 'node:assert/strict';
import type { Request } from 'restify';
import { loadConfig } from '../../bot/src/config.js';
import { callerKey, clientAddress, FixedWindowLimiter } from '../../bot/src/http/rateLimit.js';

describe('rate limiting (FixedWindowLimiter)', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets `limit` requests through per key and window, then says how long until the window ends', () => {
    const limiter = new FixedWindowLimiter(3, 60_000, clock);
    assert.deepEqual([1, 2, 3].map(() => limiter.take('ana').allowed), [true, true, true]);
    now += 20_500;
    assert.deepEqual(limiter.take('ana'), { allowed: false, retryAfterSeconds: 40 });
    assert.equal(limiter.take('bob').allowed, true, 'keys are counted apart');
    now += 39_499;
    assert.deepEqual(limiter.take('ana'), { allowed: false, retryAfterSeconds: 1 }, 'never less than 1 s');
    now += 1;
    assert.equal(limiter.take('ana').allowed, true, 'a new window');
  });

  it('keeps at most maxKeys keys, dropping finished windows first, then the oldest', () => {
    const limiter = new FixedWindowLimiter(1, 60_000, clock, 3);
    limiter.take('a');
    now += 30_000;
    limiter.take('b');
    limiter.take('c');
    now += 30_000; // a's window has ended
    limiter.take('d');
    assert.equal(limiter.size, 3);
    assert.equal(limiter.take('b').allowed, false, 'b is still counted');
    limiter.take('e'); // full of live windows: the oldest (b) goes
    assert.equal(limiter.size, 3);
    assert.equal(limiter.take('b').allowed, true);
  });

  it('keys callers by tenant and user object id, or tenant and app id', () => {
    assert.equal(callerKey({ kind: 'user', tenantId: 't1', objectId: 'o1' }), 'user|t1|o1');
    assert.equal(callerKey({ kind: 'app', tenantId: 't1', appId: 'a1', roles: [] }), 'app|t1|a1');
  });

  it('takes the client address from the last X-Forwarded-For hop, without its port, else from the connection', () => {
    const request = (forwarded: string | undefined, remoteAddress = '10.0.0.9') =>
      ({ header: (name: string) => (name === 'x-forwarded-for' ? forwarded : undefined), socket: { remoteAddress } }) as unknown as Request;
    assert.equal(clientAddress(request(undefined)), '10.0.0.9');
    assert.equal(clientAddress(request('198.51.100.1, 203.0.113.7:51234')), '203.0.113.7');
    assert.equal(clientAddress(request('[2001:db8::1]:443')), '2001:db8::1');
    assert.equal(clientAddress(request('2001:db8::1')), '2001:db8::1');
  });

  it('is configured by API_RATE_LIMIT_PER_MINUTE: 120 by default, 0 for none, and nothing negative', () => {
    const base = { ATTENDANCE_STORE: 'sqlite:/tmp/unused.db' };
    assert.equal(loadConfig(base).api.rateLimitPerMinute, 120);
    assert.equal(loadConfig({ ...base, API_RATE_LIMIT_PER_MINUTE: '0' }).api.rateLimitPerMinute, 0);
    assert.throws(() => loadConfig({ ...base, API_RATE_LIMIT_PER_MINUTE: '-1' }), /API_RATE_LIMIT_PER_MINUTE/);
    assert.throws(() => loadConfig({ ...base, API_RATE_LIMIT_PER_MINUTE: 'lots' }), /API_RATE_LIMIT_PER_MINUTE/);
  });
});
