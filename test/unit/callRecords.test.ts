import assert from 'node:assert/strict';
import type { EndedSession } from '../../bot/src/attendance/reconciliation.js';
import { pickCallRecord, sameMeetingUrl, searchWindow } from '../../bot/src/reconciliation/callRecordMatch.js';
import { parseCallRecords, parseCallSessions, type CallRecordSummary } from '../../bot/src/reconciliation/callRecordPayloads.js';

const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_YTgy%40thread.v2/0?context=%7b%7d';

function session(startedAt: string, endedAt: string, startObserved = true): EndedSession {
  return { sessionId: 's', tenantId: 't', meetingId: 'm', startedAt, endedAt, startObserved, participants: [] };
}

/** The session example of Graph's "List sessions" page (v1.0), shortened. */
const documentedSession = {
  id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
  modalities: ['audio'],
  startDateTime: '2020-02-25T18:52:21.2169889Z',
  endDateTime: '2020-02-25T18:52:46.7640013Z',
  isTest: false,
  caller: {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: 'machineName_1',
    identity: {
      '@odata.type': '#microsoft.graph.identitySet',
      user: { id: '821809f5-0000-0000-0000-3b5136c0e777', displayName: 'Abbie Wilkins', tenantId: 'dc368399-474c-4d40-900c-6265431fd81f' },
    },
  },
  callee: {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: 'machineName_2',
    identity: { user: { id: 'f69e2c00-0000-0000-0000-185e5f5f5d8a', displayName: 'Owen Franklin', tenantId: 'dc368399-474c-4d40-900c-6265431fd81f' } },
    feedback: { rating: 'poor' },
  },
};

describe('call records: reading Graph payloads and finding the meeting', () => {
  describe('parseCallSessions', () => {
    it("reads the documented example: both people, Graph's seven-digit times as milliseconds, keyed by Entra object id", () => {
      assert.deepEqual(parseCallSessions([documentedSession]), {
        items: [
          {
            participant: {
              key: '821809f5-0000-0000-0000-3b5136c0e777',
              teamsUserId: '',
              aadObjectId: '821809f5-0000-0000-0000-3b5136c0e777',
              displayName: 'Abbie Wilkins',
              tenantId: 'dc368399-474c-4d40-900c-6265431fd81f',
            },
            startedAt: '2020-02-25T18:52:21.216Z',
            endedAt: '2020-02-25T18:52:46.764Z',
          },
          {
            participant: {
              key: 'f69e2c00-0000-0000-0000-185e5f5f5d8a',
              teamsUserId: '',
              aadObjectId: 'f69e2c00-0000-0000-0000-185e5f5f5d8a',
              displayName: 'Owen Franklin',
              tenantId: 'dc368399-474c-4d40-900c-6265431fd81f',
            },
            startedAt: '2020-02-25T18:52:21.216Z',
            endedAt: '2020-02-25T18:52:46.764Z',
          },
        ],
        unreadable: 0,
      });
    });

    it('leaves out endpoints that are not Entra users (conferencing server, guest, phone, malformed identity)', () => {
      const withCallee = (callee: unknown) => ({ ...documentedSession, callee });
      const parsed = parseCallSessions([
        withCallee({ '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint', userAgent: { role: 'conferencing' } }),
        withCallee({ identity: { user: null, guest: { id: 'g1', displayName: 'Guest' } } }),
        withCallee({ identity: { phone: { id: '+5564981205182' } } }),
        withCallee({ identity: { user: { id: 42 } } }),
        withCallee(null),
      ]);
      assert.equal(parsed.unreadable, 0);
      assert.deepEqual(
        parsed.items.map((presence) => presence.participant.displayName),
        ['Abbie Wilkins', 'Abbie Wilkins', 'Abbie Wilkins', 'Abbie Wilkins', 'Abbie Wilkins'],
      );
    });

    it('skips and counts sessions it cannot read, keeping the others', () => {
      const parsed = parseCallSessions([
        { ...documentedSession, endDateTime: undefined },
        { ...documentedSession, startDateTime: '12' },
        'not a session',
        documentedSession,
      ]);
      assert.equal(parsed.unreadable, 3);
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
