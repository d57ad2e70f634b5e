import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDuration, secondsBetween } from '../../bot/src/attendance/duration.js';
import type { AttendanceEvent, Participant } from '../../bot/src/attendance/events.js';
import { buildSessions, canonicalOrder, sessionIdFor, type MeetingSession } from '../../bot/src/attendance/ledger.js';
import { buildReport, type AttendanceReport } from '../../bot/src/attendance/report.js';
import {
  ana,
  at,
  bob,
  foundPresent,
  guest,
  joined,
  left,
  meetingEnded,
  meetingStarted,
  MEETING_ID,
  nth,
  person,
  single,
} from '../support/attendanceEvents.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function reportsOf(events: readonly AttendanceEvent[], now: string): AttendanceReport[] {
  return buildSessions(events).map((session) => buildReport(session, undefined, now));
}

function recordOf(report: AttendanceReport, key: string) {
  const record = report.attendanceRecords.find((candidate) => candidate.id === key);
  assert.ok(record, `no attendance record for ${key}`);
  return record;
}

/** Ana's lesson as in the fixtures: start 09:00:02.123, join 09:00:05.456, leave 09:16:54.789, end 09:30. */
const anasLesson = (): AttendanceEvent[] => [
  meetingStarted(at('09:00:02.123')),
  joined(ana, at('09:00:05.456')),
  left(ana, at('09:16:54.789')),
  meetingEnded(at('09:30:00.000')),
];

describe('ledger: building sessions and attendance from meeting events', () => {
  describe('totals', () => {
    it('counts a join/leave pair exactly to the truncated second (09:00:05.456 → 09:16:54.789 is 1009 s)', () => {
      const report = single(reportsOf(anasLesson(), at('10:00:00')), 'session');
      const record = recordOf(report, ana.key);
      assert.equal(record.totalAttendanceInSeconds, 1009);
      assert.equal(formatDuration(record.totalAttendanceInSeconds), '16m 49s');
      assert.deepEqual(record.attendanceIntervals, [
        { joinDateTime: '2025-11-26T09:00:05.456Z', leaveDateTime: '2025-11-26T09:16:54.789Z', durationInSeconds: 1009 },
      ]);
      assert.equal(record.isPresent, false);
    });

    it('gives the same sessions when the leave is delivered before its join (order by Teams time, not arrival)', () => {
      const inOrder = buildSessions(anasLesson());
      const reversed = buildSessions([...anasLesson()].reverse());
      const shuffled = buildSessions(nthPermutation(anasLesson(), [2, 3, 1, 0]));
      assert.deepEqual(reversed, inOrder);
      assert.deepEqual(shuffled, inOrder);
      const record = recordOf(buildReport(single(reversed), undefined, at('10:00')), ana.key);
      assert.equal(record.totalAttendanceInSeconds, 1009);
    });

    it('adds up several visits of one person and ignores time away', () => {
      const events = [
        meetingStarted(at('09:00:00')),
        joined(bob, at('09:01:00.500')),
        left(bob, at('09:05:00.499')), // 239.999 s → 239
        joined(bob, at('09:10:00')),
        left(bob, at('09:20:00')), // 600 s
        meetingEnded(at('09:30:00')),
      ];
      const record = recordOf(single(reportsOf(events, at('10:00'))), bob.key);
      assert.deepEqual(
        record.attendanceIntervals.map((interval) => interval.durationInSeconds),
        [239, 600],
      );
      assert.equal(record.totalAttendanceInSeconds, 839);
    });
  });

  describe('duplicates and impossible transitions', () => {
    it('counts the same activity delivered twice once', () => {
      const join = joined(ana, at('09:00:05.456'), { activityId: '1732611605002' });
      const events = [...anasLesson(), join, structuredClone(join)];
      const record = recordOf(single(reportsOf(events, at('10:00'))), ana.key);
      assert.equal(record.attendanceIntervals.length, 1);
      assert.equal(record.totalAttendanceInSeconds, 1009);
    });

    it('counts the same fact retried under a new activity id once (same eventKey)', () => {
      const original = joined(ana, at('09:00:05.456'), { activityId: 'first-delivery' });
      const retry = joined(ana, at('09:00:05.456'), { activityId: 'retry-with-new-id' });
      assert.equal(retry.eventKey, original.eventKey);
      const events = [meetingStarted(at('09:00:02.123')), original, retry, left(ana, at('09:16:54.789'))];
      assert.equal(canonicalOrder(events).filter((event) => event.kind === 'participantJoined').length, 1);
      const record = recordOf(single(reportsOf(events, at('10:00'))), ana.key);
      assert.equal(record.attendanceIntervals.length, 1);
      assert.equal(record.totalAttendanceInSeconds, 1009);
    });

    it('counts one activity once even when its two deliveries disagree on the event key', () => {
      const first = left(ana, at('09:16:54.789'), { activityId: 'leave-activity' });
      const redelivered = { ...left(ana, at('09:16:54.790'), { activityId: 'leave-activity' }) };
      assert.notEqual(first.eventKey, redelivered.eventKey);
      const events = [meetingStarted(at('09:00:02.123')), joined(ana, at('09:00:05.456')), redelivered, first];
      const kept = canonicalOrder(events).filter((event) => event.kind === 'participantLeft');
      assert.equal(single(kept).occurredAt, '2025-11-26T09:16:54.789Z');
    });

    it('keeps the first join when a join arrives while the person is already present', () => {
      const events = [
        meetingStarted(at('09:00:00')),
        joined(bob, at('09:01:00')),
        joined(bob, at('09:05:00')),
        left(bob, at('09:11:00')),
        meetingEnded(at('09:30:00')),
      ];
      const record = recordOf(single(reportsOf(events, at('10:00'))), bob.key);
      assert.deepEqual(record.attendanceIntervals, [
        { joinDateTime: at('09:01:00'), leaveDateTime: at('09:11:00'), durationInSeconds: 600 },
      ]);
    });

    it('ignores a leave while the person is absent (after leaving, or never having joined)', () => {
      const events = [
        meetingStarted(at('09:00:00')),
        left(guest, at('09:00:30')),
        joined(bob, at('09:01:00')),
        left(bob, at('09:11:00')),
        left(bob, at('09:20:00')),
        meetingEnded(at('09:30:00')),
      ];
      const report = single(reportsOf(events, at('10:00')));
      assert.deepEqual(
        report.attendanceRecords.map((record) => record.id),
        [bob.key],
        'a person who only ever "left" has no record',
      );
      assert.equal(report.totalParticipantCount, 1);
      assert.deepEqual(recordOf(report, bob.key).attendanceIntervals, [
        { joinDateTime: at('09:01:00'), leaveDateTime: at('09:11:00'), durationInSeconds: 600 },
      ]);
    });

    it('reads a join and a leave stamped at the same instant as a zero-length visit, in either delivery order', () => {
      const sameInstant = [joined(bob, at('09:05:00')), left(bob, at('09:05:00'))];
      for (const delivery of [sameInstant, [...sameInstant].reverse()]) {
        const events = [meetingStarted(at('09:00:00')), ...delivery, meetingEnded(at('09:30:00'))];
        const record = recordOf(single(reportsOf(events, at('10:00'))), bob.key);
        assert.deepEqual(record.attendanceIntervals, [
          { joinDateTime: at('09:05:00'), leaveDateTime: at('09:05:00'), durationInSeconds: 0 },
        ]);
      }
    });

    it('ignores a leave that comes with no session at all', () => {
      assert.deepEqual(buildSessions([left(bob, at('09:11:00'))]), []);
    });
  });

  describe('meeting end and live meetings', () => {
    it('closes every open interval at the meeting end time', () => {
      const events = [
        meetingStarted(at('09:00:00')),
        joined(ana, at('09:00:10')),
        joined(bob, at('09:02:00.250')),
        left(ana, at('09:10:00')),
        meetingEnded(at('09:30:00')),
      ];
      const session = single(buildSessions(events));
      assert.equal(session.endedAt, at('09:30:00'));
      const report = buildReport(session, undefined, at('12:00:00'));
      const bobs = recordOf(report, bob.key);
      assert.deepEqual(bobs.attendanceIntervals, [
        { joinDateTime: at('09:02:00.250'), leaveDateTime: at('09:30:00'), durationInSeconds: 1679 },
      ]);
      assert.equal(bobs.isPresent, false);
      assert.equal(report.isLive, false);
      assert.equal(report.meetingEndDateTime, at('09:30:00'));
    });

    it('runs open intervals of a live meeting to `now`', () => {
      const events = [
        meetingStarted(at('09:00:00')),
        joined(bob, at('09:01:00')),
        joined(ana, at('09:02:00')),
        left(ana, at('09:03:00')),
      ];
      const live = single(reportsOf(events, at('09:11:00.999')));
      assert.equal(live.isLive, true);
      assert.equal(live.meetingEndDateTime, null);
      const bobs = recordOf(live, bob.key);
      assert.deepEqual(bobs.attendanceIntervals, [
        { joinDateTime: at('09:01:00'), leaveDateTime: null, durationInSeconds: 600 },
      ]);
      assert.equal(bobs.isPresent, true);
      assert.equal(recordOf(live, ana.key).isPresent, false);
      assert.equal(recordOf(live, ana.key).totalAttendanceInSeconds, 60, 'closed intervals do not grow with `now`');
      const later = single(reportsOf(events, at('09:21:00')));
      assert.equal(recordOf(later, bob.key).totalAttendanceInSeconds, 1200);
    });
  });

  describe('sessions', () => {
    it('gives each start → end run of a meeting its own session with a distinct, stable id', () => {
      const events = [
        meetingStarted(at('09:00:00')),
        joined(ana, at('09:00:05')),
        meetingEnded(at('09:30:00')),
        meetingStarted(at('14:00:00')),
        joined(bob, at('14:00:07')),
        left(bob, at('14:10:07')),
        meetingEnded(at('14:45:00')),
      ];
      const sessions = buildSessions(events);
      assert.equal(sessions.length, 2);
      const [morning, afternoon] = [nth(sessions, 0), nth(sessions, 1)];
      assert.notEqual(morning.sessionId, afternoon.sessionId);
      for (const session of sessions) assert.match(session.sessionId, GUID);
      assert.equal(morning.sessionId, sessionIdFor(MEETING_ID, at('09:00:00')));
      assert.equal(afternoon.sessionId, sessionIdFor(MEETING_ID, at('14:00:00')));
      assert.deepEqual(
        buildSessions([...events].reverse()).map((session) => session.sessionId),
        [morning.sessionId, afternoon.sessionId],
        'ids do not depend on delivery order',
      );
      assert.deepEqual(
        sessions.map((session) => [session.startedAt, session.endedAt, session.startObserved]),
        [
          [at('09:00:00'), at('09:30:00'), true],
          [at('14:00:00'), at('14:45:00'), true],
        ],
      );
      assert.deepEqual(
        morning.participants.map((entry) => entry.participant.key),
        [ana.key],
      );
      assert.deepEqual(
        afternoon.participants.map((entry) => entry.participant.key),
        [bob.key],
      );
    });

    it('ignores a second start while a session is open', () => {
      const events = [meetingStarted(at('09:00:00')), meetingStarted(at('09:05:00')), meetingEnded(at('09:30:00'))];
      const session = single(buildSessions(events));
      assert.equal(session.startedAt, at('09:00:00'));
    });

    it('opens a session at the first join when no start was seen, marked startObserved=false', () => {
      const events = [joined(bob, at('09:03:00')), left(bob, at('09:13:00')), meetingEnded(at('09:30:00'))];
      const session = single(buildSessions(events));
      assert.equal(session.startObserved, false);
      assert.equal(session.startedAt, at('09:03:00'));
      assert.equal(session.sessionId, sessionIdFor(MEETING_ID, at('09:03:00')));
      const report = buildReport(session, undefined, at('10:00'));
      assert.equal(report.meetingStartObserved, false);
      assert.equal(report.meetingStartDateTime, at('09:03:00'));
      assert.equal(recordOf(report, bob.key).totalAttendanceInSeconds, 600);
    });

    it('confirms the start of a session opened by a join stamped a moment before meetingStart', () => {
      const events = [joined(bob, at('09:00:01.900')), meetingStarted(at('09:00:02.100')), meetingEnded(at('09:30:00'))];
      const session = single(buildSessions(events));
      assert.equal(session.startObserved, true);
      assert.equal(session.startedAt, at('09:00:01.900'));
      assert.equal(recordOf(buildReport(session, undefined, at('10:00')), bob.key).totalAttendanceInSeconds, 1798);
    });

    it('marks someone found already present as startedBeforeTracking, and the report as presentBeforeTracking', () => {
      const events = [
        foundPresent(ana, at('09:20:00')),
        joined(bob, at('09:21:00')),
        meetingEnded(at('09:30:00')),
      ];
      const session = single(buildSessions(events));
      assert.equal(session.startObserved, false);
      const anas = single(session.participants.filter((entry) => entry.participant.key === ana.key));
      assert.deepEqual(anas.intervals, [
        { joinedAt: at('09:20:00'), leftAt: at('09:30:00'), source: 'seeded', startedBeforeTracking: true },
      ]);
      const report = buildReport(session, undefined, at('10:00'));
      assert.equal(recordOf(report, ana.key).presentBeforeTracking, true);
      assert.equal(recordOf(report, ana.key).totalAttendanceInSeconds, 600);
      assert.equal(recordOf(report, bob.key).presentBeforeTracking, false);
    });

    it('keys an anonymous participant by Teams user id, so two guests with one name stay two people', () => {
      const otherGuest = person('29:1GuestVisitor7', { displayName: 'Guest Visitor', role: 'Attendee' });
      const events = [
        meetingStarted(at('09:00:00')),
        joined(guest, at('09:01:00')),
        joined(otherGuest, at('09:02:00')),
        left(guest, at('09:06:00')),
        meetingEnded(at('09:30:00')),
      ];
      const report = single(reportsOf(events, at('10:00')));
      assert.equal(report.totalParticipantCount, 2);
      const first = recordOf(report, '29:1GuestVisitor9');
      assert.equal(first.identity.id, '29:1GuestVisitor9');
      assert.equal(first.identity.displayName, 'Guest Visitor');
      assert.equal(first.totalAttendanceInSeconds, 300);
      assert.equal(recordOf(report, '29:1GuestVisitor7').totalAttendanceInSeconds, 1680);
    });

    it('refreshes what is known about a person from their newest event (a promotion to presenter)', () => {
      const promoted = { ...bob, role: 'Presenter' };
      const events = [
        meetingStarted(at('09:00:00')),
        joined(bob, at('09:01:00')),
        left(bob, at('09:02:00')),
        joined(promoted, at('09:03:00')),
        meetingEnded(at('09:30:00')),
      ];
      const report = single(reportsOf([...events].reverse(), at('10:00')));
      assert.equal(recordOf(report, bob.key).role, 'Presenter');
    });
  });
});

/* ---------------------------------------------------------------------------------------------------------
 * Property tests: random valid meeting timelines, compared with an independent model of what they mean.
 * ------------------------------------------------------------------------------------------------------- */

const PEOPLE: readonly Participant[] = [
  ana,
  bob,
  guest,
  person('29:1GuestVisitor7', { displayName: 'Guest Visitor', role: 'Attendee' }),
  person('5d3c2b1a-0000-4000-8000-000000000303', {
    teamsUserId: '29:1Carol3',
    aadObjectId: '5d3c2b1a-0000-4000-8000-000000000303',
    displayName: 'Carol',
    role: 'Presenter',
  }),
];

const DAY_START = Date.parse('2025-11-26T08:00:00.000Z');
const MAX_SESSION_MS = 2 * 60 * 60 * 1000;

interface PersonPlan {
  who: Participant;
  /** Offsets from the session start, alternately joining and leaving; distinct, so never two at once. */
  toggles: number[];
  /** Their first presence was found by a roster sample rather than a join event. */
  foundFirst: boolean;
}

interface SessionPlan {
  startObserved: boolean;
  startMs: number;
  endMs: number;
  ended: boolean;
  people: PersonPlan[];
}

interface Timeline {
  sessions: SessionPlan[];
  nowMs: number;
}

const personPlanArb = fc.record({
  index: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
  toggles: fc.uniqueArray(fc.integer({ min: 0, max: MAX_SESSION_MS }), { maxLength: 6 }),
  foundFirst: fc.boolean(),
});

const sessionShapeArb = fc.record({
  startObserved: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  gapMs: fc.integer({ min: 1, max: 3 * 60 * 60 * 1000 }),
  lengthMs: fc.integer({ min: 0, max: MAX_SESSION_MS }),
  people: fc.uniqueArray(personPlanArb, { selector: (plan) => plan.index, maxLength: PEOPLE.length }),
});

const timelineArb: fc.Arbitrary<Timeline> = fc
  .record({
    shapes: fc.array(sessionShapeArb, { minLength: 1, maxLength: 3 }),
    lastEnded: fc.boolean(),
    nowAfterMs: fc.integer({ min: 0, max: 60 * 60 * 1000 }),
  })
  .map(({ shapes, lastEnded, nowAfterMs }) => {
    let clock = DAY_START;
    const sessions = shapes.map((shape, index): SessionPlan => {
      const people = shape.people.map((plan) => ({
        who: nth(PEOPLE, plan.index, 'person'),
        toggles: [...plan.toggles].sort((a, b) => a - b),
        foundFirst: plan.foundFirst,
      }));
      const latest = Math.max(shape.lengthMs, ...people.flatMap((plan) => plan.toggles));
      const startMs = clock + shape.gapMs;
      const endMs = startMs + latest;
      clock = endMs;
      return {
        startObserved: shape.startObserved,
        startMs,
        endMs,
        ended: index < shapes.length - 1 || lastEnded,
        people,
      };
    });
    return { sessions, nowMs: clock + nowAfterMs };
  });

const iso = (ms: number) => new Date(ms).toISOString();

function eventsOf(timeline: Timeline): AttendanceEvent[] {
  return timeline.sessions.flatMap((session) => {
    const events: AttendanceEvent[] = [];
    if (session.startObserved) events.push(meetingStarted(iso(session.startMs)));
    for (const plan of session.people) {
      plan.toggles.forEach((offset, index) => {
        const when = iso(session.startMs + offset);
        if (index % 2 === 1) events.push(left(plan.who, when));
        else if (index === 0 && plan.foundFirst) events.push(foundPresent(plan.who, when));
        else events.push(joined(plan.who, when));
      });
    }
    if (session.ended) events.push(meetingEnded(iso(session.endMs)));
    return events;
  });
}

interface ExpectedSession {
  startedAt: string;
  endedAt: string | null;
  startObserved: boolean;
  records: Map<string, { intervals: [string, string | null, number][]; presentBeforeTracking: boolean }>;
}

/** What a timeline means, worked out directly from the plan (not through the ledger). */
function expectedSessions(timeline: Timeline): ExpectedSession[] {
  const now = timeline.nowMs;
  return timeline.sessions
    .filter((session) => session.startObserved || session.people.some((plan) => plan.toggles.length > 0))
    .map((session) => {
      const firstPresence = Math.min(...session.people.flatMap((plan) => plan.toggles.slice(0, 1)));
      const startMs = session.startObserved ? session.startMs : session.startMs + firstPresence;
      const closeMs = session.ended ? session.endMs : now;
      const records = new Map<string, { intervals: [string, string | null, number][]; presentBeforeTracking: boolean }>();
      for (const plan of session.people) {
        if (plan.toggles.length === 0) continue;
        const intervals: [string, string | null, number][] = [];
        for (let index = 0; index < plan.toggles.length; index += 2) {
          const joinMs = session.startMs + nth(plan.toggles, index);
          const leaveOffset = plan.toggles[index + 1];
          const leaveMs = leaveOffset === undefined ? (session.ended ? session.endMs : undefined) : session.startMs + leaveOffset;
          const durationMs = (leaveMs ?? now) - joinMs;
          intervals.push([iso(joinMs), leaveMs === undefined ? null : iso(leaveMs), Math.floor(durationMs / 1000)]);
        }
        records.set(plan.who.key, { intervals, presentBeforeTracking: plan.foundFirst });
      }
      return {
        startedAt: iso(startMs),
        endedAt: session.ended ? iso(closeMs) : null,
        startObserved: session.startObserved,
        records,
      };
    });
}

/** Delivery as Teams might do it: some facts retried under new activity ids, some redelivered as-is, all shuffled. */
const deliveryArb = timelineArb.chain((timeline) => {
  const events = eventsOf(timeline);
  return fc
    .tuple(fc.subarray(events), fc.subarray(events))
    .chain(([retried, redelivered]) => {
      const delivered = [
        ...events,
        ...retried.map((event) => ({ ...structuredClone(event), activityId: `${event.activityId ?? ''}#retry` })),
        ...redelivered.map((event) => structuredClone(event)),
      ];
      return fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length });
    })
    .map((delivered) => ({ timeline, events, delivered }));
});

function assertSessionInvariants(session: MeetingSession, now: string): void {
  const report = buildReport(session, undefined, now);
  const sessionSeconds = secondsBetween(session.startedAt, session.endedAt ?? now);
  const sessionEnd = Date.parse(session.endedAt ?? now);
  for (const record of report.attendanceRecords) {
    const sum = record.attendanceIntervals.reduce((total, interval) => total + interval.durationInSeconds, 0);
    assert.equal(record.totalAttendanceInSeconds, sum, `${record.id}: total is the sum of its intervals`);
    assert.ok(record.totalAttendanceInSeconds <= sessionSeconds, `${record.id}: total exceeds the session length`);
  }
  for (const entry of session.participants) {
    let previousEnd = Date.parse(session.startedAt);
    entry.intervals.forEach((interval, index) => {
      const joinedAt = Date.parse(interval.joinedAt);
      const leftAt = interval.leftAt === undefined ? undefined : Date.parse(interval.leftAt);
      assert.ok(joinedAt >= previousEnd, `${entry.participant.key}: interval ${index} overlaps the one before`);
      if (leftAt === undefined) {
        assert.equal(index, entry.intervals.length - 1, 'only the last interval can be open');
        assert.equal(session.endedAt, undefined, 'no interval stays open after the meeting ended');
      } else {
        assert.ok(leftAt >= joinedAt, 'an interval never ends before it starts');
        assert.ok(leftAt <= sessionEnd, 'an interval never outlasts its session');
        previousEnd = leftAt;
      }
    });
  }
}

describe('ledger properties (fast-check)', () => {
  const runs = { numRuns: 200 };

  it('matches an independent model of random meeting timelines', () => {
    fc.assert(
      fc.property(timelineArb, (timeline) => {
        const now = iso(timeline.nowMs);
        const reports = reportsOf(eventsOf(timeline), now);
        const expected = expectedSessions(timeline);
        assert.equal(reports.length, expected.length, 'number of sessions');
        reports.forEach((report, index) => {
          const want = nth(expected, index);
          assert.equal(report.meetingStartDateTime, want.startedAt);
          assert.equal(report.meetingEndDateTime, want.endedAt);
          assert.equal(report.meetingStartObserved, want.startObserved);
          assert.equal(report.totalParticipantCount, want.records.size);
          for (const record of report.attendanceRecords) {
            const wanted = want.records.get(record.id);
            assert.ok(wanted, `unexpected record ${record.id}`);
            assert.deepEqual(
              record.attendanceIntervals.map((interval) => [
                interval.joinDateTime,
                interval.leaveDateTime,
                interval.durationInSeconds,
              ]),
              wanted.intervals,
            );
            assert.equal(
              record.totalAttendanceInSeconds,
              wanted.intervals.reduce((total, [, , seconds]) => total + seconds, 0),
            );
            assert.equal(record.presentBeforeTracking, wanted.presentBeforeTracking);
          }
        });
      }),
      runs,
    );
  });

  it('gives the same reports whatever the delivery order and however often facts are redelivered', () => {
    fc.assert(
      fc.property(deliveryArb, ({ timeline, events, delivered }) => {
        const now = iso(timeline.nowMs);
        assert.deepEqual(reportsOf(delivered, now), reportsOf(events, now));
        assert.deepEqual(buildSessions(delivered), buildSessions(events));
      }),
      runs,
    );
  });

  it('keeps totals equal to the sum of intervals, within the session, with no overlapping intervals', () => {
    fc.assert(
      fc.property(deliveryArb, ({ timeline, delivered }) => {
        const now = iso(timeline.nowMs);
        for (const session of buildSessions(delivered)) assertSessionInvariants(session, now);
      }),
      runs,
    );
  });

  it('keeps the same invariants for any jumble of events, valid timeline or not', () => {
    const soupEventArb = fc
      .record({
        kind: fc.constantFrom('start', 'end', 'join', 'leave', 'found'),
        who: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
        atMs: fc.integer({ min: 0, max: 4 * 60 * 60 * 1000 }),
      })
      .map(({ kind, who, atMs }): AttendanceEvent => {
        const when = iso(DAY_START + atMs);
        const participant = nth(PEOPLE, who);
        switch (kind) {
          case 'start':
            return meetingStarted(when);
          case 'end':
            return meetingEnded(when);
          case 'join':
            return joined(participant, when);
          case 'leave':
            return left(participant, when);
          default:
            return foundPresent(participant, when);
        }
      });
    fc.assert(
      fc.property(fc.array(soupEventArb, { maxLength: 40 }), (events) => {
        const now = iso(DAY_START + 5 * 60 * 60 * 1000);
        for (const session of buildSessions(events)) assertSessionInvariants(session, now);
        assert.deepEqual(buildSessions([...events].reverse()), buildSessions(events), 'order never matters');
      }),
      runs,
    );
  });
});

/** `items` rearranged so that position i holds items[order[i]]. */
function nthPermutation<T>(items: readonly T[], order: readonly number[]): T[] {
  return order.map((index) => nth(items, index));
}
