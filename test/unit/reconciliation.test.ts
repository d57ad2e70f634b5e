import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AttendanceEvent, Participant } from '../../bot/src/attendance/events.js';
import { unionOf } from '../../bot/src/attendance/intervals.js';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import {
  reconciledEvents,
  sessionsAwaitingReconciliation,
  type CallPresence,
  type EndedSession,
} from '../../bot/src/attendance/reconciliation.js';
import { buildReport } from '../../bot/src/attendance/report.js';
import { ana, at, bob, foundPresent, joined, left, meetingEnded, meetingStarted, nth, single } from '../support/attendanceEvents.js';

const sampled = { source: 'sampled' as const, sampleIntervalSeconds: 30, activityId: null };

/** How a call record names a person: Entra object id, display name and tenant, no Teams id, email or role. */
function fromCallRecord(participant: Participant): Participant {
  return {
    key: participant.key,
    teamsUserId: '',
    aadObjectId: participant.key,
    ...(participant.displayName ? { displayName: participant.displayName } : {}),
    ...(participant.tenantId ? { tenantId: participant.tenantId } : {}),
  };
}

function presence(participant: Participant, from: string, to: string): CallPresence {
  return { participant: fromCallRecord(participant), startedAt: at(from), endedAt: at(to) };
}

function endedSession(events: readonly AttendanceEvent[]): EndedSession {
  const session = single(buildSessions(events), 'session');
  assert.ok(session.endedAt, 'the session has ended');
  return session as EndedSession;
}

/** Reconciles the one session of `events` with `presences` and reports it as the ledger would afterwards. */
function reconciledReport(events: AttendanceEvent[], presences: CallPresence[]) {
  const session = endedSession(events);
  const reconciled = reconciledEvents(session, presences);
  const after = endedSession([...events, ...reconciled]);
  return { session, after, reconciled, report: buildReport(after, undefined, at('12:00')) };
}

function recordOf(report: ReturnType<typeof buildReport>, key: string) {
  const record = report.attendanceRecords.find((candidate) => candidate.id === key);
  assert.ok(record, `no record for ${key}`);
  return record;
}

const lesson = (): AttendanceEvent[] => [meetingStarted(at('09:00:02.123')), meetingEnded(at('09:30:00.000'))];

describe('reconciliation: call-record sessions become exact attendance', () => {
  describe('unionOf (intervals.ts), which merges one person\'s call-record sessions', () => {
    it('merges overlapping and touching spans, keeps gaps, drops empty spans', () => {
      assert.deepEqual(
        unionOf([
          { from: 50, to: 60 },
          { from: 0, to: 10 },
          { from: 5, to: 20 },
          { from: 20, to: 30 },
          { from: 40, to: 40 },
        ]),
        [
          { from: 0, to: 30 },
          { from: 50, to: 60 },
        ],
      );
    });

    it('covers exactly the instants its input covers, with disjoint spans in order', () => {
      const span = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([from, length]) => ({ from, to: from + length }));
      fc.assert(
        fc.property(fc.array(span, { maxLength: 12 }), (spans) => {
          const union = unionOf(spans);
          union.forEach((current, index) => {
            assert.ok(current.to > current.from);
            const next = union[index + 1];
            if (next) assert.ok(next.from > current.to, 'disjoint, not touching, and in order');
          });
          for (let instant = 0; instant < 90; instant += 1) {
            const inInput = spans.some((candidate) => candidate.from <= instant && instant < candidate.to);
            const inUnion = union.filter((candidate) => candidate.from <= instant && instant < candidate.to).length;
            assert.equal(inUnion, inInput ? 1 : 0, `instant ${instant}`);
          }
        }),
      );
    });
  });

  describe('reconciledEvents', () => {
    it("merges one person's overlapping audio and video sessions into one exact interval, labelled reconciled", () => {
      const { report, reconciled } = reconciledReport(lesson(), [
        presence(ana, '09:00:05.456', '09:16:54.789'),
        presence(ana, '09:01:00.000', '09:10:00.000'),
      ]);
      assert.deepEqual(
        reconciled.map((event) => [event.kind, event.occurredAt, event.source, event.activityId]),
        [
          ['participantJoined', at('09:00:05.456'), 'reconciled', undefined],
          ['participantLeft', at('09:16:54.789'), 'reconciled', undefined],
        ],
      );
      const record = recordOf(report, ana.key);
      assert.equal(record.totalAttendanceInSeconds, 1009);
      assert.equal(record.attendanceBasis, 'reconciled');
      assert.equal(report.accuracy.statement, 'Reconciled from call records (exact).');
    });

    it('keeps separate visits apart', () => {
      const { report } = reconciledReport(lesson(), [presence(bob, '09:01:00', '09:05:00'), presence(bob, '09:10:00', '09:12:30')]);
      assert.deepEqual(
        recordOf(report, bob.key).attendanceIntervals.map((interval) => interval.durationInSeconds),
        [240, 150],
      );
    });

    it("clips to the meeting's observed start and end, so the report keeps its id, start and end", () => {
      const { session, after, report } = reconciledReport(lesson(), [presence(ana, '08:59:59.000', '09:30:02.500')]);
      assert.equal(after.sessionId, session.sessionId);
      assert.equal(after.startedAt, session.startedAt);
      assert.deepEqual(recordOf(report, ana.key).attendanceIntervals, [
        { joinDateTime: at('09:00:02.123'), leaveDateTime: at('09:30:00.000'), durationInSeconds: 1797 },
      ]);
      assert.equal(recordOf(report, ana.key).presentBeforeTracking, false);
    });

    it('marks someone connected before an unobserved start as present before tracking, without counting that time', () => {
      const events = [foundPresent(bob, at('09:10:00')), left(bob, at('09:20:30'), sampled), meetingEnded(at('09:30'))];
      const { session, after, report } = reconciledReport(events, [presence(bob, '09:02:03.250', '09:20:11.750')]);
      assert.equal(after.sessionId, session.sessionId);
      const record = recordOf(report, bob.key);
      assert.deepEqual(record.attendanceIntervals, [
        { joinDateTime: at('09:10:00.000'), leaveDateTime: at('09:20:11.750'), durationInSeconds: 611 },
      ]);
      assert.equal(record.presentBeforeTracking, true);
      assert.equal(record.attendanceBasis, 'reconciled');
    });

    it('keeps what Teams told about a person (Teams id, email, role) over the sparser call-record identity', () => {
      const bobAsSampled = { ...bob, email: 'bob@contoso.test' };
      const events = [meetingStarted(at('09:00')), joined(bobAsSampled, at('09:01:00'), sampled), meetingEnded(at('09:30'))];
      const { reconciled } = reconciledReport(events, [presence(bob, '09:00:40', '09:20:00')]);
      assert.deepEqual(nth(reconciled, 0).kind === 'participantJoined' && nth(reconciled, 0).participant, bobAsSampled);
    });

    it('adds someone Teams never told us about, named as the call record names them', () => {
      const { report } = reconciledReport(lesson(), [presence(bob, '09:05:00', '09:06:00')]);
      const record = recordOf(report, bob.key);
      assert.deepEqual(record.identity, { id: bob.key, displayName: 'Bob Student', tenantId: bob.tenantId });
      assert.equal(record.role, 'Unknown');
    });

    it("leaves a person's Teams events in charge: their figures do not change", () => {
      const events = [...lesson(), joined(ana, at('09:00:05.456')), left(ana, at('09:16:54.789'))];
      const before = buildReport(endedSession(events), undefined, at('12:00'));
      const { reconciled, report } = reconciledReport(events, [presence(ana, '09:00:01', '09:29:00'), presence(bob, '09:03:00', '09:04:00')]);
      assert.equal(reconciled.length, 4);
      assert.deepEqual(recordOf(report, ana.key), recordOf(before, ana.key));
      assert.equal(recordOf(report, bob.key).attendanceBasis, 'reconciled');
    });

    it('ignores sessions outside the meeting session, and gives the same facts every time (idempotent keys)', () => {
      const session = endedSession(lesson());
      assert.deepEqual(reconciledEvents(session, [presence(bob, '08:00', '08:30'), presence(bob, '09:30', '09:45')]), []);
      const presences = [presence(ana, '09:00:05', '09:10:00'), presence(bob, '09:02:00', '09:04:00'), presence(ana, '09:09:00', '09:12:00')];
      const keys = (list: CallPresence[]) => reconciledEvents(session, list).map((event) => event.eventKey).sort();
      assert.equal(keys(presences).length, 4);
      assert.deepEqual(keys(presences), keys([...presences].reverse()));
    });
  });

  describe('sessionsAwaitingReconciliation', () => {
    const twoRuns = (): AttendanceEvent[] => [
      meetingStarted(at('09:00')),
      meetingEnded(at('09:30')),
      meetingStarted(at('10:00')),
      meetingEnded(at('10:30')),
      meetingStarted(at('11:00')),
    ];

    it('lists the ended sessions without reconciled facts, not the live one', () => {
      const events = twoRuns();
      const waiting = sessionsAwaitingReconciliation(events, buildSessions(events), at('00:00'));
      assert.deepEqual(waiting.map((session) => session.startedAt), [at('09:00'), at('10:00')]);
    });

    it('drops a session once its reconciled facts are stored, and sessions that ended before the cut-off', () => {
      const first = twoRuns();
      const reconciled = reconciledEvents(nth(sessionsAwaitingReconciliation(first, buildSessions(first), at('00:00')), 0), [
        presence(ana, '09:01', '09:29'),
      ]);
      const events = [...first, ...reconciled];
      assert.deepEqual(
        sessionsAwaitingReconciliation(events, buildSessions(events), at('00:00')).map((session) => session.startedAt),
        [at('10:00')],
      );
      assert.deepEqual(sessionsAwaitingReconciliation(first, buildSessions(first), at('10:30:00.001')), []);
    });
  });
});
