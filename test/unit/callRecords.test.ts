import assert from 'node:assert/strict';
import type { EndedSession } from '../../bot/src/attendance/reconciliation.js';
import { pickCallRecord, sameMeetingUrl, searchWindow } from '../../bot/src/reconciliation/callRecordMatch.js';
import { parseCallRecords, parseCallSessions, type CallRecordSummary } from '../../bot/src/reconciliation/callRecordPayloads.js';
import { graphFixture } from '../support/graphFixtures.js';

const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_YTgy%40thread.v2/0?context=%7b%7d';

function session(startedAt: string, endedAt: string, startObserved = true): EndedSession {
  return { sessionId: 's', tenantId: 't', meetingId: 'm', startedAt, endedAt, startObserved, participants: [] };
}

/** Graph's published session examples: the old shape (List sessions) and today's (Get callRecord example 2). */
const oldShapeSession = graphFixture('list-sessions.json').value[0];
const todaysSession = graphFixture('get-callrecord-expanded-sessions.json').sessions[0];
const ABBIE = '821809f5-0000-0000-0000-3b5136c0e777';

describe('call records: reading Graph payloads and finding the meeting', () => {
  describe('parseCallSessions', () => {
    const withCaller = (caller: unknown) => ({ ...todaysSession, caller });
    const callerOf = (session: object) => parseCallSessions([session]).items.find((presence) => presence.participant.key !== 'f69e2c00-0000-0000-0000-185e5f5f5d8a');

    it('reads a person from associatedIdentity first, from identity.user when that names nobody', () => {
      const both = withCaller({ ...todaysSession.caller, identity: { user: { id: 'someone-else', displayName: 'Old' } } });
      assert.equal(callerOf(both)?.participant.displayName, 'Abbie Wilkins');
      const guestNowUserBefore = withCaller({
        associatedIdentity: { '@odata.type': '#microsoft.graph.communicationsGuestIdentity', id: ABBIE, displayName: 'Guest' },
        identity: oldShapeSession.caller.identity,
      });
      assert.deepEqual(parseCallSessions([guestNowUserBefore]).endpointShapes, { 'identity.user': 1, 'associatedIdentity:user': 1 });
    });

    it('leaves out guests, phones, ACS users, applications and servers in associatedIdentity, naming their shapes', () => {
      const kinds = [
        { '@odata.type': '#microsoft.graph.communicationsGuestIdentity', id: 'a3c1f2d4-0000-4000-8000-000000000001', displayName: 'Guest' },
        { '@odata.type': '#microsoft.graph.communicationsPhoneIdentity', id: '+5564981205182', displayName: null },
        { '@odata.type': '#microsoft.graph.azureCommunicationServicesUserIdentity', id: '8:acs:1234', displayName: 'ACS' },
        { '@odata.type': '#microsoft.graph.communicationsApplicationIdentity', id: 'a3c1f2d4-0000-4000-8000-000000000002', displayName: 'Bot', tenantId: 't' },
        { id: 'a3c1f2d4-0000-4000-8000-000000000003', displayName: 'No tenant, no UPN: an anonymous guest' },
        { id: '+5564981205182', displayName: null, tenantId: 'dc368399-474c-4d40-900c-6265431fd81f' },
      ];
      const sessions = kinds.map((associatedIdentity) => ({ ...todaysSession, caller: { associatedIdentity }, callee: { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint' } }));
      const parsed = parseCallSessions(sessions);
      assert.deepEqual(parsed.items, []);
      assert.deepEqual(parsed.endpointShapes, {
        'associatedIdentity:communicationsGuestIdentity': 1,
        'associatedIdentity:communicationsPhoneIdentity': 1,
        'associatedIdentity:azureCommunicationServicesUserIdentity': 1,
        'associatedIdentity:communicationsApplicationIdentity': 1,
        'associatedIdentity:not an Entra user': 2,
        serviceEndpoint: 6,
      });
    });

    it('leaves out the same kinds in the old identity set, and endpoints with no identity or none at all', () => {
      const parsed = parseCallSessions([
        withCaller({ identity: { user: null, guest: { id: 'g1', displayName: 'Guest' } } }),
        withCaller({ identity: { user: null, acsUser: null, spoolUser: null, phone: { id: '+5564981205182' } } }),
        withCaller({ identity: { application: { id: 'app', displayName: 'Bot' } } }),
        withCaller({ identity: { user: { id: 42 } } }),
        withCaller({ identity: {} }),
        withCaller({ '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', name: 'machineName_1' }),
        withCaller(null),
        withCaller('not an endpoint'),
      ]);
      assert.equal(parsed.unreadable, 0);
      assert.deepEqual(
        parsed.items.map((presence) => presence.participant.displayName),
        Array(8).fill('Owen Franklin'),
        'the callee of the published example is still read',
      );
      assert.deepEqual(parsed.endpointShapes, {
        'identity.guest': 1,
        'identity.phone': 1,
        'identity.application': 1,
        'identity.user:unreadable': 1,
        'identity:empty': 1,
        participantEndpoint: 1,
        none: 1,
        unreadable: 1,
        'associatedIdentity:user': 8,
      });
    });

    it("keeps the user principal name as the person's e-mail", () => {
      assert.equal(callerOf(todaysSession)?.participant.email, 'abbie.wilkins@contoso.com');
      assert.equal(callerOf(oldShapeSession)?.participant.email, undefined);
    });

    it('skips and counts sessions it cannot read, keeping the others', () => {
      const parsed = parseCallSessions([
        { ...todaysSession, endDateTime: undefined },
        { ...todaysSession, startDateTime: '12' },
        'not a session',
        todaysSession,
      ]);
      assert.equal(parsed.unreadable, 3);
      assert.equal(parsed.sessions, 4);
      assert.equal(parsed.items.length, 2);
    });
  });

  describe('parseCallRecords', () => {
    it('reads id, joinWebUrl and times, tolerating a record without joinWebUrl or end and skipping one without id', () => {
      const parsed = parseCallRecords([
        { id: 'a', version: 2, type: 'groupCall', startDateTime: '2023-09-25T09:28:38Z', endDateTime: '2023-09-25T09:28:41Z', joinWebUrl: JOIN_URL },
        { id: 'b', type: 'peerToPeer', startDateTime: '2023-09-25T14:03:36Z', endDateTime: null, joinWebUrl: null },
        { startDateTime: '2023-09-25T14:03:36Z' },
      ]);
      assert.deepEqual(parsed, {
        items: [
          { id: 'a', joinWebUrl: JOIN_URL, startedAt: '2023-09-25T09:28:38.000Z', endedAt: '2023-09-25T09:28:41.000Z' },
          { id: 'b', startedAt: '2023-09-25T14:03:36.000Z' },
        ],
        unreadable: 1,
      });
    });
  });

  describe('sameMeetingUrl', () => {
    it('matches the same meeting thread however it is escaped, whatever the context query says', () => {
      assert.ok(sameMeetingUrl(JOIN_URL, 'https://teams.microsoft.com/l/meetup-join/19%3Ameeting_YTgy%40thread.v2/0?context=%7B%22Tid%22%3A%22x%22%7D'));
      assert.ok(sameMeetingUrl(JOIN_URL, 'https://teams.microsoft.com/l/meetup-join/19:meeting_YTgy@thread.v2/0/'));
    });

    it('tells other meetings, other hosts and unparsable URLs apart', () => {
      assert.equal(sameMeetingUrl(JOIN_URL, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_YTgz%40thread.v2/0'), false);
      assert.equal(sameMeetingUrl(JOIN_URL, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_YTGY%40thread.v2/0'), false, 'thread ids are case-sensitive');
      assert.equal(sameMeetingUrl(JOIN_URL, 'https://teams.example.com/l/meetup-join/19%3ameeting_YTgy%40thread.v2/0'), false);
      assert.equal(sameMeetingUrl('not a url', 'not a url'), false);
    });
  });

  describe('searchWindow and pickCallRecord', () => {
    const lesson = session('2025-11-26T09:00:02.123Z', '2025-11-26T09:30:00.000Z');

    it('looks a little before an observed start, far before an unobserved one, and up to the end', () => {
      assert.deepEqual(searchWindow(lesson), { from: '2025-11-26T08:50:02.123Z', to: '2025-11-26T09:30:00.000Z' });
      assert.equal(searchWindow(session('2025-11-26T09:00:00.000Z', '2025-11-26T09:30:00.000Z', false)).from, '2025-11-25T21:00:00.000Z');
    });

    it("picks the record of the meeting's join URL that overlaps the session most", () => {
      const record = (id: string, startedAt: string, endedAt: string, joinWebUrl = JOIN_URL): CallRecordSummary => ({ id, joinWebUrl, startedAt, endedAt });
      const records = [
        record('other meeting', '2025-11-26T09:00:00Z', '2025-11-26T09:30:00Z', 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_Other%40thread.v2/0'),
        record('earlier run', '2025-11-26T08:50:00Z', '2025-11-26T09:00:02Z'),
        record('brief overlap', '2025-11-26T08:55:00Z', '2025-11-26T09:01:00Z'),
        record('this run', '2025-11-26T09:00:01Z', '2025-11-26T09:30:01Z'),
        { id: 'no url', startedAt: '2025-11-26T09:00:01Z', endedAt: '2025-11-26T09:30:01Z' },
      ];
      assert.equal(pickCallRecord(records, JOIN_URL, lesson)?.id, 'this run');
      assert.equal(pickCallRecord(records.slice(0, 2), JOIN_URL, lesson), undefined);
    });
  });
});
