import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nextAttemptAt } from '../../bot/src/webhooks/retrySchedule.js';

const createdAt = '2025-11-26T09:30:00.000Z';
const middle = () => 0.5; // no jitter
const secondsAfter = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

describe('webhook retry schedule (Standard Webhooks)', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then every 10 h, and gives up 24 h after the event', () => {
    let now = new Date(createdAt);
    const waits: number[] = [];
    for (let attempts = 1; attempts < 20; attempts += 1) {
      const next = nextAttemptAt({ createdAt, attempts, now, firstRetrySeconds: 5, random: middle });
      if (!next) break;
      waits.push((next.getTime() - now.getTime()) / 1000);
      now = next;
    }
    assert.deepEqual(waits, [5, 300, 1800, 7200, 18000, 36000]);
    assert.equal(nextAttemptAt({ createdAt, attempts: 7, now: secondsAfter(createdAt, 3600), firstRetrySeconds: 5, random: middle })?.toISOString(), '2025-11-26T20:30:00.000Z');
  });

  it('takes the first wait from the settings (tests shorten it)', () => {
    const next = nextAttemptAt({ createdAt, attempts: 1, now: new Date(createdAt), firstRetrySeconds: 0.3, random: middle });
    assert.equal(next?.getTime(), Date.parse(createdAt) + 300);
  });

  it('jitters each wait by at most 10 %, and never waits less than Retry-After', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.option(fc.integer({ min: 0, max: 3600 })), (attempts, random, retryAfter) => {
        const now = secondsAfter(createdAt, 10);
        const plain = nextAttemptAt({ createdAt, attempts, now, firstRetrySeconds: 5, random: middle });
        const next = nextAttemptAt({ createdAt, attempts, now, firstRetrySeconds: 5, random: () => random, ...(retryAfter === null ? {} : { retryAfterSeconds: retryAfter }) });
        if (!plain || !next) return true;
        const scheduled = plain.getTime() - now.getTime();
        const wait = next.getTime() - now.getTime();
        assert.ok(wait >= Math.max(scheduled * 0.9, (retryAfter ?? 0) * 1000) - 1, `${wait} ms`);
        assert.ok(wait <= Math.max(scheduled * 1.1, (retryAfter ?? 0) * 1000) + 1, `${wait} ms`);
        return true;
      }),
    );
  });

  it('gives up when Retry-After reaches past the 24 hours', () => {
    assert.equal(nextAttemptAt({ createdAt, attempts: 1, now: new Date(createdAt), firstRetrySeconds: 5, retryAfterSeconds: 25 * 3600 }), undefined);
  });

});
