/** The $filter forms an LMS sends to find an online meeting, and the ones refused with a 400 that says what to send. */
import assert from 'node:assert/strict';
import { AppError } from '../../bot/src/errors.js';
import { filterAlias } from '../../bot/src/http/graph/graphQuery.js';

const THREAD = '19:meeting_NjY4ZDk3@thread.v2';
const LINK = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0?context=%7b%7d`;

describe('$filter on an online meeting', () => {
  it('reads JoinWebUrl eq in any casing and spacing, the link encoded once or twice', () => {
    for (const filter of [
      `JoinWebUrl eq '${encodeURIComponent(LINK)}'`,
      `joinWebUrl eq '${LINK}'`,
      `  JOINWEBURL   EQ   '${encodeURIComponent(encodeURIComponent(LINK))}'  `,
    ]) {
      assert.deepEqual(filterAlias(filter), { kind: 'thread', value: THREAD }, filter);
    }
  });

  it("reads joinMeetingIdSettings/joinMeetingId eq, and a quote doubled inside the value as OData writes it", () => {
    assert.deepEqual(filterAlias("joinMeetingIdSettings/joinMeetingId eq '2345678901234'"), { kind: 'joinMeetingId', value: '2345678901234' });
    assert.equal(filterAlias("joinMeetingIdSettings/joinMeetingId eq 'not a code'"), undefined, 'matches nothing');
    assert.equal(filterAlias("JoinWebUrl eq 'https://example.com/it''s-not-teams'"), undefined, 'matches nothing');
  });

  it('refuses any other filter with a 400 that names the two it understands', () => {
    for (const filter of ["subject eq 'Physics'", `JoinWebUrl ne '${LINK}'`, `JoinWebUrl eq ${LINK}`, "JoinWebUrl eq 'a' or JoinWebUrl eq 'b'", '']) {
      assert.throws(
        () => filterAlias(filter),
        (error: unknown) => error instanceof AppError && error.status === 400 && /JoinWebUrl eq/.test(error.message),
        filter,
      );
    }
  });
});
