/**
 * Memory: the resident memory (VmRSS) of a server process holding 200 live meetings of 50 participants each,
 * after their joins arrived through /api/messages, and again after each meeting's live report and side-panel
 * view were built once through the API.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { READ_ALL_ROLE } from '../../bot/src/attendance/access.js';
import { bearer, TokenIssuer } from '../../test/support/tokens.js';
import { format, figure, type BenchmarkOutcome } from '../figures.js';
import { MeetingActivities } from '../load/activities.js';
import { BenchConnector } from '../load/benchConnector.js';
import { loadTest } from '../load/loadTest.js';
import { ScratchStore } from '../servers/scratchStore.js';
import { START_COMMAND, ServerProcess } from '../servers/serverProcess.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'Memory';
const TARGET_BYTES = 200 * 1024 * 1024;
const READ_CONCURRENCY = 8;

export async function memoryBenchmark(settings: BenchSettings['memory']): Promise<BenchmarkOutcome> {
  const connector = await BenchConnector.start();
  const issuer = await TokenIssuer.start();
  const scratch = new ScratchStore('memory');
  const activities = new MeetingActivities(settings.meetings, connector.url);
  const joins = settings.meetings * settings.participantsPerMeeting;
  const startedAt = Date.now() - 3600_000;
  const server = await ServerProcess.start('attendance', scratch.env({ jwksUri: issuer.jwksUri }));
  try {
    await sleep(settings.settleMs);
    const idle = server.rssBytes();
    const ingest = await loadTest({
      url: server.url,
      // Meeting after meeting, one person at a time: every meeting fills up at once, as at the top of the hour.
      bodyFor: (index) =>
        activities.body({
          meeting: index % settings.meetings,
          person: Math.floor(index / settings.meetings),
          action: 'join',
          at: startedAt + Math.floor(index / settings.meetings) * 1000,
        }),
      requests: joins,
      maxSeconds: 300,
      connections: settings.connections,
    });
    await sleep(settings.settleMs);
    const afterIngest = server.rssBytes();

    // One caller per meeting (an LMS each), so the per-caller API rate limit never answers instead.
    const tokens = await Promise.all(
      activities.meetings.map((_, index) => issuer.appToken({ roles: [READ_ALL_ROLE], azp: `bench-reader-${index}` })),
    );
    let failedReads = 0;
    let recordsSeen = 0;
    const readMeeting = async (index: number) => {
      const base = `${server.url}/api/meetings/${encodeURIComponent(activities.meetingId(index))}`;
      for (const path of ['/attendanceReport', '/live']) {
        const response = await fetch(`${base}${path}`, { headers: bearer(tokens[index] ?? '') });
        const body = (await response.json()) as { attendanceRecords?: unknown[] };
        if (!response.ok) failedReads += 1;
        recordsSeen += body.attendanceRecords?.length ?? 0;
      }
    };
    for (let first = 0; first < settings.meetings; first += READ_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(READ_CONCURRENCY, settings.meetings - first) }, (_, offset) => first + offset);
      await Promise.all(batch.map(readMeeting));
    }
    await sleep(settings.settleMs);
    const afterReports = server.rssBytes();
    const peak = Math.max(afterIngest, afterReports);
    const ingestFailures = ingest.non2xx + ingest.errors + (joins - ingest.completed);
    return {
      figures: [
        figure(NAME, `RSS with ${settings.meetings} live meetings × ${settings.participantsPerMeeting}, after their joins`, format.mb(afterIngest)),
        figure(NAME, '… after each meeting’s live report and view once', format.mb(afterReports), {
          target: `< ${format.mb(TARGET_BYTES)}`,
          met: peak < TARGET_BYTES,
        }),
        figure(NAME, 'RSS of the idle server, for comparison', format.mb(idle)),
        figure(NAME, 'joins refused, failed or unsent / reports refused', `${format.count(ingestFailures)} / ${format.count(failedReads)}`, {
          target: '0 / 0',
          met: ingestFailures === 0 && failedReads === 0,
          correctness: true,
        }),
        figure(NAME, 'records in the reports', format.count(recordsSeen), { target: format.count(joins), met: recordsSeen === joins, correctness: true }),
      ],
      method: [
        `A server process (\`${START_COMMAND}\`, SQLite store); ${format.count(joins)} distinct joins posted to /api/messages over ${settings.connections} connections,`,
        `then GET …/attendanceReport and …/live for every meeting (app tokens from a JWKS on 127.0.0.1). VmRSS from /proc/<pid>/status, ${settings.settleMs} ms after each step.`,
      ],
    };
  } finally {
    await server.stop();
    await issuer.close();
    await connector.close();
    scratch.dispose();
  }
}
