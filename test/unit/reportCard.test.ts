import assert from 'node:assert/strict';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import { buildReport } from '../../bot/src/attendance/report.js';
import { CARD_ROW_LIMIT, reportCard } from '../../bot/src/teams/cards/reportCard.js';
import { presenceCard } from '../../bot/src/teams/cards/presenceCard.js';
import { at, joined, left, meetingEnded, meetingStarted, person, single } from '../support/attendanceEvents.js';
import { attendanceRows, cardTexts } from '../support/cards.js';

/** Teams refuses cards over about 28 KB. */
const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

function meetingWith(participantCount: number, ended: boolean) {
  const people = Array.from({ length: participantCount }, (_, index) =>
    person(`p-${String(index).padStart(4, '0')}`, {
      displayName: `Participant with a rather long display name number ${index}`,
      role: 'Attendee',
    }),
  );
  const events = [
    meetingStarted(at('09:00:00')),
    ...people.map((participant, index) => joined(participant, at(`09:${String(index % 60).padStart(2, '0')}:00`))),
    ...people.slice(0, participantCount / 2).map((participant) => left(participant, at('10:30:00'))),
    ...(ended ? [meetingEnded(at('11:00:00'))] : []),
  ];
  const session = single(buildSessions(events));
  return buildReport(session, { tenantId: session.tenantId, meetingId: session.meetingId, title: 'Physics 101', meetingType: 'MeetNow' }, at('10:45:00'));
}

describe('chat cards', () => {
  it(`shows the top ${CARD_ROW_LIMIT} participants of a 1,000-person meeting and counts the rest, within Teams' card size limit`, () => {
    const card = reportCard(meetingWith(1000, true)).content;
    const rows = attendanceRows(card);
    assert.equal(rows.length, CARD_ROW_LIMIT);
    assert.ok(cardTexts(card).some((text) => text.startsWith('…and 950 more participants')));
    const bytes = Buffer.byteLength(JSON.stringify(card));
    assert.ok(bytes < TEAMS_CARD_LIMIT_BYTES, `the card is ${bytes} bytes`);
  });

  it('spells out the meeting type and marks a live meeting as in progress, with "present" for people still there', () => {
    const card = reportCard(meetingWith(4, false)).content;
    const texts = cardTexts(card);
    assert.ok(texts.includes('Meet Now (instant) · 4 participants'));
    assert.ok(texts.includes('Accuracy: Exact (Teams events).'));
    assert.ok(texts.some((text) => text.endsWith('· in progress')));
    assert.deepEqual(attendanceRows(card).map((row) => row['Last leave']).filter((value) => value === 'present').length, 2);
  });

  it('lists who is present now, earliest arrival first, with the time in the reader\'s own zone', () => {
    const card = presenceCard(meetingWith(4, false)).content;
    const texts = cardTexts(card);
    assert.ok(texts.includes('In the meeting now: 2'));
    const facts = card.body[1].facts as { title: string; value: string }[];
    assert.deepEqual(facts.map((fact) => fact.value), ['since {{TIME(2025-11-26T09:02:00Z)}}', 'since {{TIME(2025-11-26T09:03:00Z)}}']);
  });
});
