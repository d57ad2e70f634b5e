import assert from 'node:assert/strict';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import type { Participant } from '../../bot/src/attendance/events.js';
import { buildRegister } from '../../bot/src/attendance/register.js';
import { buildRegisterReport, reportRule } from '../../bot/src/attendance/registerReport.js';
import { buildReport } from '../../bot/src/attendance/report.js';
import { CARD_ABSENT_NAME_LIMIT, CARD_ROW_LIMIT, reportCard } from '../../bot/src/teams/cards/reportCard.js';
import { presenceCard } from '../../bot/src/teams/cards/presenceCard.js';
import { at, joined, left, meetingEnded, meetingStarted, person, single } from '../support/attendanceEvents.js';
import { attendanceRows, cardTexts } from '../support/cards.js';
import { DEFAULT_RULE, onRoster } from '../support/register.js';

/** Teams refuses cards over about 28 KB. */
const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

/** The meeting's register report; `absentCount` more members of the chat never came. */
function meetingWith(participantCount: number, ended: boolean, absentCount = 0) {
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
  const absent: Participant[] = Array.from({ length: absentCount }, (_, index) =>
    person(`absent-${String(index).padStart(4, '0')}`, { displayName: `Absent student with a long display name number ${index}` }),
  );
  const roster = absent.map((member) => onRoster(member, at('08:55:00')));
  const now = at('10:45:00');
  const details = { tenantId: session.tenantId, meetingId: session.meetingId, title: 'Physics 101', meetingType: 'MeetNow' };
  const register = buildRegister(session, roster, DEFAULT_RULE, [], now);
  return buildRegisterReport(session, details, now, register, reportRule(DEFAULT_RULE, undefined));
}

function presenceReport(participantCount: number) {
  const people = Array.from({ length: participantCount }, (_, index) => person(`p-${index}`, { displayName: `P ${index}`, role: 'Attendee' }));
  const events = [
    meetingStarted(at('09:00:00')),
    ...people.map((participant, index) => joined(participant, at(`09:${String(index % 60).padStart(2, '0')}:00`))),
    ...people.slice(0, participantCount / 2).map((participant) => left(participant, at('10:30:00'))),
  ];
  return buildReport(single(buildSessions(events)), undefined, at('10:45:00'));
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

  it("shows the register's counts, each row's status and the first absent names of 300 absentees, within Teams' card size limit", () => {
    const report = meetingWith(60, true, 300);
    const card = reportCard(report).content;
    const texts = cardTexts(card);
    assert.deepEqual(report.statusCounts, { excused: 0, absent: 300, partial: 58, late: 1, leftEarly: 1, present: 0 });
    assert.ok(texts.includes('Late 1 · Left early 1 · Partial 58 · Absent 300'), 'zero counts are left out');
    const absentLine = texts.find((text) => text.startsWith('Absent (300): '));
    assert.ok(absentLine?.endsWith(` and ${300 - CARD_ABSENT_NAME_LIMIT} more.`), absentLine);
    assert.equal(absentLine?.split(', ').length, CARD_ABSENT_NAME_LIMIT);
    assert.ok(texts.includes('Rule: present at 75 % of the session or more; late after 10 min; left early more than 10 min before the end.'));
    assert.deepEqual([...new Set(attendanceRows(card).map((row) => row['Status']))].sort(), ['Late', 'Left early', 'Partial']);
    const bytes = Buffer.byteLength(JSON.stringify(card));
    assert.ok(bytes < TEAMS_CARD_LIMIT_BYTES, `the card is ${bytes} bytes`);
  });

  it('lists who is present now, earliest arrival first, with the time in the reader\'s own zone', () => {
    const card = presenceCard(presenceReport(4)).content;
    const texts = cardTexts(card);
    assert.ok(texts.includes('In the meeting now: 2'));
    const facts = card.body[1].facts as { title: string; value: string }[];
    assert.deepEqual(facts.map((fact) => fact.value), ['since {{TIME(2025-11-26T09:02:00Z)}}', 'since {{TIME(2025-11-26T09:03:00Z)}}']);
  });
});
