import assert from 'node:assert/strict';
import fc from 'fast-check';
import { correctionProblem, type CorrectionRequest } from '../../bot/src/attendance/corrections.js';
import type { AttendanceEvent } from '../../bot/src/attendance/events.js';
import { buildSessions, type MeetingSession } from '../../bot/src/attendance/ledger.js';
import { buildRegister, type AttendanceStatus, type Register, type RegisterEntry } from '../../bot/src/attendance/register.js';
import { ana, at, bob, foundPresent, joined, left, meetingEnded, meetingStarted, person, single } from '../support/attendanceEvents.js';
import { correction, DEFAULT_RULE, onRoster } from '../support/register.js';

const cara = person('cara', { displayName: 'Cara Student', role: 'Attendee' });
const dan = person('dan', { displayName: 'Dan Student', role: 'Attendee' });
const eve = person('eve', { displayName: 'Eve Student', role: 'Attendee' });
const END = at('10:00:00.000');

function sessionOf(events: AttendanceEvent[]): MeetingSession {
  return single(buildSessions(events), 'session');
}

function entryOf(register: Register, key: string): RegisterEntry {
  const entry = register.entries.find((candidate) => candidate.participant.key === key);
  assert.ok(entry, `no register entry for ${key}`);
  return entry;
}

/** A one-hour class 09:00–10:00 with the given people's time; everyone in `roster` was a member at 08:55. */
function classOf(times: [typeof ana, string, string][], roster = [ana, bob, cara, dan]) {
  const session = sessionOf([
    meetingStarted(at('09:00:00.000')),
    ...times.flatMap(([who, from, to]) => [joined(who, at(from)), left(who, at(to))]),
    meetingEnded(END),
  ]);
  return { session, roster: roster.map((who) => onRoster(who, at('08:55:00.000'))) };
}

/** How good a status is: more time may only move a person up (late and leftEarly are the same step). */
const RANK: Record<AttendanceStatus, number> = { excused: -1, absent: 0, partial: 1, late: 2, leftEarly: 2, present: 3 };

describe('the register', () => {
  it('gives each person one status in the issue\'s order, with the late and left-early flags and figures', () => {
    const { session, roster } = classOf([
      [ana, '09:00:00.000', '10:00:00.000'],
      [bob, '09:12:00.000', '10:00:00.000'],
      [cara, '09:00:00.000', '09:40:00.000'],
      [eve, '09:00:00.000', '09:55:00.000'],
    ]);
    const register = buildRegister(session, roster, DEFAULT_RULE, [], END);
    assert.equal(entryOf(register, ana.key).status, 'present');
    const bobs = entryOf(register, bob.key);
    assert.deepEqual([bobs.status, bobs.late, bobs.lateBySeconds, bobs.attendancePercent], ['late', true, 720, 80]);
    const caras = entryOf(register, cara.key);
    assert.deepEqual([caras.status, caras.leftEarly, caras.leftEarlyBySeconds, caras.attendancePercent], ['partial', true, 1200, 66.6]);
    assert.equal(entryOf(register, dan.key).status, 'absent');
    const eves = entryOf(register, eve.key);
    assert.deepEqual([eves.status, eves.onRoster, eves.leftEarly], ['present', false, false], 'attended without being on the roster; 5 min early is within 10');
    assert.deepEqual(register.counts, { excused: 0, absent: 1, partial: 1, late: 1, leftEarly: 0, present: 2 });
  });

  it('shows leftEarly as the status when someone met the percentage and was on time but left early', () => {
    const { session, roster } = classOf([[bob, '09:00:00.000', '09:45:00.000']]);
    const bobs = entryOf(buildRegister(session, roster, DEFAULT_RULE, [], END), bob.key);
    assert.deepEqual([bobs.status, bobs.leftEarlyBySeconds, bobs.attendancePercent], ['leftEarly', 900, 75]);
  });

  it('never marks late for time that started before tracking (the app added mid-meeting)', () => {
    const session = sessionOf([joined(ana, at('09:00:00.000')), foundPresent(bob, at('09:30:00.000')), meetingEnded(END)]);
    const bobs = entryOf(buildRegister(session, [], DEFAULT_RULE, [], END), bob.key);
    assert.equal(bobs.late, false);
    assert.equal(bobs.status, 'partial', '30 of 60 minutes');
  });

  it('expects someone added to the roster during the session from then on', () => {
    const session = sessionOf([meetingStarted(at('09:00:00.000')), joined(eve, at('09:35:00.000')), meetingEnded(END)]);
    const roster = [onRoster(ana, at('08:55:00.000')), onRoster(eve, at('09:30:00.000'))];
    const eves = entryOf(buildRegister(session, roster, DEFAULT_RULE, [], END), eve.key);
    assert.deepEqual([eves.expectedFrom, eves.late, eves.status, eves.attendancePercent], [at('09:30:00.000'), false, 'present', 83.3]);
  });

  it("never calls someone in a live meeting absent, even when Teams' timestamp is ahead of the server's clock", () => {
    const session = sessionOf([meetingStarted(at('09:00:00.000')), joined(bob, at('09:30:02.000'))]);
    const bobs = entryOf(buildRegister(session, [onRoster(bob, at('08:55:00.000'))], DEFAULT_RULE, [], at('09:30:00.000')), bob.key);
    assert.equal(bobs.status, 'partial', 'present (no whole second yet), not absent');
  });

  it('leaves bots out and ignores roster facts read after the session', () => {
    const session = sessionOf([meetingStarted(at('09:00:00.000')), meetingEnded(END)]);
    const bot = person('28:bot', { teamsUserId: '28:bot', displayName: 'Attendance' });
    const register = buildRegister(session, [onRoster(bot, at('08:55:00.000')), onRoster(dan, at('10:30:00.000'))], DEFAULT_RULE, [], END);
    assert.deepEqual(register.entries, []);
  });

  it('applies corrections on top of the measured figures, keeps those readable, and lists every correction', () => {
    const { session, roster } = classOf([[ana, '09:00:00.000', '10:00:00.000']]);
    const phone = correction(session.sessionId, {
      participantId: dan.key,
      action: 'addInterval',
      joinDateTime: at('09:05:00.000'),
      leaveDateTime: at('10:00:00.000'),
      reason: 'dialled in by phone',
    });
    const excused = correction(session.sessionId, { participantId: cara.key, action: 'excuse', reason: 'ill' });
    const register = buildRegister(session, roster, DEFAULT_RULE, [phone, excused], END);
    const dans = entryOf(register, dan.key);
    assert.deepEqual([dans.status, dans.attendedSeconds, dans.corrected, dans.measured.status], ['present', 3300, true, 'absent']);
    assert.deepEqual(dans.corrections, [phone]);
    assert.equal(entryOf(register, cara.key).status, 'excused');
    assert.deepEqual(register.counts, { excused: 1, absent: 1, partial: 0, late: 0, leftEarly: 0, present: 2 });
  });

  it('keeps the rule\'s boundaries exact to the second', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 1, max: 100 }),
        (minutes, offBy, percent) => {
          const rule = { presentPercent: percent, lateAfterMinutes: minutes, leftEarlyMinutes: minutes };
          const start = Date.parse(at('09:00:00.000'));
          const delay = Math.max(0, minutes * 60 + offBy);
          const session = sessionOf([
            meetingStarted(at('09:00:00.000')),
            joined(bob, new Date(start + delay * 1000).toISOString()),
            left(bob, new Date(Date.parse(END) - delay * 1000).toISOString()),
            meetingEnded(END),
          ]);
          const bobs = entryOf(buildRegister(session, [], rule, [], END), bob.key);
          assert.equal(bobs.late, delay > minutes * 60);
          assert.equal(bobs.leftEarly, delay > minutes * 60);
          assert.equal(bobs.lateBySeconds, bobs.late ? delay : 0);
          // Present-percent boundary: exactly `percent` % of 3600 s meets the rule, one second less does not.
          const needed = Math.ceil((percent * 3600) / 100);
          for (const [seconds, meets] of [[needed, true], [needed - 1, false]] as const) {
            const timed = sessionOf([
              meetingStarted(at('09:00:00.000')),
              joined(cara, at('09:00:00.000')),
              left(cara, new Date(start + seconds * 1000).toISOString()),
              meetingEnded(END),
            ]);
            const status = entryOf(buildRegister(timed, [], { ...rule, leftEarlyMinutes: 60 }, [], END), cara.key).status;
            assert.equal(status !== 'partial', meets, `${seconds} s of 3600 at ${percent} %`);
          }
        },
      ),
    );
  });

  const spanInClass = fc
    .tuple(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 3600 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const isoAt = (second: number) => new Date(Date.parse(at('09:00:00.000')) + second * 1000).toISOString();

  function measuredClass(spans: readonly (readonly [number, number])[]): MeetingSession {
    return sessionOf([
      meetingStarted(at('09:00:00.000')),
      ...spans.flatMap(([from, to]) => [joined(bob, isoAt(from)), left(bob, isoAt(to))]),
      meetingEnded(END),
    ]);
  }

  it('never worsens a status when a person has more time', () => {
    const rules = fc.record({
      presentPercent: fc.integer({ min: 0, max: 100 }),
      lateAfterMinutes: fc.integer({ min: 0, max: 60 }),
      leftEarlyMinutes: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(spanInClass, { maxLength: 4 }), spanInClass, rules, (spans, extra, rule) => {
        const session = measuredClass(spans);
        const added = correction(session.sessionId, {
          participantId: bob.key,
          action: 'addInterval',
          joinDateTime: isoAt(extra[0]),
          leaveDateTime: isoAt(extra[1]),
          reason: 'more time',
        });
        const bobs = entryOf(buildRegister(session, [onRoster(bob, at('08:00:00.000'))], rule, [added], END), bob.key);
        assert.ok(RANK[bobs.status] >= RANK[bobs.measured.status], `${bobs.measured.status} became ${bobs.status}`);
        assert.ok(bobs.attendedSeconds >= bobs.measured.attendedSeconds);
      }),
    );
  });

  it('undoes a correction\'s effect with its undo, whatever came before', () => {
    const action = fc.constantFrom('markPresent', 'markAbsent', 'excuse', 'addInterval', 'removeInterval') as fc.Arbitrary<CorrectionRequest['action']>;
    const request = fc.tuple(action, spanInClass).map(([kind, [from, to]]): CorrectionRequest => ({
      participantId: bob.key,
      action: kind,
      reason: 'test',
      ...(kind === 'addInterval' || kind === 'removeInterval' ? { joinDateTime: isoAt(from), leaveDateTime: isoAt(to) } : {}),
    }));
    fc.assert(
      fc.property(fc.array(spanInClass, { maxLength: 3 }), fc.array(request, { maxLength: 4 }), request, (spans, before, last) => {
        const session = measuredClass(spans);
        const roster = [onRoster(bob, at('08:00:00.000'))];
        const earlier = before.map((item, index) => correction(session.sessionId, item, isoAt(index)));
        const made = correction(session.sessionId, last, isoAt(10));
        const undo = correction(session.sessionId, { participantId: bob.key, action: 'undo', correctionId: made.id, reason: 'mistake' }, isoAt(11));
        const figures = (register: Register) => {
          const { corrections: _listed, ...rest } = entryOf(register, bob.key);
          return { ...rest, corrected: undefined, counts: register.counts };
        };
        assert.deepEqual(
          figures(buildRegister(session, roster, DEFAULT_RULE, [...earlier, made, undo], END)),
          figures(buildRegister(session, roster, DEFAULT_RULE, earlier, END)),
        );
      }),
    );
  });
});

describe('correction requests', () => {
  const session = { from: Date.parse(at('09:00:00.000')), to: Date.parse(END) };
  const people = new Set([bob.key]);
  const problem = (request: Partial<CorrectionRequest>, earlier = [] as ReturnType<typeof correction>[]) =>
    correctionProblem({ participantId: bob.key, action: 'markPresent', reason: 'why', ...request }, session, people, earlier);

  it('accepts a status change and an interval inside the session', () => {
    assert.equal(problem({}), undefined);
    assert.equal(problem({ action: 'addInterval', joinDateTime: at('09:10:00.000'), leaveDateTime: at('09:20:00.000') }), undefined);
  });

  it('says what is wrong: an unknown person, a leave before the join, times outside the session, missing or extra times', () => {
    assert.match(problem({ participantId: 'nobody' }) ?? '', /participantId nobody is neither on this meeting's roster/);
    assert.match(problem({ action: 'addInterval', joinDateTime: at('09:20:00.000'), leaveDateTime: at('09:10:00.000') }) ?? '', /leaveDateTime must be after joinDateTime/);
    assert.match(problem({ action: 'removeInterval', joinDateTime: at('08:50:00.000'), leaveDateTime: at('09:10:00.000') }) ?? '', /within the session, from 2025-11-26T09:00:00.000Z/);
    assert.match(problem({ action: 'addInterval', joinDateTime: at('09:20:00.000') }) ?? '', /needs both joinDateTime and leaveDateTime/);
    assert.match(problem({ action: 'excuse', joinDateTime: at('09:20:00.000') }) ?? '', /takes no joinDateTime/);
  });

  it('undoes only an existing, not yet undone correction of the same person', () => {
    const made = correction('r', { participantId: bob.key, action: 'excuse', reason: 'ill' });
    const undone = correction('r', { participantId: bob.key, action: 'undo', correctionId: made.id, reason: 'no' });
    assert.match(problem({ action: 'undo' }) ?? '', /needs correctionId/);
    assert.match(problem({ action: 'undo', correctionId: 'nope' }) ?? '', /is not a correction of this person/);
    assert.equal(problem({ action: 'undo', correctionId: made.id }, [made]), undefined);
    assert.match(problem({ action: 'undo', correctionId: made.id }, [made, undone]) ?? '', /already undone/);
    assert.match(problem({ action: 'undo', correctionId: undone.id }, [made, undone]) ?? '', /cannot be undone/);
  });
});
