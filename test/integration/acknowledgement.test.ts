/**
 * The answer to Teams depends on the durable write alone. A join storm on meetings the bot has not seen yet
 * (a top-of-the-hour class: 20 joins at a time), while Teams' connector hangs or throttles (429 with
 * Retry-After: 2): every join is acknowledged at once and stored, and the bot asks for each meeting's details
 * at most 3 times. What must follow the answer (the end-of-meeting summary) is still posted exactly once,
 * also when the process is killed between the answer and the post.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../support/appProcess.js';
import { adaptiveCardOf } from '../support/cards.js';
import { useTestServices } from '../support/environment.js';
import { stormPerson } from '../support/eventStorm.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob } from '../support/people.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';
import { CLIENT_ID } from '../support/tokens.js';
import { settle, waitFor } from '../support/waitFor.js';

const JOINS_PER_MEETING = 100;
const AT_ONCE = 20;
/** Generous for a loaded 2-core CI machine; the bot's own share is a few milliseconds (see docs/benchmarks.md). */
const P99_LIMIT_MS = 750;
/** The shortest the bot would wait for this connector: Retry-After: 2. */
const CONNECTOR_WAIT_MS = 2000;
const MAX_DETAILS_CALLS = 3;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

describe('acknowledgements depend on the durable write alone', function () {
  this.timeout(120_000);

  describe('a join storm on new meetings while the connector hangs or throttles', () => {
    const services = useTestServices();
    let directory: string;
    let app: AppProcess;
    const meetings: { name: string; meeting: TeamsMeeting }[] = [];
    const latencies: number[] = [];
    const baselineLatencies: number[] = [];
    const statuses: number[] = [];
    const env = {
      get connector() {
        return services.connector;
      },
      get tokens() {
        return services.tokens;
      },
      get url() {
        return app.url;
      },
      /** The app's log lines at `level` or above whose message contains `text`. */
      logsMatching(text: string, level: number) {
        return app.logs.filter((line) => line.level >= level && line.msg.includes(text));
      },
    };

    after(async () => {
      await app?.stop();
      rmSync(directory, { recursive: true, force: true });
    });

    before(async () => {
      // Its own process, as in production: the load generator here does not share the server's event loop. The
      // file is in memory where the machine has it (/dev/shm): this test is about what the answer waits for, not
      // the disk's fsync time, which a busy CI disk makes vary tenfold (crashSafety.test.ts covers durability).
      directory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'attendance-storm-'));
      app = await AppProcess.start({
        ATTENDANCE_STORE: `sqlite:${join(directory, 'attendance.db')}`,
        AAD_APP_CLIENT_ID: CLIENT_ID,
        AAD_JWKS_URI: services.tokens.jwksUri,
        SAMPLE_INTERVAL_S: '3600',
        LOG_LEVEL: 'info',
      });
      const hanging = new TeamsMeeting(() => env.url, env.connector.url);
      const throttled = new TeamsMeeting(() => env.url, env.connector.url);
      const answering = new TeamsMeeting(() => env.url, env.connector.url);
      env.connector.scriptMeetingInfo(hanging.meetingId, 'hang');
      env.connector.scriptMeetingInfo(throttled.meetingId, { status: 429, retryAfter: String(CONNECTOR_WAIT_MS / 1000) });
      meetings.push({ name: 'hanging', meeting: hanging }, { name: 'throttled', meeting: throttled }, { name: 'answering', meeting: answering });
      // The same storm on three other new meetings whose details come at once: this machine's own figure, now.
      const baseline = Array.from({ length: meetings.length }, () => new TeamsMeeting(() => env.url, env.connector.url));
      baselineLatencies.push(...(await storm(baseline)).latencies);
      const measured = await storm(meetings.map(({ meeting }) => meeting));
      latencies.push(...measured.latencies);
      statuses.push(...measured.statuses);
    });

    /** 100 joins per meeting, interleaved as joins of several classes starting at the same hour arrive, 20 at a time. */
    async function storm(targets: TeamsMeeting[]): Promise<{ latencies: number[]; statuses: number[] }> {
      const joins = targets.flatMap((meeting) =>
        Array.from({ length: JOINS_PER_MEETING }, (_unused, index) => meeting.joined(on(`09:00:${String(index % 60).padStart(2, '0')}.${String(index).padStart(3, '0')}`), [stormPerson(index)])),
      );
      const order = joins.map((_join, index) => (index % targets.length) * JOINS_PER_MEETING + Math.floor(index / targets.length));
      const result = { latencies: [] as number[], statuses: [] as number[] };
      let next = 0;
      const worker = async () => {
        while (next < order.length) {
          const activity = joins[order[next++] as number];
          const startedAt = performance.now();
          const response = await postActivity(env.url, activity);
          await response.arrayBuffer();
          result.latencies.push(performance.now() - startedAt);
          result.statuses.push(response.status);
        }
      };
      await Promise.all(Array.from({ length: AT_ONCE }, worker));
      result.latencies.sort((a, b) => a - b);
      return result;
    }

    it('acknowledges every join with 2xx, p99 well under a second (or no worse than with a connector that answers at once)', () => {
      assert.equal(statuses.length, JOINS_PER_MEETING * meetings.length);
      assert.deepEqual([...new Set(statuses)], [200]);
      const p99 = percentile(latencies, 0.99);
      const baselineP99 = percentile(baselineLatencies, 0.99);
      console.log(
        `      p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms; ` +
          `with a connector answering at once: p50 ${percentile(baselineLatencies, 0.5).toFixed(1)} ms, p99 ${baselineP99.toFixed(1)} ms`,
      );
      // An answer that waited for the connector would take its 5 s time limit (hanging) or 2 s (Retry-After).
      assert.ok((latencies.at(-1) ?? 0) < CONNECTOR_WAIT_MS, `an answer took ${latencies.at(-1)?.toFixed(0)} ms`);
      // On a machine busy with other work, p99 is the machine's: the connector must add nothing to it.
      assert.ok(p99 < P99_LIMIT_MS || p99 < baselineP99 * 1.5, `p99 ${p99.toFixed(0)} ms (${baselineP99.toFixed(0)} ms with a connector answering at once)`);
    });

    it('stores every join', async () => {
      const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
      for (const { name, meeting } of meetings) {
        const report = await getMeetingApi(env.url, meeting.meetingId, '/attendanceReport', token);
        assert.equal(report.status, 200, report.text);
        assert.equal(report.json.attendanceRecords.length, JOINS_PER_MEETING, name);
      }
    });

    it(`asks Teams for each meeting's details at most ${MAX_DETAILS_CALLS} times, though each failed its first attempts`, async () => {
      const failedOnce = (meeting: TeamsMeeting) =>
        env.logsMatching('meeting details unavailable', LOG_LEVEL.warn).some((line) => line['meetingId'] === meeting.meetingId);
      // The hanging meeting's attempts each wait out the 5 s limit; the throttled one's wait for Retry-After.
      await waitFor('both failures', () => failedOnce(meetings[0]!.meeting) && failedOnce(meetings[1]!.meeting), 30_000);
      await settle(2500);
      const calls = Object.fromEntries(meetings.map(({ name, meeting }) => [name, env.connector.meetingInfoRequests(meeting.meetingId).length]));
      console.log(`      meeting-details calls per meeting: ${JSON.stringify(calls)}`);
      for (const [name, count] of Object.entries(calls)) assert.ok(count >= 1 && count <= MAX_DETAILS_CALLS, `${name}: ${count} calls`);
      assert.equal(calls['answering'], 1, 'a meeting whose details came at once was asked once');
    });

    it('keeps the failed meetings recorded without their details, and logs no error', async () => {
      const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
      const report = await getMeetingApi(env.url, meetings[1]!.meeting.meetingId, '/attendanceReport', token);
      assert.equal(report.json.meetingType, null);
      assert.deepEqual(app.logs.filter((line) => line.level >= LOG_LEVEL.error), []);
    });
  });

  describe('the end-of-meeting summary, posted after the answer', () => {
    const services = useTestServices();
    let directory: string;
    let app: AppProcess | undefined;

    before(() => {
      directory = mkdtempSync(join(tmpdir(), 'attendance-ack-'));
    });
    after(async () => {
      services.connector.postsHang = false;
      await app?.stop();
      rmSync(directory, { recursive: true, force: true });
    });

    const start = () =>
      AppProcess.start({
        ATTENDANCE_STORE: `sqlite:${join(directory, 'attendance.db')}`,
        AAD_APP_CLIENT_ID: CLIENT_ID,
        AAD_JWKS_URI: services.tokens.jwksUri,
        SAMPLE_INTERVAL_S: '3600',
        LOG_LEVEL: 'info',
      });

    it('is posted exactly once when the process is killed after acknowledging the end and before posting', async () => {
      app = await start();
      const running = app;
      const meeting = new TeamsMeeting(() => running.url, services.connector.url);
      await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:05.000'), [ana, bob]));
      await waitFor('the details', () => running.logs.some((line) => line.msg === 'posted the instant-meeting notice'));
      services.connector.postsHang = true;
      const end = meeting.ended(on('09:30:00.000'));
      const startedAt = performance.now();
      await meeting.send(end);
      assert.ok(performance.now() - startedAt < 1000, 'the end was answered at once, though posting hangs');
      const cards = () => services.connector.activitiesIn(meeting.chatId).filter((posted) => adaptiveCardOf(posted));
      await waitFor('the summary post under way', () =>
        services.connector.requests.some((request) => request.method === 'POST' && request.path.startsWith(`/v3/conversations/${meeting.chatId}/activities`) && cards().length === 0),
      );
      await running.crash();
      assert.equal(cards().length, 0);

      services.connector.postsHang = false;
      app = await start();
      // The killed instance's lease on the item lapses first (45 s, longer than a run may take).
      await waitFor('the summary card after the restart', () => cards().length > 0, 70_000);
      await settle(1500);
      assert.equal(cards().length, 1);
      assert.equal(cards()[0]?.replyToId, end.id, 'a reply to the meeting end, as before');
      assert.equal(app.logs.filter((line) => line.msg === 'posted the end-of-meeting summary').length, 1);
    });
  });
});
