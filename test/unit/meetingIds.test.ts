/** Join links in every spelling an LMS sends become one key; Graph's and Teams' base64 ids lead to the thread. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  aliasesForId,
  graphOnlineMeetingId,
  joinLinkAlias,
  meetingAliases,
  threadInsideId,
  withDerivedIds,
} from '../../bot/src/attendance/meetingIds.js';

const THREAD = '19:meeting_NjY4ZDk3YzEtZWQ4Mi00ZTNiLWJjOGQtOTM3ZWE5OTY0YjFk@thread.v2';
const CONTEXT = '{"Tid":"9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f","Oid":"5d3c2b1a-0000-4000-8000-000000000101"}';
const ORGANIZER = '5d3c2b1a-0000-4000-8000-000000000101';

/** The link Teams gives: thread and context percent-encoded once, lower-case escapes. */
const asTeamsWritesIt = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}/0?context=${encodeURIComponent(CONTEXT)}`;

describe('join link normalisation', () => {
  const spellings: [string, string][] = [
    ['as Teams writes it (lower-case escapes)', asTeamsWritesIt],
    ['upper-case escapes', asTeamsWritesIt.replace(/%[0-9a-f]{2}/g, (e) => e.toUpperCase())],
    ['decoded', decodeURIComponent(asTeamsWritesIt)],
    ['encoded twice (inside a $filter, then the query string)', encodeURIComponent(asTeamsWritesIt)],
    ['the path encoded twice', asTeamsWritesIt.replace('%3a', '%253a').replace('%40', '%2540')],
    ['without context', asTeamsWritesIt.split('?')[0] as string],
    ['without context, with a trailing slash removed', (asTeamsWritesIt.split('?')[0] as string).replace(/\/0$/, '')],
    ['with surrounding spaces', `  ${asTeamsWritesIt} `],
    ['on teams.live.com', asTeamsWritesIt.replace('teams.microsoft.com', 'teams.live.com')],
    ['the bare thread id', THREAD],
    ['the thread id encoded', encodeURIComponent(THREAD)],
  ];
  for (const [name, link] of spellings) {
    it(`${name} → the thread id`, () => {
      assert.deepEqual(joinLinkAlias(link), { kind: 'thread', value: THREAD });
    });
  }

  const meetNow = 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEfGh12';
  for (const [name, link] of [
    ['a /meet/ link with passcode', meetNow],
    ['a /meet/ link without passcode', 'https://teams.microsoft.com/meet/2345678901234'],
    ['a /meet/ link encoded twice', encodeURIComponent(encodeURIComponent(meetNow))],
    ['the bare code', '2345678901234'],
  ] as const) {
    it(`${name} → the numeric code`, () => {
      assert.deepEqual(joinLinkAlias(link), { kind: 'joinMeetingId', value: '2345678901234' });
    });
  }

  it('keeps the thread id\'s case (it is case-sensitive) and refuses what is no join link', () => {
    assert.deepEqual(joinLinkAlias(asTeamsWritesIt.replace('NjY4', 'njy4')), { kind: 'thread', value: THREAD.replace('NjY4', 'njy4') });
    for (const notALink of ['', 'https://example.com/', 'https://teams.microsoft.com/l/meetup-join/', '%E0%A4%A', 'meeting 12']) {
      assert.equal(joinLinkAlias(notALink), undefined, notALink);
    }
  });

  it('gives the same key for any number of encodings of any thread id (property)', () => {
    const threadIds = fc
      .stringMatching(/^[A-Za-z0-9_-]{1,60}$/)
      .map((body) => `19:meeting_${body}@thread.v2`);
    fc.assert(
      fc.property(threadIds, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.boolean(), (thread, encodings, upper, withContext) => {
        let link = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0${withContext ? `?context=${encodeURIComponent(CONTEXT)}` : ''}`;
        if (upper) link = link.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
        else link = link.replace(/%[0-9a-f]{2}/gi, (e) => e.toLowerCase());
        for (let round = 0; round < encodings; round += 1) link = encodeURIComponent(link);
        assert.deepEqual(joinLinkAlias(link), { kind: 'thread', value: thread });
      }),
    );
  });
});

describe('meeting ids', () => {
  it("derives Graph's online-meeting id as base64 of 1*{organizer}*0**{thread}, and reads the thread back out of it", () => {
    const id = graphOnlineMeetingId(ORGANIZER, THREAD);
    assert.equal(Buffer.from(id, 'base64').toString('utf8'), `1*${ORGANIZER}*0**${THREAD}`);
    assert.equal(threadInsideId(id), THREAD);
    const teamsMeetingId = Buffer.from(`0#${THREAD}#0`).toString('base64');
    assert.equal(threadInsideId(teamsMeetingId), THREAD);
    assert.equal(threadInsideId('not base64!'), undefined);
    assert.equal(threadInsideId(Buffer.from('something else').toString('base64')), undefined);
  });

  it('completes a record with the derived ids, keeping the ones Teams gave', () => {
    const record = { tenantId: 't', meetingId: 'm', chatId: THREAD, organizerAadObjectId: ORGANIZER, joinUrl: 'https://teams.microsoft.com/meet/2345678901234?p=x' };
    assert.deepEqual(withDerivedIds(record), { ...record, joinMeetingId: '2345678901234', onlineMeetingId: graphOnlineMeetingId(ORGANIZER, THREAD) });
    assert.equal(withDerivedIds({ ...record, onlineMeetingId: 'FromTeams' }).onlineMeetingId, 'FromTeams');
    assert.deepEqual(withDerivedIds({ tenantId: 't', meetingId: 'm' }), { tenantId: 't', meetingId: 'm' }, 'nothing to derive from');
  });

  it('indexes each alias once, and tries a path id as Graph id, the thread inside it, then as a link', () => {
    const record = withDerivedIds({ tenantId: 't', meetingId: 'm', chatId: THREAD, organizerAadObjectId: ORGANIZER, joinUrl: asTeamsWritesIt });
    assert.deepEqual(meetingAliases(record), [
      { kind: 'thread', value: THREAD },
      { kind: 'onlineMeetingId', value: graphOnlineMeetingId(ORGANIZER, THREAD) },
    ]);
    const graphId = graphOnlineMeetingId(ORGANIZER, THREAD);
    assert.deepEqual(aliasesForId(graphId), [
      { kind: 'onlineMeetingId', value: graphId },
      { kind: 'thread', value: THREAD },
    ]);
    assert.deepEqual(aliasesForId(encodeURIComponent(THREAD)).at(-1), { kind: 'thread', value: THREAD });
  });
});
