/**
 * The connector gate (bot/src/teams/connectorCalls/): single flight per meeting and purpose, cached results,
 * a per-minute budget whatever the load, retries that honour Retry-After (each of its forms is read as
 * test/unit/retryAfter.test.ts shows), time limits, and a cap on calls in flight per instance. Driven with stand-in calls (no HTTP: the integration tests and
 * the join-storm benchmark show the same against a connector on 127.0.0.1).
 */
import assert from 'node:assert/strict';
import { ConnectorBudgetError, ConnectorBusyError, ConnectorTimeoutError } from '../../bot/src/teams/connectorCalls/connectorFailure.js';
import { ConnectorGate, type CallKey } from '../../bot/src/teams/connectorCalls/connectorGate.js';

const key: CallKey = { tenantId: 't', meetingId: 'm', purpose: 'meeting-details' };

/** An error shaped as botbuilder's HTTP pipeline throws it (@azure/core-rest-pipeline's RestError). */
function httpError(statusCode: number, retryAfter?: string): Error {
  const error = new Error(`status ${statusCode}`) as Error & { statusCode: number; response: { headers: { get(name: string): string | undefined } } };
  error.statusCode = statusCode;
  error.response = { headers: { get: (name) => (name.toLowerCase() === 'retry-after' ? retryAfter : undefined) } };
  return error;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('ConnectorGate', () => {
  let clock: number;
  let gate: ConnectorGate;
  beforeEach(() => {
    clock = Date.parse('2025-11-26T09:00:00.000Z');
    gate = new ConnectorGate({ maxConcurrentCalls: 4, maxQueued: 6, now: () => new Date(clock) });
  });

  it('lets concurrent callers of one meeting and purpose share one call', async () => {
    const answer = deferred<string>();
    let calls = 0;
    const call = () => {
      calls += 1;
      return answer.promise;
    };
    const callers = Array.from({ length: 20 }, () => gate.run(key, call));
    answer.resolve('details');
    assert.deepEqual(await Promise.all(callers), Array(20).fill('details'));
    assert.equal(calls, 1);
  });

  it('keeps calls of other meetings or purposes apart, and never shares posts', async () => {
    let calls = 0;
    const call = async () => ++calls;
    await Promise.all([
      gate.run(key, call),
      gate.run({ ...key, meetingId: 'other' }, call),
      gate.run({ ...key, purpose: 'chat-members' }, call),
      gate.run({ ...key, purpose: 'post' }, call, { shared: false }),
      gate.run({ ...key, purpose: 'post' }, call, { shared: false }),
    ]);
    assert.equal(calls, 5);
  });

  it('reuses a result for cacheMs, by the app clock, and calls again after', async () => {
    let calls = 0;
    const call = async () => ++calls;
    assert.equal(await gate.run(key, call, { cacheMs: 60_000 }), 1);
    clock += 59_000;
    assert.equal(await gate.run(key, call, { cacheMs: 60_000 }), 1);
    clock += 2000;
    assert.equal(await gate.run(key, call, { cacheMs: 60_000 }), 2);
  });

  it('makes at most perMinute attempts per meeting and purpose, then refuses at once until the minute has passed', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw httpError(500);
    };
    for (let round = 0; round < 5; round += 1) {
      await assert.rejects(gate.run(key, failing, { attempts: 1, perMinute: 3 }));
    }
    assert.equal(calls, 3);
    await assert.rejects(gate.run(key, failing, { attempts: 1, perMinute: 3 }), (error: unknown) => {
      assert.ok(error instanceof ConnectorBudgetError);
      assert.equal(error.retryAfterMs, 60_000);
      return true;
    });
    clock += 60_001;
    await assert.rejects(gate.run(key, failing, { attempts: 1, perMinute: 3 }), /status 500/);
    assert.equal(calls, 4);
  });

  it('tries again after the Retry-After a 429 names (fractional seconds too), and stops at the attempts limit', async () => {
    const startedAt: number[] = [];
    const throttled = async () => {
      startedAt.push(Date.now());
      throw httpError(429, '0.2');
    };
    await assert.rejects(gate.run(key, throttled, { attempts: 3, backoffMs: 10 }), /status 429/);
    assert.equal(startedAt.length, 3);
    for (let index = 1; index < startedAt.length; index += 1) {
      const waited = startedAt[index]! - startedAt[index - 1]!;
      assert.ok(waited >= 190, `waited ${waited} ms, Teams asked for 200`);
    }
  });

  it('falls back to its backoff when Retry-After is unreadable, and gives up at once when Teams asks for a longer wait than maxWaitMs', async () => {
    let calls = 0;
    const unreadable = async () => {
      calls += 1;
      if (calls === 1) throw httpError(429, 'later');
      return 'ok';
    };
    assert.equal(await gate.run(key, unreadable, { attempts: 2, backoffMs: 10 }), 'ok');
    let longCalls = 0;
    const longWait = async () => {
      longCalls += 1;
      throw httpError(429, '120');
    };
    const refused = gate.run({ ...key, purpose: 'other' }, longWait, { attempts: 3, maxWaitMs: 10_000 });
    await assert.rejects(refused, /status 429/);
    assert.equal(longCalls, 1, 'the caller reschedules instead of waiting two minutes');
  });

  it('does not try again what will not change (403, 404)', async () => {
    let calls = 0;
    const notFound = async () => {
      calls += 1;
      throw httpError(404);
    };
    await assert.rejects(gate.run(key, notFound, { attempts: 3, backoffMs: 1 }), /status 404/);
    assert.equal(calls, 1);
  });

  it('aborts an attempt that passes its time limit, and tries again', async () => {
    const signals: AbortSignal[] = [];
    const hanging = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => {});
    };
    await assert.rejects(gate.run(key, hanging, { attempts: 2, timeoutMs: 50, backoffMs: 10 }), ConnectorTimeoutError);
    assert.equal(signals.length, 2);
    assert.ok(signals.every((signal) => signal.aborted));
  });

  it('has at most maxConcurrentCalls attempts in flight on the instance; the rest wait their turn, up to maxQueued', async () => {
    const answers = Array.from({ length: 10 }, () => deferred<number>());
    let inFlight = 0;
    let most = 0;
    const callers = answers.map((answer, index) =>
      gate.run({ ...key, meetingId: `m${index}` }, async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const value = await answer.promise;
        inFlight -= 1;
        return value;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gate.stats().inFlight, 4);
    assert.equal(gate.stats().queued, 6);
    await assert.rejects(gate.run({ ...key, meetingId: 'one-too-many' }, async () => 0), ConnectorBusyError);
    answers.forEach((answer, index) => answer.resolve(index));
    assert.deepEqual(await Promise.all(callers), answers.map((_answer, index) => index));
    assert.equal(most, 4);
  });
});
