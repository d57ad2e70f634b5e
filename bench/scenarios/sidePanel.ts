/**
 * Side panel at webinar scale: a live meeting of 1,000 people where 500 of them have the side panel open, each
 * polling GET …/live every 2 s open-loop (attendees, and the organizer and presenters who see everyone), while
 * a join storm goes on in another meeting and a few people come and go in the polled one. Then, one caller as
 * fast as 10 connections go (autocannon, as the issue measured): an attendee's 200, a 304, the organizer's 200.
 */
import { performance } from 'node:perf_hooks';
import { eventKeyFor, type AttendanceEvent } from '../../bot/src/attendance/events.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { TENANT_ID } from '../../test/support/people.js';
import { bearer, TokenIssuer } from '../../test/support/tokens.js';
import { format, figure, type BenchmarkOutcome } from '../figures.js';
import { MeetingActivities, type PlannedActivity } from '../load/activities.js';
import { BenchConnector } from '../load/benchConnector.js';
import { participantOf } from '../load/bigMeeting.js';
import { percentile, pollOpenLoop, pollThroughput, type Viewer } from '../load/livePolls.js';
import { pacedLoad } from '../load/pacedLoad.js';
import { WARMUP_MEETINGS, warmUpWithJoins } from '../load/warmUp.js';
import { ScratchStore } from '../servers/scratchStore.js';
import { START_COMMAND, ServerProcess } from '../servers/serverProcess.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'Side panel';
/** As the join-storm benchmark: Teams delivers over many connections at once. */
const STORM_CONNECTIONS = 50;
const POLLED = 0;
const STORMED = 1;
const TARGETS = { pollP99Ms: 100, joinAckP99Ms: 50, attendeePerSecond: 2000, notModifiedPerSecond: 3000, organizerPerSecond: 500 };

type Settings = BenchSettings['sidePanel'];

/** The polled meeting as the store holds it once everyone joined: a start, then each person's join. */
function livePolledMeeting(meetingId: string, settings: Settings, startedAt: number): { events: AttendanceEvent[]; organizerId: string } {
  const common = (at: number) => ({ tenantId: TENANT_ID, meetingId, occurredAt: new Date(at).toISOString(), source: 'event' as const });
  const events: AttendanceEvent[] = [{ ...common(startedAt), kind: 'meetingStarted', eventKey: eventKeyFor({ ...common(startedAt), kind: 'meetingStarted' }), activityId: 'start' }];
  for (let index = 0; index < settings.participants; index += 1) {
    const participant = { ...participantOf(index), ...(index > 0 && index <= settings.presenters ? { role: 'Presenter' } : {}) };
    const fields = common(startedAt + 1000 + index * 10);
    events.push({ ...fields, kind: 'participantJoined', participant, eventKey: eventKeyFor({ ...fields, kind: 'participantJoined', participantKey: participant.key }), activityId: `join-${index}` });
  }
  return { events, organizerId: participantOf(0).key };
}

export async function sidePanelBenchmark(settings: Settings): Promise<BenchmarkOutcome> {
  const connector = await BenchConnector.start();
  const issuer = await TokenIssuer.start();
  const scratch = new ScratchStore('side-panel');
  const startedAt = Date.now() - 30 * 60_000;
  const activities = new MeetingActivities(2, connector.url);
  const polledId = activities.meetingId(POLLED);
  const polled = livePolledMeeting(polledId, settings, startedAt);
  const seed = new SqliteStore(scratch.dbPath);
  await seed.appendEvents(polled.events);
  await seed.saveMeeting({
    tenantId: TENANT_ID,
    meetingId: polledId,
    title: 'Webinar',
    meetingType: 'Scheduled',
    organizerAadObjectId: polled.organizerId,
    trackingSince: new Date(startedAt).toISOString(),
    detailsFetchedAt: new Date().toISOString(),
  });
  await seed.close();

  // Viewer 0 organises, the next ones present (they see everyone too), the rest attend (they see their own row).
  const path = `/api/meetings/${encodeURIComponent(polledId)}/live`;
  const viewers: Viewer[] = [];
  for (let index = 0; index < settings.viewers; index += 1) viewers.push({ path, authorization: bearer(await issuer.userToken({ oid: participantOf(index).key })).authorization });
  const seeEveryone = 1 + settings.presenters;

  const server = await ServerProcess.start('attendance', { ...scratch.env({ jwksUri: issuer.jwksUri }), API_RATE_LIMIT_PER_MINUTE: '0' });
  try {
    // Each panel's first load (the meeting is read from the store once, by the first of them).
    const etags = new Map<number, string>();
    await pollOpenLoop({ url: server.url, viewers, everyMs: 1000, seconds: 1, timeoutMs: 10_000, etags });
    await warmUpWithJoins({ url: server.url, connectorUrl: connector.url, seconds: settings.warmupSeconds, firstAt: startedAt });

    const storm: PlannedActivity[] = [];
    const stormCount = Math.round(settings.stormJoinsPerSecond * settings.seconds);
    for (let index = 0; index < stormCount; index += 1) storm.push({ meeting: STORMED, person: index, action: 'join', at: Date.now() + index });
    // Meanwhile in the polled meeting, attendees leave and come back (new facts: organizer views change).
    const churnCount = Math.round(settings.churnPerSecond * settings.seconds);
    const churn: PlannedActivity[] = Array.from({ length: churnCount }, (_, index) => ({
      meeting: POLLED,
      person: seeEveryone + (Math.floor(index / 2) % (settings.participants - seeEveryone)),
      action: index % 2 === 0 ? 'leave' : 'join',
      at: Date.now() + index * 1000,
    }));
    const cpuBefore = server.cpuSeconds();
    const wallBefore = performance.now();
    const [polls, joins, churned] = await Promise.all([
      pollOpenLoop({ url: server.url, viewers, everyMs: settings.pollEverySeconds * 1000, seconds: settings.seconds, timeoutMs: 10_000, etags }),
      pacedLoad({ url: server.url, bodyFor: (index) => activities.body(storm[index] as PlannedActivity), requests: storm.length, ratePerSecond: settings.stormJoinsPerSecond, connections: STORM_CONNECTIONS, timeoutMs: 10_000 }),
      pacedLoad({ url: server.url, bodyFor: (index) => activities.body(churn[index] as PlannedActivity), requests: churn.length, ratePerSecond: settings.churnPerSecond, connections: 1, timeoutMs: 10_000 }),
    ]);
    const cpuShare = (server.cpuSeconds() - cpuBefore) / ((performance.now() - wallBefore) / 1000);

    const attendee = { url: server.url, path, connections: settings.connections, seconds: settings.throughputSeconds };
    const attendeeToken = viewers[seeEveryone] as Viewer;
    const organizerToken = viewers[0] as Viewer;
    const attendeeOk = await pollThroughput({ ...attendee, headers: { authorization: attendeeToken.authorization }, status: 200 });
    const etag = (await fetch(`${server.url}${path}`, { headers: { authorization: attendeeToken.authorization } })).headers.get('etag') ?? '';
    const notModified = await pollThroughput({ ...attendee, headers: { authorization: attendeeToken.authorization, 'if-none-match': etag }, status: 304 });
    const organizerOk = await pollThroughput({ ...attendee, headers: { authorization: organizerToken.authorization }, status: 200 });

    const pollP99 = percentile(polls.latenciesMs, 0.99);
    const failed = polls.failed + joins.non2xx + joins.errors + churned.non2xx + churned.errors + attendeeOk.unexpected + notModified.unexpected + organizerOk.unexpected;
    // Which part failed, for the one who reads a failed run.
    const whereFailed = Object.entries({
      [`polls${polls.failures.size > 0 ? ` (${[...polls.failures].map(([what, count]) => `${what} ×${count}`).join(', ')})` : ''}`]: polls.failed,
      'storm joins': joins.non2xx + joins.errors,
      churn: churned.non2xx + churned.errors,
      'attendee 200s': attendeeOk.unexpected,
      '304s': notModified.unexpected,
      'organizer 200s': organizerOk.unexpected,
    })
      .filter(([, count]) => count > 0)
      .map(([part, count]) => `${part}: ${count}`)
      .join(', ');
    return {
      figures: [
        figure(NAME, `${format.count(settings.viewers)} panels polling: poll p50 / p99`, `${format.ms(percentile(polls.latenciesMs, 0.5))} / ${format.ms(pollP99)}`, {
          target: `p99 < ${TARGETS.pollP99Ms} ms`,
          met: pollP99 < TARGETS.pollP99Ms,
        }),
        figure(NAME, '… answered 304 (nothing new for that viewer)', `${((100 * polls.notModified) / Math.max(1, polls.polls)).toFixed(1)} % of ${format.count(polls.polls)}`),
        figure(NAME, `… join acks in the other meeting (${format.perSecond(settings.stormJoinsPerSecond)}): p99`, format.ms(joins.p99Ms), {
          target: `< ${TARGETS.joinAckP99Ms} ms`,
          met: joins.p99Ms < TARGETS.joinAckP99Ms,
        }),
        figure(NAME, '… server CPU meanwhile (one core = 100 %)', `${Math.round(100 * cpuShare)} %`),
        figure(NAME, `attendee /live at N = ${format.count(settings.participants)} (200, ${settings.connections} connections)`, `${format.perSecond(attendeeOk.perSecond)}, p99 ${format.ms(attendeeOk.p99Ms)}`, {
          target: `≥ ${format.perSecond(TARGETS.attendeePerSecond)}`,
          met: attendeeOk.perSecond >= TARGETS.attendeePerSecond,
        }),
        figure(NAME, '… 304 (If-None-Match)', `${format.perSecond(notModified.perSecond)}, p99 ${format.ms(notModified.p99Ms)}`, {
          target: `≥ ${format.perSecond(TARGETS.notModifiedPerSecond)}`,
          met: notModified.perSecond >= TARGETS.notModifiedPerSecond,
        }),
        figure(NAME, '… organizer (200, everyone)', `${format.perSecond(organizerOk.perSecond)}, p99 ${format.ms(organizerOk.p99Ms)}`, {
          target: `≥ ${format.perSecond(TARGETS.organizerPerSecond)}`,
          met: organizerOk.perSecond >= TARGETS.organizerPerSecond,
        }),
        figure(NAME, 'failed or unexpected answers', failed === 0 ? '0' : `${format.count(failed)} (${whereFailed})`, { target: '0', met: failed === 0, correctness: true }),
      ],
      method: [
        `A live meeting of ${format.count(settings.participants)} people (seeded in the SQLite store: a start and everyone's join); ${format.count(settings.viewers)} of them poll GET …/live every ${settings.pollEverySeconds} s open-loop (bench/load/livePolls.ts),`,
        `each with its own user token (the organizer, ${settings.presenters} presenters who see everyone, the rest attendees who see their own row) and the ETag of its last 200, first polls spread over the period; latency from the moment a poll was due.`,
        `For the same ${settings.seconds} s, ${format.perSecond(settings.stormJoinsPerSecond)} joins of new people in another meeting (paced, ${STORM_CONNECTIONS} connections) and ${format.perSecond(settings.churnPerSecond)} leaves and rejoins in the polled one. CPU: the server's user + system time over that time.`,
        `Then ${settings.throughputSeconds} s each of autocannon GETs over ${settings.connections} connections with one token: an attendee's 200, the same with its ETag (304), the organizer's 200.`,
        `A fresh server process (\`${START_COMMAND}\`, API_RATE_LIMIT_PER_MINUTE=0 so one token may poll this fast), a JWKS on 127.0.0.1; load generators in the benchmark's process on the same machine.`,
        `Before the ${settings.seconds} s, each panel's first load, then ${settings.warmupSeconds} s of joins in ${WARMUP_MEETINGS} other meetings (as the join storm's warm-up); the stormed meeting is new to the server when the storm begins.`,
      ],
    };
  } finally {
    await server.stop();
    await connector.close();
    await issuer.close();
    scratch.dispose();
  }
}
