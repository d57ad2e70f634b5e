/**
 * Loads one meeting's record and its ledger: the read side. From the copy held in memory when the store is the
 * materialised one (materialisedStore.ts), else by replaying every stored event.
 */
import { MeetingLedger } from '../attendance/meetingLedger.js';
import type { AttendanceStore, MeetingKey } from '../store/store.js';
import { MaterialisedStore, type MeetingAttendance } from './materialisedStore.js';

export type { MeetingAttendance } from './materialisedStore.js';

export async function loadMeetingAttendance(store: AttendanceStore, key: MeetingKey): Promise<MeetingAttendance> {
  if (store instanceof MaterialisedStore) return store.attendance(key);
  return readMeetingAttendance(store, key);
}

/** Reads the meeting's record and every event from the store, and replays them. */
async function readMeetingAttendance(store: AttendanceStore, key: MeetingKey): Promise<MeetingAttendance> {
  const [meeting, events] = await Promise.all([store.getMeeting(key), store.readEvents(key)]);
  const ledger = new MeetingLedger();
  ledger.add(events);
  return { meeting, sessions: ledger.sessions(), ledger };
}
