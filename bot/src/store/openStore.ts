/**
 * Opens the store that ATTENDANCE_STORE names; resolves once it is ready (an Azure table exists). The Azure
 * Tables SDK is loaded only for the Azure store: the embedded default never needs it (about 5 MB of memory).
 */
import type { StoreSetting } from '../config.js';
import { SqliteStore } from './sqliteStore.js';
import type { AttendanceStore } from './store.js';

/** `clock`: the time the store records as each meeting's last activity (the app's clock). */
export async function openStore(setting: StoreSetting, clock: () => Date = () => new Date()): Promise<AttendanceStore> {
  if (setting.kind === 'sqlite') return new SqliteStore(setting.path, clock);
  const { AzureTablesStore } = await import('./azureTablesStore.js');
  return AzureTablesStore.open(setting, clock);
}
