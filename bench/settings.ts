/**
 * How big each benchmark is: the full run (`npm run bench`) with the sizes the issue names, and the smoke run
 * (`npm run bench -- --smoke`, or BENCH_SMOKE=1) that CI runs in a few seconds to show the benchmark works.
 */
export interface BenchSettings {
  smoke: boolean;
  ingest: {
    meetings: number;
    peoplePerMeeting: number;
    connections: number;
    /**
     * The same rounds again with this many connections: activities of many meetings arriving at once, as
     * Teams delivers them to a busy bot. Group commit makes one fsync serve more of them.
     */
    busyConnections: number;
    warmupSeconds: number;
    /** Measured runs alternate between the no-op bot and ours, so a slow moment hits both alike. */
    rounds: number;
    secondsPerRound: number;
    /** An upper bound on requests per run, whatever the speed. */
    maxRequestsPerRound: number;
  };
  storm: {
    warmupSeconds: number;
    bigMeetingJoins: number;
    otherMeetings: number;
    otherMeetingEvents: number;
    seconds: number;
    connections: number;
  };
  /** Joins for meetings the server has not seen while the connector hangs or throttles (newMeetingStorm.ts). */
  newMeetingStorm: {
    meetings: number;
    joinsPerMeeting: number;
    atOnce: number;
    /** Joins of other meetings sent first, not measured. */
    warmupJoins: number;
    /** How long after the storm the connector's calls are counted (the bot's retries take that long). */
    settleSeconds: number;
  };
  report: { participants: number; events: number; repeats: number; httpRepeats: number };
  /** `settleMs`: a pause before each memory reading, for the server to finish what is queued. */
  memory: { meetings: number; participantsPerMeeting: number; connections: number; settleMs: number };
  /**
   * A live meeting of `participants`, `viewers` of them polling …/live every `pollEverySeconds` (the organizer and
   * `presenters` see everyone, the rest their own row) for `seconds`, beside a join storm in another meeting; then
   * `throughputSeconds` of autocannon per kind of poll. `warmupSeconds` of joins in other meetings first, as the
   * join storm's, so the join acks measured are those of a server under the polls, not of one starting.
   */
  sidePanel: {
    warmupSeconds: number;
    participants: number;
    presenters: number;
    viewers: number;
    pollEverySeconds: number;
    seconds: number;
    stormJoinsPerSecond: number;
    churnPerSecond: number;
    throughputSeconds: number;
    connections: number;
  };
  /** `reuseBuild`: measure tab/dist as built (CI's browser tests just built it) rather than building it again. */
  tab: { runs: number; reuseBuild: boolean };
}

const FULL: BenchSettings = {
  smoke: false,
  ingest: { meetings: 50, peoplePerMeeting: 200, connections: 10, busyConnections: 50, warmupSeconds: 3, rounds: 3, secondsPerRound: 6, maxRequestsPerRound: 200_000 },
  storm: { warmupSeconds: 2, bigMeetingJoins: 1000, otherMeetings: 50, otherMeetingEvents: 1000, seconds: 10, connections: 50 },
  newMeetingStorm: { meetings: 3, joinsPerMeeting: 300, atOnce: 20, warmupJoins: 500, settleSeconds: 12 },
  report: { participants: 10_000, events: 100_000, repeats: 5, httpRepeats: 3 },
  memory: { meetings: 200, participantsPerMeeting: 50, connections: 10, settleMs: 1000 },
  sidePanel: { warmupSeconds: 2, participants: 1000, presenters: 9, viewers: 500, pollEverySeconds: 2, seconds: 20, stormJoinsPerSecond: 100, churnPerSecond: 2, throughputSeconds: 5, connections: 10 },
  tab: { runs: 5, reuseBuild: false },
};

const SMOKE: BenchSettings = {
  smoke: true,
  ingest: { meetings: 5, peoplePerMeeting: 20, connections: 4, busyConnections: 8, warmupSeconds: 0.5, rounds: 1, secondsPerRound: 1, maxRequestsPerRound: 5_000 },
  storm: { warmupSeconds: 0.5, bigMeetingJoins: 100, otherMeetings: 5, otherMeetingEvents: 50, seconds: 1, connections: 10 },
  newMeetingStorm: { meetings: 2, joinsPerMeeting: 40, atOnce: 20, warmupJoins: 40, settleSeconds: 1 },
  report: { participants: 500, events: 5_000, repeats: 1, httpRepeats: 1 },
  memory: { meetings: 10, participantsPerMeeting: 5, connections: 4, settleMs: 100 },
  sidePanel: { warmupSeconds: 0.2, participants: 50, presenters: 2, viewers: 20, pollEverySeconds: 1, seconds: 2, stormJoinsPerSecond: 20, churnPerSecond: 2, throughputSeconds: 1, connections: 4 },
  tab: { runs: 1, reuseBuild: true },
};

export function benchSettings(argv: readonly string[], env: NodeJS.ProcessEnv): BenchSettings {
  const smoke = argv.includes('--smoke') || ['1', 'true', 'yes'].includes(env['BENCH_SMOKE'] ?? '');
  return smoke ? SMOKE : FULL;
}
