import assert from 'node:assert/strict';
import { retryPlan } from '../../bot/src/reconciliation/retryPlan.js';
import type { PendingWork } from '../../bot/src/store/store.js';

const settings = { retrySeconds: 300, giveUpHours: 24 };
const scheduledAt = '2025-11-26T09:30:00.000Z';
const work = (attempts: number): PendingWork => ({
  tenantId: 't',
  meetingId: 'm',
  kind: 'reconcile-call-records',
  dueAt: scheduledAt,
  attempts,
  firstScheduledAt: scheduledAt,
});
const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000);
const waitMinutes = (plan: ReturnType<typeof retryPlan>, now: Date) => {
  assert.equal(plan.giveUp, false);
  return plan.giveUp ? NaN : (Date.parse(plan.dueAt) - now.getTime()) / 60_000;
};

describe('retryPlan: when to look for a call record again', () => {
  const now = minutesAfter(scheduledAt, 60);

  it('waits RECONCILE_RETRY_S after the first failure, doubling each time up to eight times as long', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10, 60].map((attempts) => waitMinutes(retryPlan(work(attempts), now, settings), now)),
      [5, 10, 20, 40, 40, 40, 40],
    );
  });

  it('waits at least as long as Retry-After asks', () => {
    assert.equal(waitMinutes(retryPlan(work(0), now, settings, 1800), now), 30);
    assert.equal(waitMinutes(retryPlan(work(0), now, settings, 10), now), 5);
  });

  it("waits a fractional Retry-After to the millisecond (Graph's throttling example says 2.128)", () => {
    const quick = { retrySeconds: 1, giveUpHours: 24 };
    const plan = retryPlan(work(0), now, quick, 2.128);
    assert.equal(plan.giveUp ? NaN : Date.parse(plan.dueAt) - now.getTime(), 2128);
  });

  it('keeps to the backoff when Retry-After is missing or asks for no wait: never "retry now"', () => {
    for (const retryAfter of [undefined, 0]) {
      assert.equal(waitMinutes(retryPlan(work(1), now, settings, retryAfter), now), 10, String(retryAfter));
    }
  });

  it('tries a last time at the deadline, then gives up', () => {
    const nearDeadline = minutesAfter(scheduledAt, 24 * 60 - 1);
    assert.deepEqual(retryPlan(work(9), nearDeadline, settings), { giveUp: false, dueAt: minutesAfter(scheduledAt, 24 * 60).toISOString() });
    assert.deepEqual(retryPlan(work(10), minutesAfter(scheduledAt, 24 * 60), settings), { giveUp: true });
  });
});
