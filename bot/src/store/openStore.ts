/** Opens the store that ATTENDANCE_STORE names; resolves once it is ready (an Azure table exists). */
import type { StoreSetting } from '../config.js';
import { AzureTablesStore } from './azureTablesStore.js';
import { SqliteStore } from './sqliteStore.js';
import type { AttendanceStore } from './store.js';

export async function openStore(setting: StoreSetting): Promise<AttendanceStore> {
  return setting.kind === 'sqlite' ? new SqliteStore(setting.path) : AzureTablesStore.open(setting);
}
