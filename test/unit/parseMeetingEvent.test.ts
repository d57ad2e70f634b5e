import assert from 'node:assert/strict';
import { eventKeyFor, type AttendanceEvent, type ParticipantEvent } from '../../bot/src/attendance/events.js';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import { buildReport } from '../../bot/src/attendance/report.js';
import {
  MEETING_EVENT_NAMES,
  isMeetingEventName,
  memberSchema,
  parseMeetingEvent,
  participantFrom,
  type ParsedMeetingEvent,
} from '../../bot/src/teams/parseMeetingEvent.js';
import { MAX_MEETING_ID_LENGTH } from '../../bot/src/teams/meetingRef.js';
import { loadFixture } from '../support/fixtures.js';

const MEETING_ID =
  'MCMxOTptZWV0aW5nX1lUZ3laVGd5WkRVdE1EUXhOQzAwWWpKbExUZ3hOR1l0WkRNMk5UVTBOVEUzTnpVMkB0aHJlYWQudjIjMA==';
const TENANT_ID = '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f';
const CHAT_ID = '19:meeting_YTgyZTgyZDUtMDQxNC00YjJlLTgxNGYtZDM2NTU0NTE3NzU2@thread.v2';
const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_YTgy%40thread.v2/0?context=%7b%7d';
const ANA_AAD = '5d3c2b1a-0000-4000-8000-000000000101';

const expectedRef = {
  tenantId: TENANT_ID,
  meetingId: MEETING_ID,
  chatId: CHAT_ID,
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
};

/** The parse result's value, failing the test (with Teams' problem text) when parsing was refused. */
function parsed(activity: Parameters<typeof parseMeetingEvent>[0]): ParsedMeetingEvent {
  const result = parseMeetingEvent(activity);
  if (!result.ok) assert.fail(`expected the activity to parse, got: ${result.problem}`);
  return result.value;
}

/** The problem text of a refused activity, failing the test when it parsed. */
function refused(activity: Parameters<typeof parseMeetingEvent>[0]): string {
  const result = parseMeetingEvent(activity);
  assert.equal(result.ok, false, 'expected the activity to be refused');
  assert.ok(!('value' in result), 'a refused activity carries no events');
  if (result.ok) throw new Error('unreachable');
  assert.equal(typeof result.problem, 'string');
  assert.ok(result.problem.length > 0, 'the problem says what is wrong');
  return result.problem;
}

function participantEvents(value: ParsedMeetingEvent): ParticipantEvent[] {
  return value.events.map((event) => {
    assert.ok('participant' in event, `${event.kind} is not a participant event`);
    return event as ParticipantEvent;
  });
}

describe('parseMeetingEvent: Teams meeting activities → ledger events', () => {
  describe('the fixtures', () => {
    it('parses meeting-start.json into one meetingStarted event with the meeting details', () => {
      const value = parsed(loadFixture('meeting-start.json'));
      assert.deepEqual(value.ref, expectedRef);
      const occurredAt = '2025-11-26T09:00:02.123Z';
      assert.deepEqual(value.events, [
        {
          kind: 'meetingStarted',
          tenantId: TENANT_ID,
          meetingId: MEETING_ID,
          occurredAt,
          source: 'event',
          activityId: '1732611600001',
          eventKey: eventKeyFor({ meetingId: MEETING_ID, kind: 'meetingStarted', occurredAt }),
        },
      ]);
      assert.deepEqual(value.details, { title: 'Physics 101', meetingType: 'MeetNow', joinUrl: JOIN_URL });
    });

    it('parses meeting-end.json into one meetingEnded event at the activity timestamp', () => {
      const value = parsed(loadFixture('meeting-end.json'));
      assert.deepEqual(value.ref, expectedRef);
      const occurredAt = '2025-11-26T09:30:00.000Z';
      assert.deepEqual(value.events, [
        {
          kind: 'meetingEnded',
          tenantId: TENANT_ID,
          meetingId: MEETING_ID,
          occurredAt,
          source: 'event',
          activityId: '1732613400004',
          eventKey: eventKeyFor({ meetingId: MEETING_ID, kind: 'meetingEnded', occurredAt }),
        },
      ]);
      assert.deepEqual(value.details, { title: 'Physics 101', meetingType: 'MeetNow', joinUrl: JOIN_URL });
    });

    it('parses both members of participants-join.json, keying the anonymous guest by "29:1GuestVisitor9"', () => {
      const value = parsed(loadFixture('participants-join.json'));
      assert.deepEqual(value.ref, expectedRef);
      assert.deepEqual(value.details, {});
      const events = participantEvents(value);
      assert.equal(events.length, 2);
      const occurredAt = '2025-11-26T09:00:05.456Z';
      const common = {
        kind: 'participantJoined',
        tenantId: TENANT_ID,
        meetingId: MEETING_ID,
        occurredAt,
        source: 'event',
        activityId: '1732611605002',
      };
      assert.deepEqual(events, [
        {
          ...common,
          participant: {
            key: ANA_AAD,
            teamsUserId: '29:1AnaTeacher1',
            aadObjectId: ANA_AAD,
            displayName: 'Ana Teacher',
            tenantId: TENANT_ID,
            role: 'Organizer',
          },
          eventKey: eventKeyFor({ meetingId: MEETING_ID, kind: 'participantJoined', occurredAt, participantKey: ANA_AAD }),
        },
        {
          ...common,
          participant: {
            key: '29:1GuestVisitor9',
            teamsUserId: '29:1GuestVisitor9',
            displayName: 'Guest Visitor',
            role: 'Attendee',
          },
          eventKey: eventKeyFor({
            meetingId: MEETING_ID,
            kind: 'participantJoined',
            occurredAt,
            participantKey: '29:1GuestVisitor9',
          }),
        },
      ]);
      assert.notEqual(nthEvent(events, 0).eventKey, nthEvent(events, 1).eventKey, 'one key per person');
    });

    it('parses participant-leave.json into Ana leaving', () => {
      const events = participantEvents(parsed(loadFixture('participant-leave.json')));
      assert.equal(events.length, 1);
      const [leave] = events;
      assert.equal(leave?.kind, 'participantLeft');
      assert.equal(leave?.occurredAt, '2025-11-26T09:16:54.789Z');
      assert.equal(leave?.participant.key, ANA_AAD);
      assert.equal(leave?.participant.role, 'Organizer');
      assert.equal(leave?.activityId, '1732612614003');
    });

    it('refuses the activities that are not meeting events (install, chat message)', () => {
      assert.match(refused(loadFixture('bot-installed.json')), /not a meeting event/);
      assert.match(refused(loadFixture('message-attendance-report.json')), /not a meeting event/);
    });

    it('reads a connector participant answer (meeting-participant.json) as the same person, with email', () => {
      const participant = participantFrom(memberSchema.parse(loadFixture('meeting-participant.json')));
      assert.deepEqual(participant, {
        key: ANA_AAD,
        teamsUserId: '29:1AnaTeacher1',
        aadObjectId: ANA_AAD,
        displayName: 'Ana Teacher',
        email: 'ana@contoso.test',
        tenantId: TENANT_ID,
        role: 'Organizer',
      });
    });

    it('turns the fixture meeting into the expected report (Ana 16m 49s, the guest until the end)', () => {
      const names = ['participant-leave.json', 'meeting-end.json', 'participants-join.json', 'meeting-start.json'];
      const events: AttendanceEvent[] = names.flatMap((name) => parsed(loadFixture(name)).events);
      const [session, ...others] = buildSessions(events);
      assert.ok(session);
      assert.equal(others.length, 0);
      const report = buildReport(session, undefined, '2025-11-26T12:00:00.000Z');
      assert.deepEqual(
        report.attendanceRecords.map((record) => [record.id, record.totalAttendanceInSeconds]),
        [
          ['29:1GuestVisitor9', 1794],
          [ANA_AAD, 1009],
        ],
      );
      assert.equal(report.meetingStartObserved, true);
      assert.equal(report.meetingEndDateTime, '2025-11-26T09:30:00.000Z');
    });

    it('gives each fixture a fresh copy, so one test\'s changes never leak into another', () => {
      const first = loadFixture('meeting-start.json');
      first.value.Title = 'changed';
      delete first.channelData;
      const second = loadFixture('meeting-start.json');
      assert.equal(second.value.Title, 'Physics 101');
      assert.ok(second.channelData.meeting.id);
    });
  });

  describe('tolerance where Teams is inconsistent', () => {
    it('reads camelCase start values ({ id, joinUrl, title, meetingType, startTime }) like PascalCase ones', () => {
      const pascal = loadFixture('meeting-start.json');
      const camel = loadFixture('meeting-start.json');
      camel.value = {
        id: MEETING_ID,
        joinUrl: JOIN_URL,
        title: 'Physics 101',
        meetingType: 'MeetNow',
        startTime: '2025-11-26T09:00:02.000Z',
      };
      assert.deepEqual(parsed(camel), parsed(pascal));
      assert.deepEqual(parsed(camel).details, { title: 'Physics 101', meetingType: 'MeetNow', joinUrl: JOIN_URL });
    });

    it('reads camelCase end values like PascalCase ones', () => {
      const pascal = loadFixture('meeting-end.json');
      const camel = loadFixture('meeting-end.json');
      camel.value = {
        id: MEETING_ID,
        joinUrl: JOIN_URL,
        title: 'Physics 101',
        meetingType: 'MeetNow',
        endTime: '2025-11-26T09:30:00.000Z',
      };
      assert.deepEqual(parsed(camel), parsed(pascal));
    });

    it('reads PascalCase member keys ({ User: { Id } , Meeting: { Role } }) like camelCase ones', () => {
      const camel = loadFixture('participant-leave.json');
      const pascal = loadFixture('participant-leave.json');
      pascal.value = {
        Members: [
          {
            User: { Id: '29:1AnaTeacher1', Name: 'Ana Teacher', AadObjectId: ANA_AAD, TenantId: TENANT_ID },
            Meeting: { InMeeting: false, Role: 'Organizer' },
          },
        ],
      };
      assert.deepEqual(parsed(pascal), parsed(camel));
    });

    it('tolerates JoinUrl: null (channel meetings), keeping the other details', () => {
      const activity = loadFixture('meeting-start.json');
      activity.value.JoinUrl = null;
      const value = parsed(activity);
      assert.equal(value.events.length, 1);
      assert.deepEqual(value.details, { title: 'Physics 101', meetingType: 'MeetNow' });
    });

    it('tolerates an empty Title and an odd MeetingType type, where botbuilder\'s strict parser throws', () => {
      const activity = loadFixture('meeting-start.json');
      activity.value.Title = '';
      activity.value.MeetingType = 42;
      const value = parsed(activity);
      assert.equal(nthEvent(value.events, 0).kind, 'meetingStarted');
      assert.deepEqual(value.details, { joinUrl: JOIN_URL });
    });

    it('ignores meeting details longer than Teams sends (the record must fit a table property), keeping the event', () => {
      const activity = loadFixture('meeting-start.json');
      activity.value.Title = 'T'.repeat(40_000);
      activity.value.MeetingType = 'M'.repeat(65);
      activity.value.JoinUrl = `${JOIN_URL}&${'x'.repeat(5000)}`;
      const value = parsed(activity);
      assert.equal(nthEvent(value.events, 0).kind, 'meetingStarted');
      assert.deepEqual(value.details, {});
    });

    it('records a start or end whose value is missing altogether', () => {
      const activity = loadFixture('meeting-end.json');
      delete activity.value;
      const value = parsed(activity);
      assert.equal(nthEvent(value.events, 0).kind, 'meetingEnded');
      assert.deepEqual(value.details, {});
    });

    it('takes the tenant from conversation.tenantId when channelData.tenant is missing', () => {
      const activity = loadFixture('participants-join.json');
      delete activity.channelData.tenant;
      assert.equal(parsed(activity).ref.tenantId, TENANT_ID);
    });

    it('uses channelData.meeting.id, not the chat id or the id inside value', () => {
      const activity = loadFixture('meeting-start.json');
      activity.value.Id = 'some-other-id';
      const value = parsed(activity);
      assert.equal(value.ref.meetingId, MEETING_ID);
      assert.equal(nthEvent(value.events, 0).meetingId, MEETING_ID);
      assert.equal(value.ref.chatId, CHAT_ID);
    });

    it('records an activity with no id, keyed by its meaning alone', () => {
      const activity = loadFixture('participant-leave.json');
      delete activity.id;
      const event = nthEvent(parsed(activity).events, 0);
      assert.ok(!('activityId' in event));
      assert.equal(
        event.eventKey,
        eventKeyFor({ meetingId: MEETING_ID, kind: 'participantLeft', occurredAt: event.occurredAt, participantKey: ANA_AAD }),
      );
    });
  });

  describe('refusals', () => {
    it('refuses an activity without channelData.meeting.id', () => {
      const activity = loadFixture('participants-join.json');
      delete activity.channelData.meeting.id;
      assert.match(refused(activity), /channelData\.meeting\.id/);
      const noMeeting = loadFixture('meeting-start.json');
      delete noMeeting.channelData.meeting;
      refused(noMeeting);
    });

    it('refuses a meeting id longer than MAX_MEETING_ID_LENGTH, which no report URL could address', () => {
      const activity = loadFixture('participants-join.json');
      activity.channelData.meeting.id = 'M'.repeat(MAX_MEETING_ID_LENGTH + 1);
      assert.match(refused(activity), new RegExp(`at most ${MAX_MEETING_ID_LENGTH} characters`));
      activity.channelData.meeting.id = 'M'.repeat(MAX_MEETING_ID_LENGTH);
      assert.equal(parsed(activity).ref.meetingId.length, MAX_MEETING_ID_LENGTH);
      // Counted in UTF-16 units, as the router counts them: a character outside the BMP is two.
      activity.channelData.meeting.id = '𝞏'.repeat(MAX_MEETING_ID_LENGTH / 2 + 1);
      refused(activity);
      activity.channelData.meeting.id = '𝞏'.repeat(MAX_MEETING_ID_LENGTH / 2);
      assert.equal(parsed(activity).ref.meetingId.length, MAX_MEETING_ID_LENGTH);
    });

    it('refuses an activity without any tenant id', () => {
      const activity = loadFixture('participants-join.json');
      delete activity.channelData.tenant;
      delete activity.conversation.tenantId;
      assert.match(refused(activity), /tenant/);
    });

    it('refuses an activity without a timestamp', () => {
      const activity = loadFixture('participants-join.json');
      delete activity.timestamp;
      assert.match(refused(activity), /timestamp/);
    });

    for (const timestamp of ['not a date', '12', '2025-11-26', '2025-13-40T99:00:00Z', '', 1732611605002, null, {}]) {
      it(`refuses an invalid timestamp (${JSON.stringify(timestamp)})`, () => {
        const activity = loadFixture('meeting-start.json');
        activity.timestamp = timestamp;
        assert.match(refused(activity), /timestamp/);
      });
    }

    it('refuses a join with an empty member list', () => {
      const activity = loadFixture('participants-join.json');
      activity.value.members = [];
      assert.match(refused(activity), /members/);
    });

    it('refuses a join with no members at all', () => {
      const activity = loadFixture('participants-join.json');
      activity.value = {};
      assert.match(refused(activity), /members/);
    });

    for (const [what, user] of [
      ['no user.id', { name: 'Nobody' }],
      ['an empty user.id', { id: '', name: 'Nobody' }],
      ['a blank user.id', { id: '   ', name: 'Nobody' }],
    ] as const) {
      it(`refuses a join whose member has ${what}, recording none of its members`, () => {
        const activity = loadFixture('participants-join.json');
        activity.value.members[1].user = user;
        assert.match(refused(activity), /members\.1\.user\.id/);
      });
    }

    it('refuses a member without a user object', () => {
      const activity = loadFixture('participant-leave.json');
      activity.value.members = [{ meeting: { inMeeting: false, role: 'Attendee' } }];
      assert.match(refused(activity), /user/);
    });

    it('refuses an event with another name', () => {
      const activity = loadFixture('meeting-start.json');
      activity.name = 'application/vnd.microsoft.readReceipt';
      assert.match(refused(activity), /not a meeting event/);
      assert.equal(isMeetingEventName(activity.name), false);
      for (const name of Object.values(MEETING_EVENT_NAMES)) assert.equal(isMeetingEventName(name), true);
    });
  });

  describe('idempotency keys and time', () => {
    it('gives the same fact the same eventKey when Teams retries it under a new activity id', () => {
      const original = loadFixture('participants-join.json');
      const retry = loadFixture('participants-join.json');
      retry.id = '1732611699999';
      const first = parsed(original).events;
      const again = parsed(retry).events;
      assert.deepEqual(
        again.map((event) => event.eventKey),
        first.map((event) => event.eventKey),
      );
      assert.notEqual(nthEvent(again, 0).activityId, nthEvent(first, 0).activityId);
    });

    it('gives a different eventKey to a different fact (another time, kind or meeting)', () => {
      const base = nthEvent(parsed(loadFixture('participants-join.json')).events, 0).eventKey;
      const later = loadFixture('participants-join.json');
      later.timestamp = '2025-11-26T09:00:05.457Z';
      const leave = loadFixture('participants-join.json');
      leave.name = MEETING_EVENT_NAMES.leave;
      const otherMeeting = loadFixture('participants-join.json');
      otherMeeting.channelData.meeting.id = 'another-meeting';
      for (const activity of [later, leave, otherMeeting]) {
        assert.notEqual(nthEvent(parsed(activity).events, 0).eventKey, base);
      }
    });

    it('normalises a timestamp with 7 fractional digits to ISO with milliseconds', () => {
      const activity = loadFixture('participants-join.json');
      activity.timestamp = '2025-11-26T09:00:05.4567891Z';
      const event = nthEvent(parsed(activity).events, 0);
      assert.equal(event.occurredAt, '2025-11-26T09:00:05.456Z');
      const threeDigits = nthEvent(parsed(loadFixture('participants-join.json')).events, 0);
      assert.equal(event.eventKey, threeDigits.eventKey, 'the same instant gives the same key whatever the precision');
    });

    it('normalises a timestamp with a UTC offset to Z', () => {
      const activity = loadFixture('participants-join.json');
      activity.timestamp = '2025-11-26T10:00:05.4567891+01:00';
      assert.equal(nthEvent(parsed(activity).events, 0).occurredAt, '2025-11-26T09:00:05.456Z');
    });

    it('prefers botbuilder\'s rawTimestamp string and accepts a Date timestamp', () => {
      const activity = loadFixture('participants-join.json');
      activity.timestamp = new Date('2025-11-26T09:00:05.000Z');
      activity.rawTimestamp = '2025-11-26T09:00:05.4567891Z';
      assert.equal(nthEvent(parsed(activity).events, 0).occurredAt, '2025-11-26T09:00:05.456Z');
      delete activity.rawTimestamp;
      assert.equal(nthEvent(parsed(activity).events, 0).occurredAt, '2025-11-26T09:00:05.000Z');
    });
  });
});

function nthEvent<T extends AttendanceEvent>(events: readonly T[], index: number): T {
  const event = events[index];
  assert.ok(event, `expected an event at index ${index}, got ${events.length}`);
  return event;
}
