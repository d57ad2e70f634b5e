import assert from 'node:assert/strict';
import { accuracyOf } from '../../bot/src/attendance/accuracy.js';
import { reportToCsv } from '../../bot/src/attendance/csv.js';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import { buildReport, restrictReport } from '../../bot/src/attendance/report.js';
import { ana, at, bob, foundPresent, guest, joined, left, meetingEnded, meetingStarted, single } from '../support/attendanceEvents.js';

const sampled = { source: 'sampled' as const, sampleIntervalSeconds: 30, activityId: null };
const reconciled = { source: 'reconciled' as const, activityId: null };

function reportOf(events: Parameters<typeof buildSessions>[0]) {
  return buildReport(single(buildSessions(events)), undefined, at('10:00:00'));
}

function recordOf(report: ReturnType<typeof reportOf>, key: string) {
  const record = report.attendanceRecords.find((candidate) => candidate.id === key);
  assert.ok(record, `no record for ${key}`);
  return record;
}

describe('sources: which facts count, and how exact the report says it is', () => {
  it('labels a meeting recorded from Teams events as exact', () => {
    const report = reportOf([meetingStarted(at('09:00')), joined(ana, at('09:00:05')), meetingEnded(at('09:30'))]);
    assert.deepEqual(report.accuracy, { basis: 'events', statement: 'Exact (Teams events).', sampleIntervalSeconds: 0 });
    assert.equal(recordOf(report, ana.key).attendanceBasis, 'events');
  });

  it('counts sampled joins and leaves when Teams sent no participant events, and says how exact they are', () => {
    const report = reportOf([
      meetingStarted(at('09:00')),
      joined(bob, at('09:00:30'), sampled),
      left(bob, at('09:20:30'), sampled),
      meetingEnded(at('09:30')),
    ]);
    assert.equal(recordOf(report, bob.key).totalAttendanceInSeconds, 1200);
    assert.equal(recordOf(report, bob.key).attendanceBasis, 'sampled');
    assert.deepEqual(report.accuracy, { basis: 'sampled', statement: 'Sampled every 30 s, ±30 s.', sampleIntervalSeconds: 30 });
    assert.ok(reportToCsv(report).split('\r\n')[1]?.endsWith(',1200,20m 0s,1,"sampled every 30 s, ±30 s"'));
  });

  it("lets a person's real Teams events win over samples of the same person", () => {
    const report = reportOf([
      meetingStarted(at('09:00')),
      joined(bob, at('09:00:30'), sampled),
      joined(bob, at('09:00:12.500')),
      left(bob, at('09:20:00')),
      left(bob, at('09:20:30'), sampled),
      meetingEnded(at('09:30')),
    ]);
    assert.deepEqual(recordOf(report, bob.key).attendanceIntervals, [
      { joinDateTime: at('09:00:12.500'), leaveDateTime: at('09:20:00'), durationInSeconds: 1187 },
    ]);
    assert.equal(report.accuracy.basis, 'events');
  });

  it('lets call records supersede samples and the install-time snapshot, making the figure exact', () => {
    const report = reportOf([
      foundPresent(bob, at('09:10:00')),
      joined(bob, at('09:10:00'), sampled),
      left(bob, at('09:20:30'), sampled),
      joined(bob, at('09:02:03.250'), reconciled),
      left(bob, at('09:20:11.750'), reconciled),
      meetingEnded(at('09:30')),
    ]);
    const record = recordOf(report, bob.key);
    assert.equal(record.totalAttendanceInSeconds, 1088);
    assert.equal(record.presentBeforeTracking, false);
    assert.equal(record.attendanceBasis, 'reconciled');
    assert.equal(report.accuracy.statement, 'Reconciled from call records (exact).');
  });

  it('keeps a sample and a real event at the same instant apart (different event keys)', () => {
    const real = joined(bob, at('09:00:30'));
    const sample = joined(bob, at('09:00:30'), sampled);
    assert.notEqual(real.eventKey, sample.eventKey);
  });

  it('states a mixed basis person by person, and restricts it to what an attendee may see', () => {
    const report = reportOf([
      meetingStarted(at('09:00')),
      joined(ana, at('09:00:05')),
      joined(bob, at('09:01:00'), sampled),
      joined(guest, at('09:02:00'), reconciled),
      meetingEnded(at('09:30')),
    ]);
    assert.deepEqual(report.accuracy, {
      basis: 'mixed',
      statement: 'Mixed: 1 exact (Teams events); 1 reconciled from call records (exact); 1 sampled every 30 s, ±30 s.',
      sampleIntervalSeconds: 30,
    });
    assert.deepEqual(restrictReport(report, bob.key).accuracy, {
      basis: 'sampled',
      statement: 'Sampled every 30 s, ±30 s.',
      sampleIntervalSeconds: 30,
    });
  });

  it('says when nothing is recorded', () => {
    assert.deepEqual(accuracyOf([], 0), { basis: 'none', statement: 'No attendance recorded yet.', sampleIntervalSeconds: 0 });
  });
});
