/** Loads one meeting's record and replays its stored events into sessions: the read side of the ledger. */
import { buildSessions, type MeetingSession } from '../attendance/ledger.js';
import type { AttendanceStore, MeetingKey, MeetingRecord } from '../store/store.js';

export interface MeetingAttendance {
  meeting: MeetingRecord | undefined;
  sessions: MeetingSession[];
}

export async function loadMeetingAttendance(store: AttendanceStore, key: MeetingKey): Promise<MeetingAttendance> {
  const [meeting, events] = await Promise.all([store.getMeeting(key), store.readEvents(key)]);
  return { meeting, sessions: buildSessions(events) };
}
