/**
 * Roster samples into ledger facts (bot/src/attendance/sampling.ts): unknown is not absent. A person whose
 * lookup failed keeps their state, a sample in which nobody could be read changes nothing, and a meeting
 * sampled through random lookup failures gives the same sessions as without them, each end within one
 * sample interval.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AttendanceEvent, Participant } from '../../bot/src/attendance/events.js';
import { buildSessions, type MeetingSession } from '../../bot/src/attendance/ledger.js';
import { eventsFromSample, type RosterSample } from '../../bot/src/attendance/sampling.js';
import { MEETING_ID, TENANT_ID, at, meetingEnded, meetingStarted, person } from '../support/attendanceEvents.js';

const INTERVAL_S = 30;
const START = at('09:00:00.000');
const PEOPLE = Array.from({ length: 6 }, (_unused, index) => person(`5d3c2b1a-0000-4000-8000-00000000030${index}`));

type Reading = 'present' | 'absent' | 'unreadable';

/** Plays samples (one reading per person each) every INTERVAL_S from START, then ends the meeting. */
function sampleMeeting(readings: readonly (readonly Reading[])[]): MeetingSession {
  const events: AttendanceEvent[] = [meetingStarted(START)];
  readings.forEach((row, index) => {
    const session = buildSessions(events).at(-1);
    const of = (wanted: Reading) => PEOPLE.filter((_participant, person) => row[person] === wanted);
    const sample: RosterSample = {
      tenantId: TENANT_ID,
      meetingId: MEETING_ID,
      takenAt: new Date(Date.parse(START) + (index + 1) * INTERVAL_S * 1000).toISOString(),
      intervalSeconds: INTERVAL_S,
      present: of('present'),
      absent: of('absent'),
      unreadable: of('unreadable'),
    };
    events.push(...eventsFromSample(session, sample));
  });
  events.push(meetingEnded(new Date(Date.parse(START) + (readings.length + 1) * INTERVAL_S * 1000).toISOString()));
  return buildSessions(events).at(-1) as MeetingSession;
}

function intervalsOf(session: MeetingSession, participant: Participant): { joinedAt: number; leftAt: number }[] {
  const entry = session.participants.find((candidate) => candidate.participant.key === participant.key);
  return (entry?.intervals ?? []).map((interval) => ({ joinedAt: Date.parse(interval.joinedAt), leftAt: Date.parse(interval.leftAt ?? '') }));
}

describe('roster samples: unknown is not absent', () => {
  it('keeps a person whose lookup failed once in the meeting: no sampled leave, no second session', () => {
    const organizer = PEOPLE[0] as Participant;
    const readings: Reading[][] = [['present'], ['present'], ['unreadable'], ['present'], ['present']];
    const session = sampleMeeting(readings);
    assert.equal(intervalsOf(session, organizer).length, 1);
    const [interval] = intervalsOf(session, organizer);
    assert.equal(interval?.joinedAt, Date.parse(START) + INTERVAL_S * 1000);
  });

  it('changes nothing for a sample in which nobody could be read', () => {
    const everyone = PEOPLE.map(() => 'present' as const);
    const before = sampleMeeting([everyone, everyone]);
    const through = sampleMeeting([everyone, PEOPLE.map(() => 'unreadable' as const), everyone]);
    for (const participant of PEOPLE) assert.equal(intervalsOf(through, participant).length, intervalsOf(before, participant).length);
  });

  it('still records a leave Teams reports (absent), and a leave of someone no longer in the chat at all', () => {
    const session = sampleMeeting([['present', 'present'], ['absent', 'present'], ['absent']]);
    assert.equal(intervalsOf(session, PEOPLE[0] as Participant)[0]?.leftAt, Date.parse(START) + 2 * INTERVAL_S * 1000);
    assert.equal(intervalsOf(session, PEOPLE[1] as Participant)[0]?.leftAt, Date.parse(START) + 3 * INTERVAL_S * 1000);
  });

  it('gives the same sessions through random lookup failures as without them, each end within one sample interval', () => {
    const SAMPLES = 30;
    // Each person is in or out for at least two samples at a time, so that a failed lookup is always followed by
    // a readable one before the next change (a stay shorter than that can be missed with or without failures).
    const personTimeline = fc
      .record({ startsIn: fc.boolean(), runs: fc.array(fc.integer({ min: 2, max: 8 }), { minLength: 1, maxLength: SAMPLES }) })
      .map(({ startsIn, runs }) => runs.flatMap((length, run) => Array<boolean>(length).fill(run % 2 === 0 ? startsIn : !startsIn)).slice(0, SAMPLES));
    const truth = fc
      .array(personTimeline, { minLength: PEOPLE.length, maxLength: PEOPLE.length })
      .map((timelines) => {
        const samples = Math.min(...timelines.map((timeline) => timeline.length));
        return Array.from({ length: samples }, (_unused, sample) => timelines.map((timeline) => timeline[sample] as boolean));
      })
      .filter((rows) => rows.length >= 2);
    /** Per sample: whether everyone's lookup failed, and each person's own failure. */
    const failures = fc.array(fc.record({ everyone: fc.boolean(), person: fc.array(fc.boolean(), { minLength: PEOPLE.length, maxLength: PEOPLE.length }) }), {
      minLength: SAMPLES,
      maxLength: SAMPLES,
    });
    fc.assert(
      fc.property(truth, failures, (presence, failing) => {
        // Failures are transient: nobody is unreadable in two samples in a row (then the next one knows).
        const unreadable = presence.map(() => PEOPLE.map(() => false));
        presence.forEach((_row, sample) => {
          PEOPLE.forEach((_participant, index) => {
            const fails = Boolean(failing[sample]?.everyone || failing[sample]?.person[index]);
            unreadable[sample]![index] = fails && !(sample > 0 && unreadable[sample - 1]![index]) && sample < presence.length - 1;
          });
        });
        const exact = sampleMeeting(presence.map((row) => row.map((isIn): Reading => (isIn ? 'present' : 'absent'))));
        const withFailures = sampleMeeting(
          presence.map((row, sample) => row.map((isIn, index): Reading => (unreadable[sample]![index] ? 'unreadable' : isIn ? 'present' : 'absent'))),
        );
        const intervalMs = INTERVAL_S * 1000;
        for (const participant of PEOPLE) {
          const expected = intervalsOf(exact, participant);
          const actual = intervalsOf(withFailures, participant);
          assert.equal(actual.length, expected.length, `${participant.key}: a failed lookup split or lost a session`);
          actual.forEach((interval, index) => {
            const reference = expected[index]!;
            assert.ok(Math.abs(interval.joinedAt - reference.joinedAt) <= intervalMs);
            assert.ok(Math.abs(interval.leftAt - reference.leftAt) <= intervalMs);
            assert.ok(Math.abs(interval.leftAt - interval.joinedAt - (reference.leftAt - reference.joinedAt)) <= intervalMs);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
