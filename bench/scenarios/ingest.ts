/**
 * Ingest: participant join/leave activities per second through the real HTTP path (POST /api/messages, local
 * mode, SQLite in a temporary folder), beside the no-op bot on the same restify + botbuilder stack and the
 * store-only bot (the no-op plus a durable store write). The servers run at once in their own processes,
 * warmed up, then measured in turn, round by round, so that a noisy moment on the machine hits all of them;
 * every request is a distinct activity.
 */
import { format, median, figure, type BenchmarkOutcome, type Figure } from '../figures.js';
import { MeetingActivities, type PlannedActivity } from '../load/activities.js';
import { BenchConnector } from '../load/benchConnector.js';
import { loadTest, type LoadResult } from '../load/loadTest.js';
import { ScratchStore } from '../servers/scratchStore.js';
import { START_COMMAND, ServerProcess } from '../servers/serverProcess.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'Ingest';
const TARGET_RATIO = 0.8;

interface Contender {
  server: ServerProcess;
  /** The next activity of the plan for this server: each server sees each activity once. */
  next: number;
  /** 2xx answers over every run, warm-up included. */
  answered: number;
  runs: Run[];
  /** The rounds with `busyConnections`. */
  busyRuns: Run[];
}

type Run = LoadResult & { cpuMsPerRequest: number };

/** A request cut off at a run's time limit may be stored without its answer arriving: stored ≥ answered. */
function storedFigure(server: string, stored: number, answered: number): Figure {
  return figure(NAME, `${server}: events stored / activities acknowledged`, `${format.count(stored)} / ${format.count(answered)}`, {
    target: 'every acknowledged one stored',
    met: stored >= answered,
    correctness: true,
  });
}

export async function ingestBenchmark(settings: BenchSettings['ingest']): Promise<BenchmarkOutcome> {
  const connector = await BenchConnector.start();
  const activities = new MeetingActivities(settings.meetings, connector.url);
  const startedAt = Date.now() - 3600_000;
  // Meeting after meeting, everyone joins in turn, then everyone leaves, then joins again, a second apart.
  const planned = (index: number): PlannedActivity => {
    const meeting = index % settings.meetings;
    const turn = Math.floor(index / settings.meetings);
    const round = Math.floor(turn / settings.peoplePerMeeting);
    return { meeting, person: turn % settings.peoplePerMeeting, action: round % 2 === 0 ? 'join' : 'leave', at: startedAt + turn * 1000 };
  };
  const kinds = ['noop', 'storeOnly', 'attendance'] as const;
  const stores = { noop: new ScratchStore('ingest-noop'), storeOnly: new ScratchStore('ingest-store-only'), attendance: new ScratchStore('ingest-ours') };
  const contenders: Contender[] = [];
  try {
    const started = await Promise.allSettled(kinds.map((kind) => ServerProcess.start(kind, stores[kind].env())));
    for (const server of started) {
      if (server.status === 'fulfilled') contenders.push({ server: server.value, next: 0, answered: 0, runs: [], busyRuns: [] });
    }
    const failed = started.find((server): server is PromiseRejectedResult => server.status === 'rejected');
    if (failed) throw failed.reason;
    const run = async (contender: Contender, seconds: number, connections = settings.connections): Promise<Run> => {
      const offset = contender.next;
      const cpuBefore = contender.server.cpuSeconds();
      const result = await loadTest({
        url: contender.server.url,
        bodyFor: (index) => activities.body(planned(offset + index)),
        requests: settings.maxRequestsPerRound,
        maxSeconds: seconds,
        connections,
      });
      // Activities sent but never answered (cut off at the time limit) are skipped, not resent.
      contender.next = offset + result.built;
      contender.answered += result.ok;
      return { ...result, cpuMsPerRequest: ((contender.server.cpuSeconds() - cpuBefore) * 1000) / Math.max(1, result.completed) };
    };
    // Warm-up: the JIT, SQLite's page cache, and each meeting's first activity (Teams' details fetched once).
    for (const contender of contenders) await run(contender, settings.warmupSeconds);
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const contender of contenders) contender.runs.push(await run(contender, settings.secondsPerRound));
    }
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const contender of contenders) contender.busyRuns.push(await run(contender, settings.secondsPerRound, settings.busyConnections));
    }
  } finally {
    await Promise.all(contenders.map((contender) => contender.server.stop()));
    await connector.close();
  }
  const [noop, storeOnly, ours] = contenders as [Contender, Contender, Contender];
  let stored: number;
  let storedByStoreOnly: number;
  try {
    stored = stores.attendance.countEvents();
    storedByStoreOnly = stores.storeOnly.countEvents();
  } finally {
    for (const store of Object.values(stores)) store.dispose();
  }
  const summary = (runs: readonly Run[]) => ({
    perSecond: median(runs.map((result) => result.okPerSecond)),
    p50: median(runs.map((result) => result.p50Ms)),
    p99: median(runs.map((result) => result.p99Ms)),
    cpuMs: median(runs.map((result) => result.cpuMsPerRequest)),
    failed: runs.reduce((sum, result) => sum + result.non2xx + result.errors, 0),
  });
  const ourFigures = summary(ours.runs);
  const noopFigures = summary(noop.runs);
  const ratio = ourFigures.perSecond / noopFigures.perSecond;
  const ourBusy = summary(ours.busyRuns);
  const noopBusy = summary(noop.busyRuns);
  const busyRatio = ourBusy.perSecond / noopBusy.perSecond;
  const storeFigures = summary(storeOnly.runs);
  const storeBusy = summary(storeOnly.busyRuns);
  const failed = [ourFigures, noopFigures, storeFigures, ourBusy, noopBusy, storeBusy].reduce((sum, figures) => sum + figures.failed, 0);
  const busy = `at ${settings.busyConnections} connections`;
  return {
    figures: [
      figure(NAME, 'ours: activities per second', format.perSecond(ourFigures.perSecond)),
      figure(NAME, 'ours: latency p50 / p99', `${format.ms(ourFigures.p50)} / ${format.ms(ourFigures.p99)}`),
      figure(NAME, 'no-op bot: activities per second', format.perSecond(noopFigures.perSecond)),
      figure(NAME, 'no-op bot: latency p50 / p99', `${format.ms(noopFigures.p50)} / ${format.ms(noopFigures.p99)}`),
      figure(NAME, 'ours / no-op throughput', format.ratio(ratio), { target: `≥ ${TARGET_RATIO}×`, met: ratio >= TARGET_RATIO }),
      figure(NAME, 'server CPU per activity: ours / no-op', `${format.ms(ourFigures.cpuMs)} / ${format.ms(noopFigures.cpuMs)}`),
      figure(NAME, 'store-only bot: activities per second, / no-op', `${format.perSecond(storeFigures.perSecond)}, ${format.ratio(storeFigures.perSecond / noopFigures.perSecond)}`),
      figure(NAME, `${busy}: ours / no-op activities per second`, `${format.perSecond(ourBusy.perSecond)} / ${format.perSecond(noopBusy.perSecond)}`),
      figure(NAME, `${busy}: latency p50 / p99, ours / no-op`, `${format.ms(ourBusy.p50)} / ${format.ms(ourBusy.p99)}, ${format.ms(noopBusy.p50)} / ${format.ms(noopBusy.p99)}`),
      figure(NAME, `${busy}: ours / no-op throughput`, format.ratio(busyRatio)),
      figure(NAME, `${busy}: store-only bot / no-op throughput`, format.ratio(storeBusy.perSecond / noopBusy.perSecond)),
      figure(NAME, 'non-2xx or failed requests', format.count(failed), { target: '0', met: failed === 0, correctness: true }),
      storedFigure('ours', stored, ours.answered),
      storedFigure('store-only bot', storedByStoreOnly, storeOnly.answered),
    ],
    method: [
      `${settings.meetings} meetings of ${settings.peoplePerMeeting} people; each request a distinct join or leave (its own activity id, person and timestamp).`,
      `${settings.connections} connections, as fast as the server answers; ${settings.warmupSeconds} s warm-up, then ${settings.rounds} rounds of ${settings.secondsPerRound} s in which no-op, store-only and ours take turns; medians of the rounds. Then the same rounds with ${settings.busyConnections} connections.`,
      `Ours: \`${START_COMMAND}\` (as \`npm start\` runs it; LOG_LEVEL=info, logs drained from a pipe), SQLite with WAL and synchronous=FULL, written by its writer thread; Teams' meeting details come from a connector on 127.0.0.1, once per meeting.`,
      'No-op: bench/servers/noopServer.ts with the same Node options, the same compiled createServer, CloudAdapter, messages route and store, with a bot that returns at once.',
      "Store-only: the same no-op server whose bot does only the part of ours that needs the disk: the app's parser, then the store's appendEvents (the writer thread's durable commit).",
    ],
  };
}
