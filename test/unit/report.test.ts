import assert from 'node:assert/strict';
import { registerToCsv } from '../../bot/src/attendance/csv.js';
import type { AttendanceEvent, Participant } from '../../bot/src/attendance/events.js';
import { buildSessions, sessionIdFor } from '../../bot/src/attendance/ledger.js';
import type { MeetingDetails } from '../../bot/src/attendance/meeting.js';
import { buildRegister } from '../../bot/src/attendance/register.js';
import { buildRegisterReport, reportRule, type RegisterReport } from '../../bot/src/attendance/registerReport.js';
import { buildReport, restrictReport, type AttendanceReport } from '../../bot/src/attendance/report.js';
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
import { DEFAULT_RULE } from '../support/register.js';

const anaWithEmail: Participant = { ...ana, email: 'ana@contoso.test' };

const details: MeetingDetails = {
  tenantId: TENANT_ID,
  meetingId: MEETING_ID,
  title: 'Physics 101',
  meetingType: 'MeetNow',
};

function reportFor(events: AttendanceEvent[], meeting: MeetingDetails | null = details, now = at('12:00')) {
  return buildReport(single(buildSessions(events), 'session'), meeting ?? undefined, now);
}

/** The report with its register (no roster: those who attended), as the API serves it. */
function registerReportFor(events: AttendanceEvent[], meeting: MeetingDetails | null = details, now = at('12:00')): RegisterReport {
  const session = single(buildSessions(events), 'session');
  const register = buildRegister(session, [], DEFAULT_RULE, [], now);
  return buildRegisterReport(session, meeting ?? undefined, now, register, reportRule(DEFAULT_RULE, undefined));
}

const lesson = (): AttendanceEvent[] => [
  meetingStarted(at('09:00:02.123')),
  joined(anaWithEmail, at('09:00:05.456')),
  joined(guest, at('09:00:05.456')),
  left(anaWithEmail, at('09:16:54.789')),
  meetingEnded(at('09:30:00.000')),
];

describe('report: Graph-shaped attendance reports', () => {
  it('uses Graph meetingAttendanceReport / attendanceRecord field names and shapes exactly', () => {
    const report = reportFor(lesson());
    assert.deepEqual(report, {
      id: sessionIdFor(MEETING_ID, '2025-11-26T09:00:02.123Z'),
      totalParticipantCount: 2,
      meetingStartDateTime: '2025-11-26T09:00:02.123Z',
      meetingEndDateTime: '2025-11-26T09:30:00.000Z',
      meetingTitle: 'Physics 101',
      meetingType: 'MeetNow',
      isInstantMeeting: true,
      isLive: false,
      meetingStartObserved: true,
      attendanceRecords: [
        {
          id: '29:1GuestVisitor9',
          emailAddress: null,
          identity: { id: '29:1GuestVisitor9', displayName: 'Guest Visitor', tenantId: null },
          role: 'Attendee',
          totalAttendanceInSeconds: 1794,
          attendanceIntervals: [
            {
              joinDateTime: '2025-11-26T09:00:05.456Z',
              leaveDateTime: '2025-11-26T09:30:00.000Z',
              durationInSeconds: 1794,
            },
          ],
          presentBeforeTracking: false,
          isPresent: false,
          attendanceBasis: 'events',
        },
        {
          id: ana.key,
          emailAddress: 'ana@contoso.test',
          identity: { id: '5d3c2b1a-0000-4000-8000-000000000101', displayName: 'Ana Teacher', tenantId: TENANT_ID },
          role: 'Organizer',
          totalAttendanceInSeconds: 1009,
          attendanceIntervals: [
            {
              joinDateTime: '2025-11-26T09:00:05.456Z',
              leaveDateTime: '2025-11-26T09:16:54.789Z',
              durationInSeconds: 1009,
            },
          ],
          presentBeforeTracking: false,
          isPresent: false,
          attendanceBasis: 'events',
        },
      ],
      accuracy: { basis: 'events', statement: 'Exact (Teams events).', sampleIntervalSeconds: 0 },
    });
  });

  it('carries every Graph field name, with Graph types, on the report, records, identities and intervals', () => {
    const report = reportFor(lesson());
    for (const field of ['id', 'totalParticipantCount', 'meetingStartDateTime', 'meetingEndDateTime', 'attendanceRecords']) {
      assert.ok(Object.hasOwn(report, field), `report.${field}`);
    }
    assert.equal(typeof report.totalParticipantCount, 'number');
    for (const record of report.attendanceRecords) {
      const graphRecordFields = ['id', 'emailAddress', 'identity', 'role', 'totalAttendanceInSeconds', 'attendanceIntervals'];
      assert.deepEqual(
        Object.keys(record).filter((key) => graphRecordFields.includes(key)).sort(),
        [...graphRecordFields].sort(),
      );
      assert.deepEqual(Object.keys(record.identity).sort(), ['displayName', 'id', 'tenantId']);
      for (const interval of record.attendanceIntervals) {
        assert.deepEqual(Object.keys(interval).sort(), ['durationInSeconds', 'joinDateTime', 'leaveDateTime']);
        assert.ok(Number.isInteger(interval.durationInSeconds));
      }
    }
  });

  it('reports the identity by Entra object id when known, else by Teams user id, and "Unknown" for a missing role', () => {
    const noRole = person('29:1NoRole', { displayName: 'No Role' });
    const report = reportFor([meetingStarted(at('09:00')), joined(noRole, at('09:01')), joined(ana, at('09:02'))]);
    const record = report.attendanceRecords.find((candidate) => candidate.id === '29:1NoRole');
    assert.equal(record?.role, 'Unknown');
    assert.equal(record?.identity.id, '29:1NoRole');
    const anas = report.attendanceRecords.find((candidate) => candidate.id === ana.key);
    assert.equal(anas?.identity.id, ana.aadObjectId);
  });

  it('says whether the meeting is instant from the meeting type, and null when the details are unknown', () => {
    const scheduled = reportFor(lesson(), { ...details, meetingType: 'Scheduled' });
    assert.equal(scheduled.isInstantMeeting, false);
    const unknown = reportFor(lesson(), null);
    assert.equal(unknown.meetingTitle, null);
    assert.equal(unknown.meetingType, null);
    assert.equal(unknown.isInstantMeeting, false);
  });

  it('sorts records by total time (longest first), then by name, then by id', () => {
    const zoe = person('29:1Zoe', { displayName: 'Zoe' });
    const adam = person('29:1Adam', { displayName: 'Adam' });
    const twinA = person('29:1TwinA', { displayName: 'Sam' });
    const twinB = person('29:1TwinB', { displayName: 'Sam' });
    // TwinB joins first, so only the id tie-break puts TwinA ahead.
    const events = [
      meetingStarted(at('09:00')),
      joined(twinB, at('09:00:01')),
      joined(zoe, at('09:00:01')),
      joined(twinA, at('09:00:02')),
      joined(adam, at('09:00:01')),
      joined(bob, at('09:00:01')),
      left(twinB, at('09:05:01')),
      left(twinA, at('09:05:02')),
      left(zoe, at('09:10:01')),
      left(adam, at('09:10:01')),
      left(bob, at('09:30:01')),
      meetingEnded(at('10:00')),
    ];
    const report = reportFor(events);
    assert.deepEqual(
      report.attendanceRecords.map((record) => [record.identity.displayName, record.id, record.totalAttendanceInSeconds]),
      [
        ['Bob Student', bob.key, 1800],
        ['Adam', '29:1Adam', 600],
        ['Zoe', '29:1Zoe', 600],
        ['Sam', '29:1TwinA', 300],
        ['Sam', '29:1TwinB', 300],
      ],
    );
  });

  it('counts only people with time in the meeting in totalParticipantCount', () => {
    const report = reportFor([meetingStarted(at('09:00')), left(bob, at('09:01')), joined(ana, at('09:02'))]);
    assert.equal(report.totalParticipantCount, 1);
    assert.deepEqual(
      report.attendanceRecords.map((record) => record.id),
      [ana.key],
    );
  });

  describe('restrictReport', () => {
    it('returns the whole report for "all"', () => {
      const report = reportFor(lesson());
      assert.deepEqual(restrictReport(report, 'all'), report);
    });

    it('keeps only the caller\'s own record and counts just that one', () => {
      const report = reportFor(lesson());
      const before = structuredClone(report);
      const own = restrictReport(report, ana.key);
      assert.equal(own.totalParticipantCount, 1);
      assert.deepEqual(
        own.attendanceRecords.map((record) => record.id),
        [ana.key],
      );
      assert.equal(own.id, report.id);
      assert.equal(own.meetingStartDateTime, report.meetingStartDateTime);
      assert.deepEqual(report, before, 'the full report is not changed');
    });

    it('returns no records (and a count of 0) for an id that is not in the report', () => {
      const none = restrictReport(reportFor(lesson()), 'someone-else');
      assert.deepEqual(none.attendanceRecords, []);
      assert.equal(none.totalParticipantCount, 0);
    });
  });
});

describe('csv: the report as a spreadsheet', () => {
  const HEADER = 'Name,Email,Role,First join,Last leave,Total seconds,Total,Sessions,Accuracy,Status,Attended %,Late by,Left early by,Corrected';
  const EXACT = 'exact (Teams events)';

  function csvLines(csv: string): string[] {
    assert.ok(csv.endsWith('\r\n'), 'ends with CRLF');
    return csv.slice(0, -2).split('\r\n');
  }

  function reportWithName(displayName: string, email?: string): RegisterReport {
    const someone = person('29:1Someone', { displayName, role: 'Attendee', ...(email ? { email } : {}) });
    return registerReportFor([
      meetingStarted(at('09:00')),
      joined(someone, at('09:00:00')),
      left(someone, at('09:16:49')),
      meetingEnded(at('09:30')),
    ]);
  }

  it('writes a header row, then one CRLF-terminated row per record in report order', () => {
    const events = [
      meetingStarted(at('09:00')),
      joined(anaWithEmail, at('09:00:05.456')),
      left(anaWithEmail, at('09:10:00')),
      joined(anaWithEmail, at('09:12:00')),
      left(anaWithEmail, at('09:16:54.789')),
      joined(bob, at('09:01:00')),
      meetingEnded(at('09:30:00')),
    ];
    // Ana: 594.544 s + 294.789 s, each truncated: 594 + 294 = 888.
    const lines = csvLines(registerToCsv(registerReportFor(events)));
    assert.deepEqual(lines, [
      HEADER,
      `Bob Student,,Attendee,2025-11-26T09:01:00.000Z,2025-11-26T09:30:00.000Z,1740,29m 0s,1,${EXACT},present,96.6,,,`,
      `Ana Teacher,ana@contoso.test,Organizer,2025-11-26T09:00:05.456Z,2025-11-26T09:16:54.789Z,888,14m 48s,2,${EXACT},partial,49.3,,13m 5s,`,
    ]);
  });

  it('writes only the header for a report with no records', () => {
    const report = registerReportFor([meetingStarted(at('09:00')), meetingEnded(at('09:30'))]);
    assert.equal(registerToCsv(report), `${HEADER}\r\n`);
  });

  it('leaves the last leave empty for someone still in a live meeting', () => {
    const report = registerReportFor([meetingStarted(at('09:00')), joined(bob, at('09:01'))], details, at('09:11'));
    assert.deepEqual(csvLines(registerToCsv(report)), [
      HEADER,
      `Bob Student,,Attendee,2025-11-26T09:01:00.000Z,,600,10m 0s,1,${EXACT},present,90.9,,,`,
    ]);
  });

  for (const [what, name, field] of [
    ['a comma', 'Teacher, Ana', '"Teacher, Ana"'],
    ['double quotes', 'Ana "The Boss" Teacher', '"Ana ""The Boss"" Teacher"'],
    ['a newline', 'Ana\nTeacher', '"Ana\nTeacher"'],
    ['a carriage return', 'Ana\r\nTeacher', '"Ana\r\nTeacher"'],
  ] as const) {
    it(`quotes a name containing ${what} (RFC 4180)`, () => {
      const csv = registerToCsv(reportWithName(name));
      assert.ok(csv.startsWith(`${HEADER}\r\n${field},,Attendee,`), JSON.stringify(csv));
    });
  }

  for (const [lead, name] of [
    ['=', '=HYPERLINK("http://evil.test","click")'],
    ['+', '+1+2'],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A9)'],
    ['a tab', '\t=1+1'],
  ] as const) {
    it(`defuses a name starting with ${lead} so spreadsheets do not run it as a formula`, () => {
      const csv = registerToCsv(reportWithName(name));
      const row = csv.split('\r\n')[1] ?? '';
      const expected = /[",\r\n]/.test(name) ? `"'${name.replaceAll('"', '""')}"` : `'${name}`;
      assert.ok(row.startsWith(`${expected},`), `row was ${JSON.stringify(row)}`);
      assert.ok(!/^"?[=+\-@\t]/.test(row), 'the first cell must not start with a formula character');
    });
  }

  it('defuses and quotes a formula that also contains a comma', () => {
    const csv = registerToCsv(reportWithName('=1+2,3'));
    assert.equal(csv.split('\r\n')[1], `"'=1+2,3",,Attendee,2025-11-26T09:00:00.000Z,2025-11-26T09:16:49.000Z,1009,16m 49s,1,${EXACT},partial,56,,13m 11s,`);
  });

  it('defuses formula characters in the email column too', () => {
    const csv = registerToCsv(reportWithName('Mallory', '=cmd|calc!A0'));
    assert.equal(csv.split('\r\n')[1]?.split(',')[1], `'=cmd|calc!A0`);
  });

  it('leaves ordinary names alone, including ones with inner formula characters', () => {
    const csv = registerToCsv(reportWithName('Jean-Luc O\'Neil @ home'));
    assert.ok(csv.split('\r\n')[1]?.startsWith(`Jean-Luc O'Neil @ home,`));
  });
});
