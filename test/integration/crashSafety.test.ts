/**
 * Crash safety: the server process is killed (SIGKILL: no graceful stop) in the middle of a storm of joins and
 * leaves, then started again on the same store. An event answered with 2xx must survive the crash; an event
 * that got no answer may or may not have been stored, and Teams will deliver it again; delivering everything
 * again must give the true totals, and duplicates must add nothing. Once on SQLite, once on Azure Table
 * Storage (Azurite).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../support/appProcess.js';
import { Azurite } from '../support/azurite.js';
import {
  intervalsOf,
  planStorm,
  playStorm,
  totalSecondsOf,
  type Interval,
  type StormOutcome,
  type StormPlan,
} from '../support/eventStorm.js';
import { useTestServices } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';
import { CLIENT_ID } from '../support/tokens.js';

const PEOPLE = 40;
/** Most people end outside the meeting; every seventh is still in it when the meeting ends. */
const eventsOf = (person: number) => (person % 7 === 3 ? 9 : 10);
const WORKERS = 12;
/** Killed once this many storm events were acknowledged: well inside the storm (394 events). */
const KILL_AFTER = 150;
const MEETING_START = on('09:00:00.000');
const MEETING_END = on('09:20:00.000');

interface StoreUnderTest {
  env: Record<string, string>;
  dispose(): Promise<void>;
}

interface RecordShape {
  id: string;
  totalAttendanceInSeconds: number;
  attendanceIntervals: (Interval & { durationInSeconds: number })[];
}

describe('crash safety: SIGKILL in the middle of a storm of joins and leaves', function () {
  const services = useTestServices();

  crashSafetyCase('on SQLite (a file in a temporary folder)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'attendance-crash-'));
    return {
      env: { ATTENDANCE_STORE: `sqlite:${join(directory, 'attendance.db')}` },
      dispose: async () => rmSync(directory, { recursive: true, force: true }),
    };
  });

  crashSafetyCase('on Azure Table Storage (Azurite)', async () => {
    const azurite = await Azurite.start();
    return {
      env: { ATTENDANCE_STORE: azurite.storeSetting, ATTENDANCE_TABLE: Azurite.newTableName() },
      dispose: () => azurite.stop(),
    };
  });

  function crashSafetyCase(title: string, openStore: () => Promise<StoreUnderTest>): void {
    describe(title, function () {
      // Two process starts (through tsx) and three plays of the storm: on a busy 2-core machine this takes well over 30 s.
      this.timeout(90_000);
      let store: StoreUnderTest;
      let running: AppProcess | undefined;
      let beforeCrash: AppProcess;
      let afterCrash: AppProcess;
      let plan: StormPlan;
      let storm: StormOutcome;
      let requestsInFlight = 0;
      let restartedReport: { attendanceRecords: RecordShape[] };
      let redelivery: StormOutcome;
      let finalReport: string;
      let redeliveredReports: string[];

      const appUrl = () => (running as AppProcess).url;
      const readReport = async (path = '/attendanceReport'): Promise<string> => {
        const token = await services.tokens.appToken({ roles: ['Attendance.Read.All'] });
        const answer = await getMeetingApi(appUrl(), meeting.meetingId, path, token);
        assert.equal(answer.status, 200, answer.text);
        return answer.text;
      };
      let meeting: TeamsMeeting;

      before(async function () {
        const phases: string[] = [];
        let phaseStart = Date.now();
        const phase = (name: string) => {
          phases.push(`${name} ${Date.now() - phaseStart} ms`);
          phaseStart = Date.now();
        };
        store = await openStore();
        const env = {
          ...store.env,
          AAD_APP_CLIENT_ID: CLIENT_ID,
          AAD_JWKS_URI: services.tokens.jwksUri,
          // Roster sampling runs on its own schedule: not what this test is about.
          SAMPLE_INTERVAL_S: '3600',
          LOG_LEVEL: 'info',
        };
        beforeCrash = running = await AppProcess.start(env);
        meeting = new TeamsMeeting(appUrl, services.connector.url);
        await meeting.send(meeting.started(MEETING_START));
        phase('start');
        plan = planStorm(meeting, { people: PEOPLE, eventsOf, after: MEETING_START });

        let crashed: Promise<void> | undefined;
        storm = await playStorm(plan, {
          url: appUrl,
          workers: WORKERS,
          onAcknowledged: (count) => {
            if (count === KILL_AFTER) crashed = beforeCrash.crash();
          },
        });
        await crashed;
        requestsInFlight = storm.inFlight.filter(Boolean).length;
        phase('storm and kill');

        afterCrash = running = await AppProcess.start(env);
        restartedReport = JSON.parse(await readReport());
        phase('restart');

        // Teams delivers again what was not acknowledged; here simply everything, then the end.
        redelivery = await playStorm(plan, { url: appUrl, workers: WORKERS });
        await meeting.send(meeting.ended(MEETING_END));
        finalReport = await readReport();
        phase('redelivery');

        // Everything once more as Teams' retries, under new activity ids, and the end again.
        await playStorm(plan, { url: appUrl, workers: WORKERS, activityOf: (event) => ({ ...event.activity, id: `${event.activity.id}-retry` }) });
        await meeting.send({ ...meeting.ended(MEETING_END), id: 'end-retry' });
        redeliveredReports = await Promise.all(['/attendanceReport', '/attendanceReports'].map((path) => readReport(path)));
        phase('duplicates');
        const acknowledged = storm.acknowledged.reduce((sum, count) => sum + count, 0);
        console.log(`      ${plan.flat().length} events, ${acknowledged} acknowledged and ${requestsInFlight} in flight at the kill; ${phases.join(', ')}`);
      });

      after(async () => {
        await running?.stop();
        await store?.dispose();
      });

      it('was killed mid-storm with requests in flight, having answered every event before with 2xx', () => {
        assert.deepEqual(storm.refused, [], 'the server refused storm events before the crash');
        // Answers already on their way when the signal was sent still arrive.
        assert.ok(storm.acknowledged.reduce((sum, count) => sum + count, 0) >= KILL_AFTER);
        assert.ok(requestsInFlight > 0, 'no request was in flight when the server was killed');
        assert.ok(KILL_AFTER < plan.flat().length / 2, 'the kill was not in the middle of the storm');
      });

      it('keeps every acknowledged join and leave after the restart, and invents nothing beyond the events in flight', () => {
        const records = new Map(restartedReport.attendanceRecords.map((record) => [record.id, record]));
        plan.forEach((events, person) => {
          const acknowledged = storm.acknowledged[person]!;
          const stored = (records.get(events[0]!.recordId)?.attendanceIntervals ?? []).map(({ joinDateTime, leaveDateTime }) => ({
            joinDateTime,
            leaveDateTime,
          }));
          // What was acknowledged, and perhaps the one event that was stored but whose answer the crash cut off.
          const possible = [intervalsOf(events.slice(0, acknowledged))];
          if (storm.inFlight[person]) possible.push(intervalsOf(events.slice(0, acknowledged + 1)));
          assert.ok(
            possible.some((intervals) => JSON.stringify(intervals) === JSON.stringify(stored)),
            `${events[0]!.person.name}: ${acknowledged} events acknowledged${storm.inFlight[person] ? ' (+1 in flight)' : ''}, ` +
              `but the report after the restart has ${JSON.stringify(stored)}`,
          );
        });
      });

      it('reports the true totals once every event is delivered again, the unacknowledged ones included', () => {
        assert.deepEqual(redelivery.refused, []);
        const report = JSON.parse(finalReport) as { meetingEndDateTime: string; attendanceRecords: RecordShape[] };
        assert.equal(report.meetingEndDateTime, MEETING_END);
        const actual = report.attendanceRecords
          .map((record) => ({ id: record.id, total: record.totalAttendanceInSeconds, intervals: record.attendanceIntervals.length }))
          .sort((a, b) => a.id.localeCompare(b.id));
        const truth = plan
          .map((events) => {
            const intervals = intervalsOf(events, MEETING_END);
            return { id: events[0]!.recordId, total: totalSecondsOf(intervals), intervals: intervals.length };
          })
          .sort((a, b) => a.id.localeCompare(b.id));
        assert.deepEqual(actual, truth);
      });

      it('counts nothing twice: delivering every event again, under its own or a new activity id, changes no report', async () => {
        const [latest, list] = redeliveredReports;
        assert.equal(latest, finalReport);
        assert.equal(JSON.parse(list as string).value.length, 1, 'the redelivered events opened another session');
      });

      it('logged no error, before the crash or after the restart', () => {
        for (const app of [beforeCrash, afterCrash]) {
          assert.deepEqual(app.logs.filter((line) => line.level >= LOG_LEVEL.error), []);
        }
      });
    });
  }
});
