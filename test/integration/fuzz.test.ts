/**
 * Fuzzing: 10,000 malformed or mutated activities derived from the real fixtures (test/support/activityFuzz.ts),
 * posted 8 at a time to the real server, then fuzzed report API requests with valid tokens. Whatever arrives,
 * the server answers 2xx or 4xx (never 5xx), keeps running, logs no error, stores only well-formed events from
 * activities it acknowledged, still serves every meeting it stored, and records a normal meeting exactly.
 *
 * Deterministic: the cases come from FUZZ_SEED (default below); a failure names the seed and the case.
 * FUZZ_RUNS changes the number of activities.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { eventKeyFor, deliveryKeyFor, isParticipantEvent, type AttendanceEvent } from '../../bot/src/attendance/events.js';
import { MAX_BODY_BYTES } from '../../bot/src/http/server.js';
import { buildCase, describeRecipe, fuzzRecipe, type FuzzRecipe } from '../support/activityFuzz.js';
import { useTestEnvironment } from '../support/environment.js';
import { on, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, eve, guest } from '../support/people.js';
import { rawRequest } from '../support/rawHttp.js';
import { getApi, getMeetingApi } from '../support/reportApi.js';
import { apiRecipe, apiRequestFor, describeApiRecipe, isWellFormed, type ApiCaller, type ApiRecipe } from '../support/reportApiFuzz.js';
import { LOG_LEVEL } from '../support/server.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20251126);
const ACTIVITY_CASES = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const API_CASES = 2_000;
const IN_FLIGHT = 8;
const SHOWN_FAILURES = 8;

interface Outcome {
  status: number;
  body: string;
  bytes: number;
  contentType: string | undefined;
  activityId: string | undefined;
}

const isAnswered = (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500);

/** Runs work(0 … count-1) with at most `width` running at once. */
async function inPool(count: number, width: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Fails with the seed and the first failing cases described, so that a failure can be replayed. */
function assertNoFailures(failures: string[], total: number, what: string): void {
  if (failures.length === 0) return;
  assert.fail(`${failures.length} of ${total} ${what} (FUZZ_SEED=${SEED} reproduces them):\n  ${failures.slice(0, SHOWN_FAILURES).join('\n  ')}`);
}

describe('fuzzing: malformed and mutated activities, then the report API', function () {
  this.timeout(180_000);
  // Roster sampling would poll on its own schedule and the API's rate limit would answer most report reads
  // with 429: neither is what this test is about. Info keeps 10,000 requests' worth of logs small.
  const environment = useTestEnvironment({ env: { SAMPLE_INTERVAL_S: '3600', API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' } });
  let meetings: TeamsMeeting[];
  let recipes: FuzzRecipe[];
  const outcomes: Outcome[] = [];
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(reason);
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  before(async function () {
    process.on('unhandledRejection', recordUnhandled);
    meetings = Array.from({ length: 4 }, () => new TeamsMeeting(() => environment.server.url, environment.connector.url));
    recipes = fc.sample(fuzzRecipe, { seed: SEED, numRuns: ACTIVITY_CASES });

    const started = Date.now();
    await inPool(recipes.length, IN_FLIGHT, async (index) => {
      const fuzz = buildCase(recipes[index] as FuzzRecipe, index, meetings);
      const sent = { bytes: fuzz.body.length, contentType: fuzz.contentType, activityId: fuzz.activityId };
      let outcome: Outcome;
      try {
        const response = await fetch(`${environment.server.url}/api/messages`, {
          method: 'POST',
          headers: fuzz.contentType === undefined ? {} : { 'Content-Type': fuzz.contentType },
          body: fuzz.body,
        });
        outcome = { ...sent, status: response.status, body: (await response.text()).slice(0, 400) };
      } catch (error) {
        outcome = { ...sent, status: 0, body: `no answer: ${(error as Error).cause ?? error}` };
      }
      outcomes[index] = outcome;
    });
    const counts = new Map<number, number>();
    for (const { status } of outcomes) counts.set(status, (counts.get(status) ?? 0) + 1);
    const tally = [...counts].sort(([a], [b]) => a - b).map(([status, count]) => `${count}× ${status}`).join(', ');
    console.log(`      ${recipes.length} activities (FUZZ_SEED=${SEED}) in ${Date.now() - started} ms: ${tally}`);
  });

  after(async () => {
    process.off('unhandledRejection', recordUnhandled);
  });

  const failing = (check: (outcome: Outcome) => boolean) =>
    outcomes.flatMap((outcome, index) =>
      check(outcome) ? [] : [`#${index} ${describeRecipe(recipes[index] as FuzzRecipe)} (${outcome.bytes} bytes) → ${outcome.status} ${outcome.body}`],
    );

  it('answers every activity with 2xx or 4xx, never 5xx', () => {
    assert.equal(outcomes.length, ACTIVITY_CASES);
    assertNoFailures(failing((outcome) => isAnswered(outcome.status)), ACTIVITY_CASES, 'activities got no 2xx or 4xx answer');
  });

  it('refuses every JSON body over 1 MB with 413 (any other type with a 4xx: it is never read), and no smaller one', () => {
    assert.ok(outcomes.some((outcome) => outcome.bytes > MAX_BODY_BYTES), 'no case was over 1 MB');
    const rightSize = (outcome: Outcome) =>
      outcome.bytes <= MAX_BODY_BYTES
        ? outcome.status !== 413
        : outcome.status === 413 || (!/json/i.test(outcome.contentType ?? '') && outcome.status >= 400 && outcome.status < 500);
    assertNoFailures(failing(rightSize), ACTIVITY_CASES, 'activities got a wrong answer for their size');
  });

  it('gives every refusal in the API error shape ({ error: { code, message } })', () => {
    const shaped = (outcome: Outcome) => {
      if (outcome.status < 400) return true;
      try {
        const { error } = JSON.parse(outcome.body);
        return typeof error.code === 'string' && typeof error.message === 'string';
      } catch {
        return false;
      }
    };
    assertNoFailures(failing(shaped), ACTIVITY_CASES, 'refusals were not in the error shape');
  });

  it('logged no error and left no promise rejection unhandled', () => {
    const errors = environment.server.logs.filter((line) => line.level >= LOG_LEVEL.error).map((line) => JSON.stringify(line).slice(0, 600));
    assertNoFailures(errors, environment.server.logs.length, 'log lines are errors');
    assert.deepEqual(unhandled, []);
  });

  it('left Object.prototype as it was (no prototype pollution)', () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('stored only well-formed events, each from an activity it acknowledged', () => {
    const answersById = new Map<string, number[]>();
    for (const { activityId, status } of outcomes) if (activityId !== undefined) answersById.set(activityId, [...(answersById.get(activityId) ?? []), status]);
    const database = new Database(environment.server.dbPath, { readonly: true, fileMustExist: true });
    try {
      const findable = database.prepare(
        'SELECT count(*) AS found FROM events WHERE tenant_id = ? AND meeting_id = ? AND event_key = ? AND delivery_key IS ?',
      );
      const rows = database.prepare('SELECT body FROM events').all() as { body: string }[];
      assert.ok(rows.length > 100, `only ${rows.length} events were stored: the fuzzing hardly reached the store`);
      const problems = rows.flatMap(({ body }) => {
        const event = JSON.parse(body) as AttendanceEvent;
        return eventProblems(event, answersById, (findable.get(event.tenantId, event.meetingId, event.eventKey, deliveryKeyFor(event) ?? null) as { found: number }).found);
      });
      assertNoFailures(problems, rows.length, 'stored events are inconsistent');
    } finally {
      database.close();
    }
  });

  it('serves the report API (list, latest, CSV, live) for every meeting the fuzzing stored', async () => {
    const database = new Database(environment.server.dbPath, { readonly: true, fileMustExist: true });
    const bodies = database.prepare('SELECT body FROM events UNION ALL SELECT body FROM meetings').all() as { body: string }[];
    database.close();
    const touched = new Map<string, { tenantId: string; meetingId: string }>();
    for (const { body } of bodies) {
      const { tenantId, meetingId } = JSON.parse(body) as { tenantId: string; meetingId: string };
      touched.set(JSON.stringify([tenantId, meetingId]), { tenantId, meetingId });
    }
    const failures: string[] = [];
    await inPool(touched.size, IN_FLIGHT, async (index) => {
      const meeting = [...touched.values()][index]!;
      const token = await environment.tokens.appToken({ roles: ['Attendance.Read.All'], tid: meeting.tenantId });
      const wellFormed = isWellFormed(meeting.meetingId) && isWellFormed(meeting.tenantId);
      const get = (path: string) =>
        wellFormed
          ? getMeetingApi(environment.server.url, meeting.meetingId, path, token)
          : rawRequest(environment.server.url, 'GET', `/api/meetings/${percentEncodeBytes(meeting.meetingId)}${path}`, { authorization: `Bearer ${token}` });
      const list = await get('/attendanceReports');
      // A meeting whose stored events open no session (only leaves, say) has no latest report.
      const reports = list.status === 200 ? (JSON.parse('text' in list ? list.text : list.body).value as unknown[]).length : 0;
      const expected: Record<string, number> = {
        '/attendanceReports': 200,
        '/attendanceReport': reports > 0 ? 200 : 404,
        '/attendanceReport.csv': reports > 0 ? 200 : 404,
        '/live': 200,
      };
      for (const [path, status] of Object.entries(expected)) {
        const answer = path === '/attendanceReports' ? list : await get(path);
        const ok = wellFormed ? answer.status === status : isAnswered(answer.status);
        if (!ok) failures.push(`${JSON.stringify(meeting).slice(0, 300)} ${path} → ${answer.status} (expected ${wellFormed ? status : '2xx or 4xx'}) ${('text' in answer ? answer.text : answer.body).slice(0, 200)}`);
      }
    });
    console.log(`      report API checked for ${touched.size} meetings`);
    assertNoFailures(failures, touched.size * 4, 'report API answers for stored meetings were wrong');
  });

  it('answers fuzzed report API requests (odd meeting and report ids, encodings, very long ids) with 2xx or 4xx', async () => {
    const tokenOf: Record<ApiCaller, string> = {
      app: await environment.tokens.appToken({ roles: ['Attendance.Read.All'] }),
      organizer: await environment.tokens.userToken({ oid: ana.aadObjectId as string }),
      attendee: await environment.tokens.userToken({ oid: bob.aadObjectId as string }),
      outsider: await environment.tokens.userToken({ oid: eve.aadObjectId as string }),
    };
    const reportIds = (await getMeetingApi(environment.server.url, meetings[0]!.meetingId, '/attendanceReports', tokenOf.app)).json?.value?.map((report: { id: string }) => report.id) ?? [];
    const apiRecipes = fc.sample(apiRecipe, { seed: SEED + 1, numRuns: API_CASES });
    const failures: string[] = [];
    let refusedByClient = 0;
    const started = Date.now();
    await inPool(apiRecipes.length, IN_FLIGHT, async (index) => {
      const recipe = apiRecipes[index] as ApiRecipe;
      const request = apiRequestFor(recipe, { meetingIds: meetings.map((meeting) => meeting.meetingId), reportIds });
      let status: number;
      let body = '';
      try {
        ({ status, body } = await rawRequest(environment.server.url, recipe.method, request.path, {
          authorization: `Bearer ${tokenOf[recipe.caller]}`,
          ...(request.ifNoneMatch === undefined ? {} : { 'if-none-match': request.ifNoneMatch }),
        }));
      } catch (error) {
        // Node's client will not put some characters in a request line: nothing was sent.
        if ((error as NodeJS.ErrnoException).code === 'ERR_UNESCAPED_CHARACTERS' || (error as NodeJS.ErrnoException).code === 'ERR_INVALID_CHAR') {
          refusedByClient += 1;
          return;
        }
        status = 0;
        body = `no answer: ${error}`;
      }
      const notModified = status === 304 && request.ifNoneMatch !== undefined;
      if (!isAnswered(status) && !notModified) failures.push(`#${index} ${describeApiRecipe(recipe)} ${request.path.slice(0, 200)} → ${status} ${body.slice(0, 300)}`);
    });
    console.log(`      ${API_CASES} report API requests in ${Date.now() - started} ms (${refusedByClient} not sendable)`);
    assertNoFailures(failures, API_CASES, 'report API requests got no 2xx or 4xx answer');
    const errors = environment.server.logs.filter((line) => line.level >= LOG_LEVEL.error).map((line) => JSON.stringify(line).slice(0, 600));
    assertNoFailures(errors, environment.server.logs.length, 'log lines are errors');
  });

  it('still answers GET /healthz with 200', async () => {
    const health = await getApi(environment.server.url, '/healthz');
    assert.equal(health.status, 200, health.text);
    assert.equal(health.json.store.ok, true);
  });

  it('records a normal meeting played afterwards with exactly the right totals', async () => {
    const meeting = new TeamsMeeting(() => environment.server.url, environment.connector.url);
    await meeting.play(
      meeting.started(on('09:00:02.123')),
      meeting.joined(on('09:00:05.456'), [ana, guest]),
      meeting.joined(on('09:01:00.000'), [bob]),
      meeting.left(on('09:16:54.789'), [ana]),
      meeting.ended(on('09:30:00.000')),
    );
    const token = await environment.tokens.appToken({ roles: ['Attendance.Read.All'] });
    const report = await getMeetingApi(environment.server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(report.status, 200, report.text);
    assert.equal(report.json.meetingStartDateTime, on('09:00:02.123'));
    assert.equal(report.json.meetingEndDateTime, on('09:30:00.000'));
    assert.deepEqual(
      report.json.attendanceRecords.map((record: any) => [record.identity.displayName, record.totalAttendanceInSeconds, record.attendanceIntervals.length]),
      [
        ['Guest Visitor', 1794, 1],
        ['Bob Student', 1740, 1],
        ['Ana Teacher', 1009, 1],
      ],
    );
  });
});

/** What is wrong with one stored event: its keys, its shape, or where it came from. */
function eventProblems(event: AttendanceEvent, answersById: Map<string, number[]>, findable: number): string[] {
  const problems: string[] = [];
  const describe = JSON.stringify(event).slice(0, 300);
  const nonEmpty = (value: unknown) => typeof value === 'string' && value.length > 0;
  if (![event.tenantId, event.meetingId, event.eventKey, event.occurredAt].every(nonEmpty)) problems.push(`missing ids or time: ${describe}`);
  if (findable !== 1) problems.push(`not findable under its own keys (${findable}): ${describe}`);
  if (Number.isNaN(Date.parse(event.occurredAt)) || new Date(event.occurredAt).toISOString() !== event.occurredAt) problems.push(`time not ISO UTC: ${describe}`);
  if (!['event', 'seeded'].includes(event.source)) problems.push(`unexpected source: ${describe}`);
  if (event.activityId !== undefined && typeof event.activityId !== 'string') problems.push(`activity id is not a string: ${describe}`);
  const participantKey = isParticipantEvent(event) ? event.participant.key : undefined;
  if (isParticipantEvent(event)) {
    const { participant } = event;
    if (!nonEmpty(participant.key) || !nonEmpty(participant.teamsUserId)) problems.push(`participant without ids: ${describe}`);
    if (participant.key !== (participant.aadObjectId ?? participant.teamsUserId)) problems.push(`participant key is not its identity: ${describe}`);
  }
  const expectedKey = eventKeyFor({ meetingId: event.meetingId, kind: event.kind, occurredAt: event.occurredAt, source: event.source, ...(participantKey === undefined ? {} : { participantKey }) });
  if (event.eventKey !== expectedKey) problems.push(`event key does not match the fact: ${describe}`);
  const answers = typeof event.activityId === 'string' ? (answersById.get(event.activityId) ?? []) : [];
  if (typeof event.activityId === 'string' && !answers.some((status) => status >= 200 && status < 300)) {
    problems.push(`stored from an activity that was not acknowledged (answered ${answers.join(', ') || 'never'}): ${describe}`);
  }
  return problems;
}

/** Every UTF-8 byte as %XX; a lone surrogate as the bytes Node would write for it. */
function percentEncodeBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}

