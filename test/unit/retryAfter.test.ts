/**
 * Retry-After (bot/src/retryAfter.ts): the one reader the connector calls, the Graph client and the webhook
 * deliverer share. Every form Microsoft services and webhook receivers send is read; anything else is no
 * Retry-After at all, so the caller keeps its own backoff plan and never retries at once.
 */
import assert from 'node:assert/strict';
import { retryAfterMs, retryAfterSeconds } from '../../bot/src/retryAfter.js';

describe('Retry-After: every form Microsoft services send', () => {
  const now = new Date('2025-11-26T09:00:00.000Z');

  it('reads whole seconds, fractional seconds (Graph sends "2.128") and HTTP dates', () => {
    assert.equal(retryAfterMs('2', now), 2000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('2.128', now), 2128);
    assert.equal(retryAfterMs('Wed, 26 Nov 2025 09:00:05 GMT', now), 5000);
    assert.equal(retryAfterMs('Wed, 26 Nov 2025 08:59:00 GMT', now), 0, 'a date in the past: no wait');
  });

  it('gives undefined for what it cannot read, so the caller keeps its own plan', () => {
    for (const value of [undefined, null, '', '-1', 'soon', '2s', '1e3', '2025-11-26T09:00:05Z', 'Wed, 99 Foo 2025']) {
      assert.equal(retryAfterMs(value, now), undefined, String(value));
    }
  });

  it('reads Retry-After as seconds (fractions too) or as an HTTP date, and ignores anything else', () => {
    const now = new Date('2025-11-26T09:30:00.000Z');
    assert.equal(retryAfterSeconds('120', now), 120);
    assert.equal(retryAfterSeconds(' 2.128 ', now), 2.128);
    assert.equal(retryAfterSeconds('Wed, 26 Nov 2025 09:31:00 GMT', now), 60);
    assert.equal(retryAfterSeconds('Wed, 26 Nov 2025 09:00:00 GMT', now), 0);
    assert.equal(retryAfterSeconds(null, now), undefined);
    assert.equal(retryAfterSeconds('soon', now), undefined);
    assert.equal(retryAfterSeconds('-5', now), undefined);
  });

  it('reads Retry-After as whole or fractional seconds, or as an HTTP date in any of its three forms', () => {
    assert.equal(retryAfterSeconds('120', new Date()), 120);
    assert.equal(retryAfterSeconds('2.128', new Date()), 2.128);
    assert.equal(retryAfterSeconds(' 0.5 ', new Date()), 0.5);
    const inAMinute = new Date(Date.now() + 60_000);
    const [weekday = '', day = '', month = '', year = '', time = ''] = inAMinute.toUTCString().replace(',', '').split(' ');
    const longWeekday = inAMinute.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    for (const date of [
      inAMinute.toUTCString(),
      `${longWeekday}, ${day}-${month}-${year.slice(2)} ${time} GMT`,
      `${weekday} ${month} ${day.replace(/^0/, ' ')} ${time} ${year}`,
    ]) {
      const seconds = retryAfterSeconds(date, new Date()) ?? 0;
      assert.ok(seconds > 58 && seconds <= 60, `${date}: ${seconds}`);
    }
    assert.equal(retryAfterSeconds(new Date(Date.now() - 60_000).toUTCString(), new Date()), 0, 'a date gone by asks for no wait of its own');
  });

  it('reads anything else as no Retry-After at all (the backoff plan applies, never "retry now")', () => {
    for (const value of [null, '', 'soon', '-1', '1e3', '2,5', '.5', '2026-12-07T10:00:00Z', 'Mon, 07 Dec 2026']) {
      assert.equal(retryAfterSeconds(value, new Date()), undefined, String(value));
    }
  });
});
