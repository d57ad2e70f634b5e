/** Builders for the register's inputs: roster facts and corrections, in the shapes the store keeps. */
import type { Correction, CorrectionRequest } from '../../bot/src/attendance/corrections.js';
import type { Participant } from '../../bot/src/attendance/events.js';
import type { RosterFact } from '../../bot/src/attendance/roster.js';
import type { AttendanceRule } from '../../bot/src/attendance/rule.js';
import { MEETING_ID, TENANT_ID } from './attendanceEvents.js';

export const DEFAULT_RULE: AttendanceRule = { presentPercent: 75, lateAfterMinutes: 10, leftEarlyMinutes: 10 };

export function onRoster(participant: Participant, observedAt: string, meetingId = MEETING_ID): RosterFact {
  return { tenantId: TENANT_ID, meetingId, participant, observedAt };
}

let counter = 0;

/** A stored correction of `reportId` by Ana, at `at` (ids unique within a test run). */
export function correction(reportId: string, request: CorrectionRequest, at = '2025-11-26T12:00:00.000Z', id?: string): Correction {
  counter += 1;
  return {
    id: id ?? `c-${String(counter).padStart(6, '0')}`,
    tenantId: TENANT_ID,
    meetingId: MEETING_ID,
    reportId,
    by: { id: '5d3c2b1a-0000-4000-8000-000000000101', displayName: 'Ana Teacher' },
    at,
    ...request,
  };
}
