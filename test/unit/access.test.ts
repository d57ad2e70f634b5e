import assert from 'node:assert/strict';
import { DELETE_ALL_ROLE, deletionPermission, READ_ALL_ROLE, tenantReadPermission, visibilityFor, type Caller } from '../../bot/src/attendance/access.js';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import type { MeetingDetails } from '../../bot/src/attendance/meeting.js';
import { buildReport, reportSummary, restrictReport, restrictSummary } from '../../bot/src/attendance/report.js';
import {
  ana,
  at,
  bob,
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

const OTHER_TENANT_ID = '0b0b0b0b-2222-4c3d-8e4f-000000000000';

const carol = person('5d3c2b1a-0000-4000-8000-000000000303', {
  teamsUserId: '29:1Carol3',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000303',
  displayName: 'Carol',
  tenantId: TENANT_ID,
  role: 'Presenter',
});

const dora = person('5d3c2b1a-0000-4000-8000-000000000404', {
  teamsUserId: '29:1Dora4',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000404',
  displayName: 'Dora',
  tenantId: TENANT_ID,
  role: 'Coorganizer',
});

/** Ana organises (but, in these sessions, the organizer role only shows in the meeting details). */
const details: MeetingDetails = {
  tenantId: TENANT_ID,
  meetingId: MEETING_ID,
  meetingType: 'MeetNow',
  organizerAadObjectId: ana.key,
  organizerTeamsUserId: ana.teamsUserId,
};

const sessions = buildSessions([
  meetingStarted(at('09:00')),
  joined(bob, at('09:01')),
  joined(carol, at('09:02')),
  joined(dora, at('09:03')),
  joined(guest, at('09:04')),
  left(bob, at('09:20')),
  meetingEnded(at('09:30')),
]);

const user = (objectId: string, tenantId = TENANT_ID): Caller => ({ kind: 'user', tenantId, objectId });
const app = (roles: string[], tenantId = TENANT_ID): Caller => ({ kind: 'app', tenantId, appId: 'lms-app-id', roles });

describe('access: who may read a meeting\'s attendance', () => {
  describe('applications (client credentials)', () => {
    it('lets an app with the Attendance.Read.All app role read every record', () => {
      assert.equal(READ_ALL_ROLE, 'Attendance.Read.All');
      assert.deepEqual(visibilityFor(app(['Something.Else', READ_ALL_ROLE]), details, sessions), {
        allowed: true,
        records: 'all',
      });
    });

    it('refuses an app without Attendance.Read.All, naming the missing role', () => {
      const visibility = visibilityFor(app(['Attendance.Read']), details, sessions);
      assert.equal(visibility.allowed, false);
      assert.match(visibility.allowed ? '' : visibility.reason, /Attendance\.Read\.All/);
    });

    it('refuses an app with no roles at all', () => {
      assert.equal(visibilityFor(app([]), details, sessions).allowed, false);
    });

    it('refuses an app from another tenant even with Attendance.Read.All', () => {
      const visibility = visibilityFor(app([READ_ALL_ROLE], OTHER_TENANT_ID), details, sessions);
      assert.equal(visibility.allowed, false);
      const fromSessionsOnly = visibilityFor(app([READ_ALL_ROLE], OTHER_TENANT_ID), undefined, sessions);
      assert.equal(fromSessionsOnly.allowed, false);
    });
  });

  describe('signed-in users', () => {
    it('lets the organizer named in the meeting details see all, even without attending', () => {
      assert.deepEqual(visibilityFor(user(ana.key), details, sessions), { allowed: true, records: 'all' });
    });

    it('does not treat someone as organizer when the details name nobody', () => {
      const { organizerAadObjectId: _, ...anonymousDetails } = details;
      assert.equal(visibilityFor(user(ana.key), anonymousDetails, sessions).allowed, false);
    });

    it('lets the organizer seen in participant events see all when meeting details are unknown', () => {
      const withAna = buildSessions([meetingStarted(at('09:00')), joined(ana, at('09:01'))]);
      assert.deepEqual(visibilityFor(user(ana.key), undefined, withAna), { allowed: true, records: 'all' });
    });

    it('lets a presenter see all', () => {
      assert.deepEqual(visibilityFor(user(carol.key), details, sessions), { allowed: true, records: 'all' });
    });

    it('lets a co-organizer see all', () => {
      assert.deepEqual(visibilityFor(user(dora.key), details, sessions), { allowed: true, records: 'all' });
    });

    it('lets an attendee see only their own record', () => {
      const visibility = visibilityFor(user(bob.key), details, sessions);
      assert.deepEqual(visibility, { allowed: true, records: 'own', recordId: bob.key });
      const report = buildReport(single(sessions), details, at('10:00'));
      const own = restrictReport(report, visibility.allowed && visibility.records === 'own' ? visibility.recordId : 'none');
      assert.deepEqual(
        own.attendanceRecords.map((record) => record.identity.displayName),
        ['Bob Student'],
      );
    });

    it('uses the role a person had in any session: a presenter last week sees all today', () => {
      const twoSessions = buildSessions([
        meetingStarted(at('08:00')),
        joined({ ...bob, role: 'Presenter' }, at('08:01')),
        meetingEnded(at('08:30')),
        meetingStarted(at('09:00')),
        joined(bob, at('09:01')),
        meetingEnded(at('09:30')),
      ]);
      assert.equal(twoSessions.length, 2);
      assert.deepEqual(visibilityFor(user(bob.key), details, twoSessions), { allowed: true, records: 'all' });
    });

    it('treats a participant with no known role as an attendee', () => {
      const roleless = person('aad-roleless', { aadObjectId: 'aad-roleless', displayName: 'Roleless' });
      const withRoleless = buildSessions([meetingStarted(at('09:00')), joined(roleless, at('09:01'))]);
      assert.deepEqual(visibilityFor(user('aad-roleless'), undefined, withRoleless), {
        allowed: true,
        records: 'own',
        recordId: 'aad-roleless',
      });
    });

    it('refuses a user who was not a participant', () => {
      const visibility = visibilityFor(user('5d3c2b1a-0000-4000-8000-999999999999'), details, sessions);
      assert.equal(visibility.allowed, false);
      assert.match(visibility.allowed ? '' : visibility.reason, /not a participant/);
    });

    it('refuses everyone but apps when nothing is known about the meeting', () => {
      assert.equal(visibilityFor(user(bob.key), undefined, []).allowed, false);
    });

    it('never matches a signed-in user to an anonymous guest by Teams user id', () => {
      assert.equal(visibilityFor(user(guest.key), details, sessions).allowed, false);
    });
  });
});

describe('access: who may delete a meeting\'s attendance', () => {
  const allowed = { allowed: true };

  it('lets the organizer named in the meeting details delete it, even without attending', () => {
    assert.deepEqual(deletionPermission(user(ana.key), details, sessions), allowed);
  });

  it('lets the organizer seen in participant events delete it when meeting details are unknown', () => {
    const withAna = buildSessions([meetingStarted(at('09:00')), joined(ana, at('09:01'))]);
    assert.deepEqual(deletionPermission(user(ana.key), undefined, withAna), allowed);
  });

  it('refuses presenters, co-organizers, attendees and outsiders: deleting is the organizer\'s decision', () => {
    for (const objectId of [carol.key, dora.key, bob.key, '5d3c2b1a-0000-4000-8000-999999999999']) {
      const permission = deletionPermission(user(objectId), details, sessions);
      assert.equal(permission.allowed, false, objectId);
      assert.match(permission.allowed ? '' : permission.reason, /organizer/);
    }
  });

  it('lets an app with Attendance.Delete.All delete, and not one that may only read', () => {
    assert.equal(DELETE_ALL_ROLE, 'Attendance.Delete.All');
    assert.deepEqual(deletionPermission(app([DELETE_ALL_ROLE]), details, sessions), allowed);
    const reader = deletionPermission(app([READ_ALL_ROLE]), details, sessions);
    assert.equal(reader.allowed, false);
    assert.match(reader.allowed ? '' : reader.reason, /Attendance\.Delete\.All/);
    assert.equal(visibilityFor(app([DELETE_ALL_ROLE]), details, sessions).allowed, false, 'deleting does not mean reading');
  });

  it('refuses an app from another tenant even with Attendance.Delete.All', () => {
    assert.equal(deletionPermission(app([DELETE_ALL_ROLE], OTHER_TENANT_ID), details, sessions).allowed, false);
    assert.equal(deletionPermission(app([DELETE_ALL_ROLE], OTHER_TENANT_ID), undefined, sessions).allowed, false);
  });
});

describe('access: the report list as an attendee sees it', () => {
  it('counts only the attendee in each run of the meeting (1 if they attended it, else 0)', () => {
    const session = single(sessions);
    const summary = reportSummary(session, details);
    assert.equal(summary.totalParticipantCount, 4);
    assert.equal(restrictSummary(summary, session, 'all'), summary);
    assert.deepEqual(restrictSummary(summary, session, bob.key), { ...summary, totalParticipantCount: 1 });
    assert.deepEqual(restrictSummary(summary, session, 'someone-else'), { ...summary, totalParticipantCount: 0 });
  });
});

describe("access: who may read what concerns a whole tenant (its webhook deliveries)", () => {
  it('lets an application with Attendance.Read.All read, and refuses users and applications without that role', () => {
    const app = (roles: string[]): Caller => ({ kind: 'app', tenantId: 't1', appId: 'lms', roles });
    assert.deepEqual(tenantReadPermission(app([READ_ALL_ROLE])), { allowed: true });
    assert.equal(tenantReadPermission(app([DELETE_ALL_ROLE])).allowed, false);
    assert.equal(tenantReadPermission(app([])).allowed, false);
    const organizer: Caller = { kind: 'user', tenantId: 't1', objectId: 'ana' };
    assert.match(JSON.stringify(tenantReadPermission(organizer)), /only applications with the Attendance\.Read\.All app role/);
  });
});
