/**
 * Report: a meeting with 10,000 participants and 100,000 events. The pure core in this process (events →
 * sessions → Graph-shaped report → CSV), then the same meeting through the report API of a server process,
 * read from its SQLite store with an app token from a local JWKS.
 */
import { performance } from 'node:perf_hooks';
import { READ_ALL_ROLE } from '../../bot/src/attendance/access.js';
import { reportToCsv } from '../../bot/src/attendance/csv.js';
import type { AttendanceEvent } from '../../bot/src/attendance/events.js';
import { buildSessions, type MeetingSession } from '../../bot/src/attendance/ledger.js';
import { buildReport, type AttendanceReport } from '../../bot/src/attendance/report.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { newMeetingId } from '../../test/support/meeting.js';
import { bearer, TokenIssuer } from '../../test/support/tokens.js';
import { format, median, figure, type BenchmarkOutcome } from '../figures.js';
import { bigMeeting } from '../load/bigMeeting.js';
import { ScratchStore } from '../servers/scratchStore.js';
import { START_COMMAND, ServerProcess } from '../servers/serverProcess.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'Report';
const TARGET_MS = 1000;

/** Milliseconds of each of `repeats` calls after one warm-up call, and the last result. */
function timed<T>(repeats: number, work: () => T): { ms: number[]; result: T } {
  let result = work();
  const ms: number[] = [];
  for (let run = 0; run < repeats; run += 1) {
    const started = performance.now();
    result = work();
    ms.push(performance.now() - started);
  }
  return { ms, result };
}

async function timedAsync<T>(repeats: number, work: () => Promise<T>): Promise<{ ms: number[]; result: T }> {
  let result = await work();
  const ms: number[] = [];
  for (let run = 0; run < repeats; run += 1) {
    const started = performance.now();
    result = await work();
    ms.push(performance.now() - started);
  }
  return { ms, result };
}

export async function reportBenchmark(settings: BenchSettings['report']): Promise<BenchmarkOutcome> {
  const meeting = bigMeeting({ meetingId: newMeetingId(), participants: settings.participants, events: settings.events, startedAt: Date.now() - 5 * 3600_000 });
  // As the store hands them over: each event parsed from its stored JSON.
  const stored = JSON.parse(JSON.stringify(meeting.events)) as AttendanceEvent[];
  const now = new Date().toISOString();

  const ledger = timed(settings.repeats, () => buildSessions(stored));
  const session = ledger.result[0] as MeetingSession;
  const report = timed(settings.repeats, () => buildReport(session, meeting.record, now));
  const csv = timed(settings.repeats, () => reportToCsv(report.result));

  const http = await throughTheApi(settings, meeting);
  const records = report.result.attendanceRecords.length;
  const csvRows = csv.result.split('\r\n').length - 2;
  const complete = records === settings.participants && http.records === settings.participants && csvRows === settings.participants && http.csvRows === settings.participants;
  return {
    figures: [
      figure(NAME, 'events → Graph-shaped report (ledger + report)', format.ms(median(ledger.ms) + median(report.ms)), {
        target: `< ${format.ms(TARGET_MS)}`,
        met: median(ledger.ms) + median(report.ms) < TARGET_MS,
      }),
      figure(NAME, '… of which the ledger (buildSessions) / the report (buildReport)', `${format.ms(median(ledger.ms))} / ${format.ms(median(report.ms))}`),
      figure(NAME, 'report → CSV (reportToCsv)', format.ms(median(csv.ms))),
      figure(NAME, 'HTTP: GET …/attendanceReport (JSON)', `${format.ms(median(http.jsonMs))} (${format.mb(http.jsonBytes)})`),
      figure(NAME, 'HTTP: GET …/attendanceReport.csv', `${format.ms(median(http.csvMs))} (${format.mb(http.csvBytes)})`),
      figure(NAME, 'records in the report / JSON / CSV', `${format.count(records)} / ${format.count(http.records)} / ${format.count(http.csvRows)}`, {
        target: format.count(settings.participants),
        met: complete,
        correctness: true,
      }),
    ],
    method: [
      `${format.count(settings.participants)} participants, ${format.count(meeting.events.length)} events (a start, an end, ${Math.ceil((settings.events - 2) / 2 / settings.participants)} sessions per person) over four hours.`,
      `The pure functions of bot/src/attendance/ in the benchmark's process, on the events as the store hands them over (parsed from JSON): medians of ${settings.repeats} calls after one warm-up.`,
      `Through HTTP: the events in a SQLite store, a server process (\`${START_COMMAND}\`) and an app token (${READ_ALL_ROLE}) signed by a JWKS on 127.0.0.1;`,
      `each figure is the median of ${settings.httpRepeats} requests after one warm-up, from request to the last byte: the store read, the ledger, the report and its serialisation.`,
    ],
  };
}

async function throughTheApi(settings: BenchSettings['report'], meeting: ReturnType<typeof bigMeeting>) {
  const scratch = new ScratchStore('report');
  const store = new SqliteStore(scratch.dbPath);
  await store.appendEvents(meeting.events);
  await store.saveMeeting(meeting.record);
  await store.close();
  const issuer = await TokenIssuer.start();
  const server = await ServerProcess.start('attendance', scratch.env({ jwksUri: issuer.jwksUri }));
  try {
    const headers = bearer(await issuer.appToken({ roles: [READ_ALL_ROLE] }));
    const reportUrl = `${server.url}/api/meetings/${encodeURIComponent(meeting.record.meetingId)}/attendanceReport`;
    const get = async (url: string) => {
      const response = await fetch(url, { headers });
      const body = await response.text();
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
      return body;
    };
    const json = await timedAsync(settings.httpRepeats, () => get(reportUrl));
    const csv = await timedAsync(settings.httpRepeats, () => get(`${reportUrl}.csv`));
    return {
      jsonMs: json.ms,
      jsonBytes: Buffer.byteLength(json.result),
      records: (JSON.parse(json.result) as AttendanceReport).attendanceRecords.length,
      csvMs: csv.ms,
      csvBytes: Buffer.byteLength(csv.result),
      csvRows: csv.result.split('\r\n').length - 2,
    };
  } finally {
    await server.stop();
    await issuer.close();
    scratch.dispose();
  }
}
