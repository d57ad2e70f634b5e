/** Opens the store that ATTENDANCE_STORE names. */
import type { Config } from '../config.js';
import { SqliteStore } from './sqliteStore.js';
import type { AttendanceStore } from './store.js';

export function openStore(setting: Config['store']): AttendanceStore {
  return new SqliteStore(setting.path);
}
