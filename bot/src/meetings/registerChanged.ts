/**
 * The one place told that a meeting's register changed after the fact (a correction stored, its rule changed):
 * where `attendanceReport.updated` notifications are sent from, once webhooks exist. A listener's failure is
 * logged, never undoes the change (already stored) nor fails the request that made it.
 */
import type { Logger } from '../log.js';
import type { MeetingKey } from '../store/store.js';

export interface RegisterChange extends MeetingKey {
  /** The attendance reports (sessions) whose figures may have changed. */
  reportIds: string[];
  cause: 'correction' | 'rule';
}

export type RegisterChangedListener = (change: RegisterChange) => Promise<void>;

export async function registerChanged(deps: { logger: Logger; onRegisterChanged?: RegisterChangedListener }, change: RegisterChange): Promise<void> {
  deps.logger.info({ meetingId: change.meetingId, reportIds: change.reportIds, cause: change.cause }, 'register changed');
  try {
    await deps.onRegisterChanged?.(change);
  } catch (error) {
    deps.logger.warn({ err: error, meetingId: change.meetingId }, 'telling others that the register changed failed; the change itself is stored');
  }
}
