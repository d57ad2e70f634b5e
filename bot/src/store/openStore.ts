/** Opens the store that ATTENDANCE_STORE names; resolves once it is ready (an Azure table exists). */
import type { StoreSetting } from '../config.js';
import { AzureTablesStore } from './azureTablesStore.js';
import { SqliteStore } from './sqliteStore.js';
import type { AttendanceStore } from './store.js';

/** `clock`: the time the store records as each meeting's last activity (the app's clock). */
export async function openStore(setting: StoreSetting, clock: () => Date = () => new Date()): Promise<AttendanceStore> {
  return setting.kind === 'sqlite' ? new SqliteStore(setting.path, clock) : AzureTablesStore.open(setting, clock);
}
