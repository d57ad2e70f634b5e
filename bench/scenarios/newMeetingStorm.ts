/**
 * Join storm on new meetings while Teams is down or throttling: several classes start at the top of the
 * hour, each with hundreds of joins for a meeting the bot has not seen, 20 at a time, while the connector at
 * the activities' serviceUrl hangs (accepts connections, never answers) or answers 429 with Retry-After: 2.
 * The answer to Teams must not wait for the connector (ack p99), and the bot must not stampede it
 * (meeting-details calls per meeting).
 */
import { format, figure, type BenchmarkOutcome, type Figure } from '../figures.js';
import { MeetingActivities } from '../load/activities.js';
import { BenchConnector, THROTTLE_RETRY_AFTER_S, type ConnectorBehaviour } from '../load/benchConnector.js';
import { ScratchStore } from '../servers/scratchStore.js';
import { START_COMMAND, ServerProcess } from '../servers/serverProcess.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'New-meeting storm';
const TARGET_P99_MS = 100;
const TARGET_DETAILS_CALLS = 3;
const WARMUP_MEETINGS = 5;
const BEHAVIOURS: { behaviour: ConnectorBehaviour; label: string; reference?: true }[] = [
  // The same storm with a connector that answers at once: this machine's own figure at this moment, to compare.
  { behaviour: 'answer', label: 'connector answers (reference)', reference: true },
  { behaviour: 'hang', label: 'connector hangs' },
  { behaviour: 'throttle', label: `connector answers 429, Retry-After: ${THROTTLE_RETRY_AFTER_S}` },
];

interface StormRun {
  latencies: number[];
  failed: number;
  stored: number;
  detailsCalls: number[];
}

export async function newMeetingStormBenchmark(settings: BenchSettings['newMeetingStorm']): Promise<BenchmarkOutcome> {
  const figures: Figure[] = [];
  for (const { behaviour, label, reference } of BEHAVIOURS) {
    const run = await stormAgainst(behaviour, settings);
    const p99 = percentile(run.latencies, 0.99);
    const mostCalls = Math.max(...run.detailsCalls);
    const sent = settings.meetings * settings.joinsPerMeeting;
    const latency = `${format.ms(percentile(run.latencies, 0.5))} / ${format.ms(p99)}`;
    figures.push(
      reference
        ? figure(NAME, `${label}: ack p50 / p99`, latency)
        : figure(NAME, `${label}: ack p50 / p99`, latency, { target: `p99 < ${TARGET_P99_MS} ms`, met: p99 < TARGET_P99_MS }),
      figure(NAME, `${label}: meeting-details calls per meeting`, run.detailsCalls.join(', '), {
        target: `≤ ${TARGET_DETAILS_CALLS}`,
        met: mostCalls <= TARGET_DETAILS_CALLS,
      }),
      figure(NAME, `${label}: joins acknowledged and stored / sent`, `${format.count(run.stored)} / ${format.count(sent)}`, {
        target: format.count(sent),
        met: run.failed === 0 && run.stored === sent,
        correctness: true,
      }),
    );
  }
  return {
    figures,
    method: [
      `${settings.meetings} meetings the server has not seen, ${format.count(settings.joinsPerMeeting)} joins each (one person per join), interleaved and sent`,
      `${settings.atOnce} at a time (closed loop: a new join as soon as one is answered), once with a connector that accepts connections and never`,
      `answers, once with one that answers every meeting-details request with 429 and Retry-After: ${THROTTLE_RETRY_AFTER_S}, and first, for reference, with one`,
      'that answers at once (what the machine gives at that moment). Latency is from sending a join to its 2xx.',
      `Meeting-details calls are counted by the connector per meeting, ${settings.settleSeconds} s after the storm (the bot's retries included).`,
      `A fresh server process (\`${START_COMMAND}\`) on a new SQLite file for each connector, warmed up with ${format.count(settings.warmupJoins)} joins of ${WARMUP_MEETINGS} other meetings.`,
    ],
  };
}

async function stormAgainst(behaviour: ConnectorBehaviour, settings: BenchSettings['newMeetingStorm']): Promise<StormRun> {
  const connector = await BenchConnector.start(behaviour);
  const store = new ScratchStore(`new-meetings-${behaviour}`);
  const activities = new MeetingActivities(settings.meetings, connector.url);
  const startedAt = Date.now() - 60_000;
  const warmup = new MeetingActivities(WARMUP_MEETINGS, connector.url);
  const server = await ServerProcess.start('attendance', store.env());
  const run: StormRun = { latencies: [], failed: 0, stored: 0, detailsCalls: [] };
  try {
    const send = async (body: string, record: boolean) => {
      const sentAt = performance.now();
      try {
        const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        await response.arrayBuffer();
        if (!response.ok && record) run.failed += 1;
      } catch {
        if (record) run.failed += 1;
      }
      if (record) run.latencies.push(performance.now() - sentAt);
    };
    // Warm-up on other meetings (same connector), not measured: a fresh process compiles its hot paths first.
    await inTurns(settings.warmupJoins, settings.atOnce, (index) =>
      send(warmup.body({ meeting: index % WARMUP_MEETINGS, person: index, action: 'join', at: startedAt - 600_000 + index }), false),
    );
    await inTurns(settings.meetings * settings.joinsPerMeeting, settings.atOnce, (index) =>
      send(activities.body({ meeting: index % settings.meetings, person: Math.floor(index / settings.meetings), action: 'join', at: startedAt + index }), true),
    );
    await new Promise((resolve) => setTimeout(resolve, settings.settleSeconds * 1000));
    run.detailsCalls = activities.meetings.map((meeting) => connector.meetingInfoCallsOf.get(meeting.meetingId) ?? 0);
  } finally {
    await server.stop();
    await connector.close();
  }
  try {
    run.stored = activities.meetings.reduce((sum, meeting) => sum + store.countEvents(meeting.meetingId), 0);
  } finally {
    store.dispose();
  }
  run.latencies.sort((a, b) => a - b);
  return run;
}

/** Calls `send` for 0 … count-1, `atOnce` at a time: a new one as soon as one is answered. */
async function inTurns(count: number, atOnce: number, send: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}
