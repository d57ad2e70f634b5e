/**
 * Join storm: a big meeting where everyone joins within seconds (a lecture starting) while other meetings go
 * on, paced as Teams would deliver it (a fixed rate, latencies corrected for coordinated omission). Every
 * activity must be acknowledged and stored.
 */
import { format, figure, type BenchmarkOutcome } from '../figures.js';
import { MeetingActivities, type PlannedActivity } from '../load/activities.js';
import { BenchConnector } from '../load/benchConnector.js';
import { pacedLoad } from '../load/pacedLoad.js';
import { warmUpWithJoins } from '../load/warmUp.js';
import { ScratchStore } from '../servers/scratchStore.js';
import { START_COMMAND, ServerProcess } from '../servers/serverProcess.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'Join storm';
const TARGET_P99_MS = 50;

/** The big meeting is meeting 0; the others take turns. Big-meeting joins and the rest are evenly interleaved. */
export function stormPlan(settings: BenchSettings['storm'], startedAt: number): PlannedActivity[] {
  const total = settings.bigMeetingJoins + settings.otherMeetingEvents;
  const spacingMs = (settings.seconds * 1000) / total;
  const perOtherMeeting = Math.ceil(settings.otherMeetingEvents / settings.otherMeetings);
  const plan: PlannedActivity[] = [];
  let big = 0;
  let other = 0;
  for (let index = 0; index < total; index += 1) {
    const at = Math.round(startedAt + index * spacingMs);
    const bigDue = Math.floor(((index + 1) * settings.bigMeetingJoins) / total) > big;
    if (bigDue || other >= settings.otherMeetingEvents) {
      plan.push({ meeting: 0, person: big, action: 'join', at });
      big += 1;
    } else {
      // Each other meeting: its first half of people join, then they leave in the same order.
      const meeting = 1 + (other % settings.otherMeetings);
      const turn = Math.floor(other / settings.otherMeetings);
      const half = Math.ceil(perOtherMeeting / 2);
      plan.push({ meeting, person: turn % half, action: turn < half ? 'join' : 'leave', at });
      other += 1;
    }
  }
  return plan;
}

export async function joinStormBenchmark(settings: BenchSettings['storm']): Promise<BenchmarkOutcome> {
  const connector = await BenchConnector.start();
  const store = new ScratchStore('storm');
  const startedAt = Date.now() - 60_000;
  const storm = new MeetingActivities(1 + settings.otherMeetings, connector.url);
  const plan = stormPlan(settings, startedAt);
  const server = await ServerProcess.start('attendance', store.env());
  let result;
  let bigMeetingStored: number;
  try {
    await warmUpWithJoins({ url: server.url, connectorUrl: connector.url, seconds: settings.warmupSeconds, firstAt: startedAt - 600_000 });
    result = await pacedLoad({
      url: server.url,
      bodyFor: (index) => {
        const planned = plan[index];
        if (!planned) throw new Error(`the storm plan has no activity ${index}`);
        return storm.body(planned);
      },
      requests: plan.length,
      ratePerSecond: plan.length / settings.seconds,
      connections: settings.connections,
      timeoutMs: 10_000,
    });
  } finally {
    await server.stop();
    await connector.close();
  }
  try {
    bigMeetingStored = store.countEvents(storm.meetingId(0));
  } finally {
    store.dispose();
  }
  const failed = result.non2xx + result.errors;
  return {
    figures: [
      figure(NAME, 'latency p99', format.ms(result.p99Ms), { target: `< ${TARGET_P99_MS} ms`, met: result.p99Ms < TARGET_P99_MS }),
      figure(NAME, 'latency p50 / max', `${format.ms(result.p50Ms)} / ${format.ms(result.maxMs)}`),
      figure(NAME, 'activities acknowledged / sent', `${format.count(result.ok)} / ${format.count(plan.length)} in ${result.seconds.toFixed(1)} s`),
      figure(NAME, 'non-2xx or failed requests', format.count(failed), { target: '0', met: failed === 0, correctness: true }),
      figure(NAME, 'big meeting: joins stored', format.count(bigMeetingStored), {
        target: format.count(settings.bigMeetingJoins),
        met: bigMeetingStored === settings.bigMeetingJoins,
        correctness: true,
      }),
    ],
    method: [
      `${format.count(settings.bigMeetingJoins)} people join one meeting within ${settings.seconds} s while ${format.count(settings.otherMeetingEvents)} joins and leaves are spread over ${settings.otherMeetings} other meetings in the same seconds, interleaved:`,
      `${format.count(plan.length)} distinct activities sent open-loop, evenly paced at ${format.count(plan.length / settings.seconds)} per second (bench/load/pacedLoad.ts), over up to ${settings.connections} keep-alive connections;`,
      'each latency runs from the moment the activity was due to its answer, so a server falling behind shows (no coordinated omission).',
      `Every meeting is new to the server when the storm begins (Teams' details are fetched during it). A fresh server process (\`${START_COMMAND}\`), warmed up for ${settings.warmupSeconds} s on other meetings.`,
    ],
  };
}
