import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../bot/src/store/sqliteStore.js';
import { describeStoreContract } from './storeContract.js';

describeStoreContract('SQLite', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'attendance-sqlite-'));
  const path = join(folder, 'nested', 'attendance.db');
  return {
    open: async () => new SqliteStore(path),
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
});
