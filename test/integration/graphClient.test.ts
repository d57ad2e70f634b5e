/**
 * The Graph client and call-record source against the fake Graph on 127.0.0.1: bearer tokens, paging,
 * and the failures the reconciler decides on (status, Retry-After).
 */
import assert from 'node:assert/strict';
import { graphCallRecords } from '../../bot/src/reconciliation/callRecordSource.js';
import { GraphClient, GraphError } from '../../bot/src/reconciliation/graphClient.js';
import { FakeGraph, graphTime, userSession } from '../support/fakeGraph.js';
import { ana, bob } from '../support/people.js';

const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_Graph1%40thread.v2/0?context=%7b%7d';
const signal = new AbortController().signal;
const at = (time: string) => `2025-11-26T${time}.000Z`;
const lesson = { sessionId: 's', tenantId: 't', meetingId: 'm', startedAt: at('09:00:00'), endedAt: at('09:30:00'), startObserved: true, participants: [] };

async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphError, String(error));
    return error;
  }
  throw new Error('expected a GraphError');
}

describe('Graph client: call records over HTTP', () => {
  let graph: FakeGraph;
  beforeEach(async () => {
    graph = await FakeGraph.start();
  });
  afterEach(async () => {
    await graph.close();
  });

  it("finds the meeting's record among pages of others, then reads all its sessions, with the bearer token each time", async () => {
    for (const minute of ['08:51', '08:55', '09:10']) {
      graph.addCallRecord({
        id: `other-${minute}`,
        joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_Other%40thread.v2/0',
        startDateTime: graphTime(at(`${minute}:00`)),
        endDateTime: graphTime(at('09:20:00')),
        sessions: [],
      });
    }
    graph.addCallRecord({
      id: 'ours',
      joinWebUrl: JOIN_URL.replace('%3a', '%3A'),
      startDateTime: graphTime(at('09:00:01')),
      endDateTime: graphTime(at('09:29:59')),
      sessions: [
        userSession(ana, at('09:00:01'), at('09:29:59')),
        userSession(bob, at('09:05:00'), at('09:06:00')),
        userSession(bob, at('09:07:00'), at('09:08:00')),
      ],
    });
    graph.addCallRecord({ id: 'too early', joinWebUrl: JOIN_URL, startDateTime: graphTime(at('08:40:00')), endDateTime: graphTime(at('09:30:00')), sessions: [] });
    const source = graphCallRecords(new GraphClient(graph.baseUrl, graph.credential));

    const record = await source.find(JOIN_URL, lesson, signal);
    assert.equal(record?.id, 'ours');
    const presences = await source.presences('ours', signal);
    assert.deepEqual(
      presences.items.map((presence) => [presence.participant.displayName, presence.startedAt]),
      [['Ana Teacher', at('09:00:01')], ['Bob Student', at('09:05:00')], ['Bob Student', at('09:07:00')]],
    );
    assert.equal(graph.requests.length, 4, 'two pages of records, two of sessions');
    assert.ok(graph.requests.every((request) => request.authorized));
    const listing = graph.listings()[0];
    assert.equal(listing?.query.get('$filter'), 'startDateTime ge 2025-11-26T08:50:00.000Z and startDateTime lt 2025-11-26T09:30:00.000Z');
    assert.match(listing?.rawQuery ?? '', /^\?\$filter=startDateTime%20ge%20/, 'spaces sent as %20, as OData expects');
  });

  it('reports Graph refusing the token as a 401 GraphError', async () => {
    const error = await graphError(new GraphClient(graph.baseUrl, graph.wrongCredential).getAll('/communications/callRecords', {}, signal));
    assert.equal(error.status, 401);
    assert.match(error.message, /InvalidAuthenticationToken/);
  });

  it('reports throttling with the Retry-After Graph asked for', async () => {
    graph.fail('/communications/callRecords', 1, 429, 7);
    const error = await graphError(new GraphClient(graph.baseUrl, graph.credential).getAll('/communications/callRecords', {}, signal));
    assert.deepEqual([error.status, error.retryAfterSeconds], [429, 7]);
  });

  it("reads Graph's published throttling answer: 429, Retry-After: 2.128, TooManyRequests", async () => {
    graph.throttleAsPublished('/communications/callRecords', 1);
    const error = await graphError(new GraphClient(graph.baseUrl, graph.credential).getAll('/communications/callRecords', {}, signal));
    assert.deepEqual([error.status, error.retryAfterSeconds], [429, 2.128]);
    assert.match(error.message, /429 \(TooManyRequests: Please retry again later\.\)/);
  });

  it('leaves the wait to the backoff plan when Retry-After cannot be read', async () => {
    graph.fail('/communications/callRecords', 1, 429, 'soon');
    const error = await graphError(new GraphClient(graph.baseUrl, graph.credential).getAll('/communications/callRecords', {}, signal));
    assert.deepEqual([error.status, error.retryAfterSeconds], [429, undefined]);
  });

  it('never follows a next-page link to another origin (the token stays with Graph)', async () => {
    graph.pageSize = 1;
    graph.nextLinkOrigin = 'http://127.0.0.2:9';
    for (const id of ['a', 'b']) {
      graph.addCallRecord({ id, joinWebUrl: JOIN_URL, startDateTime: graphTime(at('09:00:00')), endDateTime: graphTime(at('09:10:00')), sessions: [] });
    }
    const error = await graphError(new GraphClient(graph.baseUrl, graph.credential).getAll('/communications/callRecords', {}, signal));
    assert.match(error.message, /leaves http:\/\/127\.0\.0\.1/);
    assert.equal(graph.requests.length, 1);
  });

});
