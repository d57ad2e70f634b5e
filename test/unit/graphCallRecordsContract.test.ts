/**
 * Contract with Microsoft Graph's call-record API: Microsoft's own published example bodies, stored verbatim
 * (test/fixtures/graph, sources in its README), read by the code that reads Graph. When Graph changes a
 * shape again, replacing a fixture with the new published example is enough for these to say so.
 */
import assert from 'node:assert/strict';
import { parseCallRecords, parseCallSessions } from '../../bot/src/reconciliation/callRecordPayloads.js';
import { retryAfterSeconds } from '../../bot/src/retryAfter.js';
import { graphFixture, graphHttpFixture } from '../support/graphFixtures.js';

const TENANT = 'dc368399-474c-4d40-900c-6265431fd81f';
const ABBIE = '821809f5-0000-0000-0000-3b5136c0e777';
const OWEN = 'f69e2c00-0000-0000-0000-185e5f5f5d8a';
const SESSION_TIMES = { startedAt: '2020-02-25T18:52:21.216Z', endedAt: '2020-02-25T18:52:46.764Z' };

const person = (id: string, displayName: string, email?: string) => ({
  key: id,
  teamsUserId: '',
  aadObjectId: id,
  displayName,
  tenantId: TENANT,
  ...(email ? { email } : {}),
});

describe("Graph call-record contract: Microsoft's published examples", () => {
  it('List callRecords (v1.0): both records, their ids and times; the phone organizer does not matter', () => {
    const body = graphFixture('list-callrecords.json');
    assert.deepEqual(parseCallRecords(body.value), {
      items: [
        { id: '3cf3bbc8-b21d-4f2e-bfd0-b13603ae6c65', startedAt: '2023-09-25T09:28:38.000Z', endedAt: '2023-09-25T09:28:41.000Z' },
        { id: 'c3ad8c4b-4a87-4ab1-bef0-284d2f40ed9f', startedAt: '2023-09-25T14:03:36.000Z', endedAt: '2023-09-25T14:03:40.000Z' },
      ],
      unreadable: 0,
    });
  });

  it('List sessions (v1.0, identity.user): caller and callee as people keyed by Entra object id', () => {
    const body = graphFixture('list-sessions.json');
    assert.deepEqual(parseCallSessions(body.value), {
      items: [
        { participant: person(ABBIE, 'Abbie Wilkins'), ...SESSION_TIMES },
        { participant: person(OWEN, 'Owen Franklin'), ...SESSION_TIMES },
      ],
      unreadable: 0,
      sessions: 1,
      endpointShapes: { 'identity.user': 2 },
    });
    assert.equal(typeof body['@odata.nextLink'], 'string', 'a page of sessions links to the next one');
  });

  it('Get callRecord with $expand=sessions($expand=segments) (v1.0, associatedIdentity): the same people, with their e-mail', () => {
    const body = graphFixture('get-callrecord-expanded-sessions.json');
    assert.deepEqual(parseCallRecords([body]).items, [{ id: 'e523d2ed-2966-4b6b-925b-754a88034cc5', ...SESSION_TIMES }]);
    assert.deepEqual(parseCallSessions(body.sessions), {
      items: [
        { participant: person(ABBIE, 'Abbie Wilkins', 'abbie.wilkins@contoso.com'), ...SESSION_TIMES },
        { participant: person(OWEN, 'Owen Franklin', 'owen.franklin@contoso.com'), ...SESSION_TIMES },
      ],
      unreadable: 0,
      sessions: 1,
      endpointShapes: { 'associatedIdentity:user': 2 },
    });
  });

  it('the throttling answer (429, Retry-After: 2.128): a wait of 2.128 s, in the error shape Graph documents', () => {
    const throttled = graphHttpFixture('throttled-429.http');
    assert.equal(throttled.status, 429);
    assert.equal(retryAfterSeconds(throttled.headers['Retry-After'], new Date()), 2.128);
    assert.equal(JSON.parse(throttled.body).error.code, 'TooManyRequests');
  });
});
