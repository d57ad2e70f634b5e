import assert from 'node:assert/strict';
import fc from 'fast-check';
import { viewerRoleFor, type Caller } from '../../bot/src/attendance/access.js';
import type { AttendanceEvent } from '../../bot/src/attendance/events.js';
import { buildSessions, type MeetingSession } from '../../bot/src/attendance/ledger.js';
import { buildLiveView, liveSeconds, type LiveViewer } from '../../bot/src/attendance/liveView.js';
import type { MeetingDetails } from '../../bot/src/attendance/meeting.js';
import { buildReport } from '../../bot/src/attendance/report.js';
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
  person,
  single,
  TENANT_ID,
} from '../support/attendanceEvents.js';

const details: MeetingDetails = {
  tenantId: TENANT_ID,
  meetingId: MEETING_ID,
  title: 'Physics 101',
  meetingType: 'MeetNow',
  organizerAadObjectId: ana.key,
  trackingSince: at('08:55'),
};

const organizer: LiveViewer = { role: 'organizer', participantKey: ana.key, visibleRecords: 'all' };

function sessionOf(events: AttendanceEvent[]): MeetingSession {
  return single(buildSessions(events), 'session');
}

function participant(view: ReturnType<typeof buildLiveView>, key: string) {
  const found = view.participants.find((entry) => entry.id === key);
  if (!found) throw new Error(`no participant ${key} in the view`);
  return found;
}

describe('live view: what the side panel needs to tick durations itself', () => {
  const live = sessionOf([
    meetingStarted(at('09:00:00')),
    joined(ana, at('09:00:10')),
    joined(bob, at('09:01:00.900')),
    left(bob, at('09:02:00.100')),
    joined(bob, at('09:10:00')),
    joined(guest, at('09:05:00')),
    left(guest, at('09:06:30')),
  ]);

  it('gives each participant the whole seconds already closed and since when they are present now', () => {
    const view = buildLiveView(live, details, organizer);
    // 59.2 s truncated to 59, as the report does interval by interval.
    assert.deepEqual(
      participant(view, bob.key),
      {
        id: bob.key,
        displayName: 'Bob Student',
        role: 'Attendee',
        closedSeconds: 59,
        presentSince: at('09:10:00'),
        firstJoinedAt: at('09:01:00.900'),
        lastLeftAt: at('09:02:00.100'),
        joinCount: 2,
        presentBeforeTracking: false,
        isViewer: false,
      },
    );
    const guestView = participant(view, guest.key);
    assert.equal(guestView.closedSeconds, 90);
    assert.equal(guestView.presentSince, null);
    assert.equal(guestView.lastLeftAt, at('09:06:30'));
    assert.equal(participant(view, ana.key).isViewer, true);
  });

  it('describes the meeting: title, type, instant, live, when the app saw it start, and its report', () => {
    const { meeting, viewerRole } = buildLiveView(live, details, organizer);
    assert.deepEqual(meeting, {
      title: 'Physics 101',
      type: 'MeetNow',
      isInstant: true,
      status: 'live',
      startedAt: at('09:00:00'),
      endedAt: null,
      trackingSince: at('09:00:00'),
      reportId: live.sessionId,
    });
    assert.equal(viewerRole, 'organizer');
  });

  it('says when the app was added mid-meeting: no observed start, tracking from the first fact, people present before it', () => {
    const lateAdd = sessionOf([foundPresent(ana, at('09:02:10')), joined(bob, at('09:03:00'))]);
    const view = buildLiveView(lateAdd, details, organizer);
    assert.equal(view.meeting.startedAt, null);
    assert.equal(view.meeting.trackingSince, at('09:02:10'));
    assert.equal(participant(view, ana.key).presentBeforeTracking, true);
    assert.equal(participant(view, bob.key).presentBeforeTracking, false);
  });

  it('has no participants and status notStarted before the meeting starts, tracking since the app was added', () => {
    const view = buildLiveView(undefined, details, organizer);
    assert.equal(view.meeting.status, 'notStarted');
    assert.equal(view.meeting.trackingSince, at('08:55'));
    assert.equal(view.meeting.reportId, null);
    assert.deepEqual(view.participants, []);
  });

  it('closes everything when the meeting ends', () => {
    const ended = sessionOf([meetingStarted(at('09:00')), joined(ana, at('09:00:10')), meetingEnded(at('09:30'))]);
    const view = buildLiveView(ended, details, organizer);
    assert.equal(view.meeting.status, 'ended');
    assert.equal(view.meeting.endedAt, at('09:30'));
    assert.deepEqual(
      view.participants.map((entry) => [entry.closedSeconds, entry.presentSince]),
      [[1790, null]],
    );
  });

  it('shows an attendee only their own row', () => {
    const view = buildLiveView(live, details, { role: 'attendee', participantKey: bob.key, visibleRecords: bob.key });
    assert.deepEqual(
      view.participants.map((entry) => [entry.id, entry.isViewer]),
      [[bob.key, true]],
    );
  });

  it('says how exact the figures are, as the report does', () => {
    assert.equal(buildLiveView(live, details, organizer).accuracy.basis, 'events');
    const sampled = { source: 'sampled' as const, sampleIntervalSeconds: 30, activityId: null };
    const view = buildLiveView(sessionOf([joined(bob, at('09:00:30'), sampled)]), details, organizer);
    assert.deepEqual(view.accuracy, { basis: 'sampled', statement: 'Sampled every 30 s, ±30 s.', sampleIntervalSeconds: 30 });
  });

  it('lists people by name', () => {
    const zed = person('aad-zed', { aadObjectId: 'aad-zed', displayName: 'Zed' });
    const view = buildLiveView(sessionOf([joined(zed, at('09:00')), joined(bob, at('09:01')), joined(ana, at('09:02'))]), details, organizer);
    assert.deepEqual(
      view.participants.map((entry) => entry.displayName),
      ['Ana Teacher', 'Bob Student', 'Zed'],
    );
  });

  it('ticks to exactly the report\'s totals, whatever the events and whenever "now" is', () => {
    const people = [ana, bob, guest];
    const eventArbitrary = fc.record({
      who: fc.integer({ min: 0, max: people.length - 1 }),
      joins: fc.boolean(),
      offsetMs: fc.integer({ min: 0, max: 3_600_000 }),
    });
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 3_600_000 }), (steps, afterMs) => {
        const base = Date.parse(at('09:00'));
        const events = steps.map(({ who, joins, offsetMs }) => {
          const occurredAt = new Date(base + offsetMs).toISOString();
          const someone = people[who] ?? ana;
          return joins ? joined(someone, occurredAt) : left(someone, occurredAt);
        });
        const sessions = buildSessions(events);
        fc.pre(sessions.length === 1);
        const session = single(sessions);
        const lastEvent = Math.max(...steps.map((step) => base + step.offsetMs));
        const now = lastEvent + afterMs;
        const report = buildReport(session, details, new Date(now).toISOString());
        const view = buildLiveView(session, details, organizer);
        for (const record of report.attendanceRecords) {
          assert.equal(liveSeconds(participant(view, record.id), now), record.totalAttendanceInSeconds);
        }
        assert.equal(view.participants.length, report.attendanceRecords.length);
      }),
    );
  });
});

describe('viewer role: how the side panel addresses the caller', () => {
  const session = sessionOf([
    meetingStarted(at('09:00')),
    joined({ ...bob, role: 'Presenter' }, at('09:01')),
    joined(person('aad-dora', { aadObjectId: 'aad-dora', role: 'Coorganizer' }), at('09:01')),
    joined(person('aad-eve', { aadObjectId: 'aad-eve', role: 'Attendee' }), at('09:02')),
  ]);
  const user = (objectId: string): Caller => ({ kind: 'user', tenantId: TENANT_ID, objectId });

  it('names the organizer from the meeting details, or from the role Teams gave in the events', () => {
    assert.equal(viewerRoleFor(user(ana.key), details, [session]), 'organizer');
    const withAna = sessionOf([joined(ana, at('09:00'))]);
    assert.equal(viewerRoleFor(user(ana.key), undefined, [withAna]), 'organizer');
  });

  it('calls presenters and co-organizers presenters, everyone else an attendee, and applications apps', () => {
    assert.equal(viewerRoleFor(user(bob.key), details, [session]), 'presenter');
    assert.equal(viewerRoleFor(user('aad-dora'), details, [session]), 'presenter');
    assert.equal(viewerRoleFor(user('aad-eve'), details, [session]), 'attendee');
    assert.equal(viewerRoleFor({ kind: 'app', tenantId: TENANT_ID, appId: 'lms', roles: [] }, details, [session]), 'app');
  });
});
