/**
 * The follow-up job runner (bot/src/followUps/jobRunner.ts) on a real SQLite store: an item scheduled before the
 * answer runs right after it; one left by a stopped (or crashed) instance runs at the next start; a failed run is
 * rescheduled after the backoff or Teams' Retry-After, whichever is longer; one instance at a time runs an item.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRunner, type Job, type JobOutcome } from '../../bot/src/followUps/jobRunner.js';
import { createLogger } from '../../bot/src/log.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import type { PendingWork } from '../../bot/src/store/store.js';
import { waitFor } from '../support/waitFor.js';

const meeting = { tenantId: '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f', meetingId: 'MCMxOTptZWV0aW5nX1lUZ3l@thread.v2' };
const NOW = new Date('2025-11-26T09:30:00.000Z');
const settings = { pollSeconds: 0.05, retrySeconds: 60, giveUpHours: 1 };

describe('JobRunner: durable follow-up work', () => {
  let folder: string;
  let store: SqliteStore;
  const runners: JobRunner[] = [];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'attendance-jobs-'));
    store = new SqliteStore(join(folder, 'attendance.db'));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  function runnerWith(run: (work: PendingWork) => Promise<JobOutcome>): { runner: JobRunner; runs: PendingWork[] } {
    const runs: PendingWork[] = [];
    const job: Job = {
      kind: 'test-job',
      leaseMs: 45_000,
      run: async (work) => {
        runs.push(work);
        return run(work);
      },
    };
    const runner = new JobRunner({ store, logger: createLogger('silent'), now: () => NOW, jobs: [job], settings });
    runners.push(runner);
    return { runner, runs };
  }

  const pending = () => store.listDueWork('test-job', new Date(NOW.getTime() + 3_600_000), 10);

  it('runs an item right after scheduling it, with what the handler gave, and forgets it when done', async () => {
    const { runner, runs } = runnerWith(async () => ({ kind: 'done' }));
    await runner.schedule({ ...meeting, kind: 'test-job', replyToId: 'f:end-activity' });
    await waitFor('the run', async () => runs.length === 1 && (await pending()).length === 0);
    assert.equal(runs[0]?.replyToId, 'f:end-activity');
  });

  it('runs at start what a stopped instance left scheduled', async () => {
    const first = runnerWith(async () => new Promise<never>(() => {}));
    await first.runner.stop(); // stopped before it could run: the item stays in the store
    await first.runner.schedule({ ...meeting, kind: 'test-job' });
    assert.equal((await pending()).length, 1);
    const second = runnerWith(async () => ({ kind: 'done' }));
    second.runner.start();
    await waitFor('the run after the restart', async () => second.runs.length === 1 && (await pending()).length === 0);
  });

  it('reschedules a failed run after the backoff, or after a longer Retry-After', async () => {
    const { runner } = runnerWith(async () => ({ kind: 'retry', reason: 'Teams throttles', retryAfterMs: 300_000 }));
    await runner.schedule({ ...meeting, kind: 'test-job' });
    const [item] = await waitFor('the reschedule', async () => {
      const items = await pending();
      return items[0]?.attempts === 1 ? items : undefined;
    });
    assert.equal(item?.dueAt, new Date(NOW.getTime() + 300_000).toISOString());
    assert.equal(item?.lastError, 'Teams throttles');
  });

  it('lets one instance at a time run an item', async () => {
    let release!: () => void;
    const held = new Promise<JobOutcome>((resolve) => {
      release = () => resolve({ kind: 'done' });
    });
    const first = runnerWith(() => held);
    const second = runnerWith(async () => ({ kind: 'done' }));
    await first.runner.schedule({ ...meeting, kind: 'test-job' });
    await waitFor('the first run', () => first.runs.length === 1);
    second.runner.start();
    await new Promise((resolve) => setTimeout(resolve, 300)); // several polls of the second instance
    assert.equal(second.runs.length, 0);
    release();
    await waitFor('done', async () => (await pending()).length === 0);
    assert.equal(first.runs.length, 1);
  });
});
