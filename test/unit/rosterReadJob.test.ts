/**
 * The roster read (followUps/rosterReadJob.ts) against the fake Teams connector: the chat's members, all
 * pages, become roster facts stamped with the moment's Teams time; bots are left out; a 404 gives up.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { rosterReadJobs, rosterReadKind } from '../../bot/src/followUps/rosterReadJob.js';
import { createLogger } from '../../bot/src/log.js';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import type { PendingWork } from '../../bot/src/store/store.js';
import { ConnectorGate } from '../../bot/src/teams/connectorCalls/connectorGate.js';
import { TeamsConnector } from '../../bot/src/teams/connectorCalls/teamsConnector.js';
import { at, meetingEnded, meetingStarted, MEETING_ID, TENANT_ID } from '../support/attendanceEvents.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { ana, bob, carol, type TeamsPerson } from '../support/people.js';

const chatId = '19:meeting_roster@thread.v2';
const theBot: TeamsPerson = { id: '28:bot-app-id', name: 'Attendance', role: 'Attendee' };

describe('reading the roster for the register', () => {
  let folder: string;
  let store: SqliteStore;
  let fake: FakeConnector;
  let jobs: ReturnType<typeof rosterReadJobs>;

  before(async () => {
    fake = await FakeConnector.start();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'attendance-roster-'));
    store = new SqliteStore(join(folder, 'attendance.db'));
    const now = () => new Date();
    const connector = new TeamsConnector(
      { adapter: new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})), appId: '' },
      new ConnectorGate({ maxConcurrentCalls: 4, maxQueued: 100, now }),
    );
    jobs = rosterReadJobs({ store, logger: createLogger('silent'), connector });
    await store.saveMeeting({ tenantId: TENANT_ID, meetingId: MEETING_ID, chatId, serviceUrl: fake.url, trackingSince: at('08:59:00.000') });
    await store.appendEvents([meetingStarted(at('09:00:00.000')), meetingEnded(at('10:00:00.000'))]);
  });
  afterEach(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  const run = (moment: 'tracking' | 'start' | 'end') => {
    const job = jobs.find((candidate) => candidate.kind === rosterReadKind(moment));
    assert.ok(job);
    const work: PendingWork = { tenantId: TENANT_ID, meetingId: MEETING_ID, kind: job.kind, dueAt: at('09:00:00.000'), attempts: 0, firstScheduledAt: at('09:00:00.000') };
    return job.run(work);
  };

  it("stores every member on every page, without bots, stamped with the moment's Teams time", async () => {
    fake.scriptChatMembers(chatId, [ana, theBot, bob, carol]);
    assert.deepEqual(await run('start'), { kind: 'done' });
    assert.deepEqual(await run('end'), { kind: 'done' });
    assert.deepEqual(await run('tracking'), { kind: 'done' });
    const facts = await store.readRoster({ tenantId: TENANT_ID, meetingId: MEETING_ID });
    const seen = facts.map((fact) => `${fact.participant.displayName}@${fact.observedAt.slice(11, 16)}`).sort();
    assert.deepEqual(seen, ['Ana Teacher@08:59', 'Ana Teacher@09:00', 'Ana Teacher@10:00', 'Bob Student@08:59', 'Bob Student@09:00', 'Bob Student@10:00', 'Carol Assistant@08:59', 'Carol Assistant@09:00', 'Carol Assistant@10:00'].sort());
    assert.equal(facts.find((fact) => fact.participant.displayName === 'Bob Student')?.participant.key, bob.aadObjectId);
  });

  it('gives up when Teams no longer knows the chat (404), storing nothing', async () => {
    fake.fail('pagedmembers', 2, 404);
    const outcome = await run('start');
    assert.equal(outcome.kind, 'give-up');
    assert.deepEqual(await store.readRoster({ tenantId: TENANT_ID, meetingId: MEETING_ID }), []);
  });
});
