import assert from 'node:assert/strict';
import { ConfigError, describeStore, loadConfig } from '../../bot/src/config.js';
import { createLogger } from '../../bot/src/log.js';

const ACCOUNT_KEY = 'c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==';
const CONNECTION_STRING = `DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`;

/** Asserts that loading fails with a ConfigError naming `variable`, and returns its message. */
function configErrorFor(env: Record<string, string>, variable: string): string {
  let message = '';
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, new RegExp(`\\b${variable}\\b`));
      message = error.message;
      return true;
    },
  );
  return message;
}

describe('configuration: ATTENDANCE_STORE and ATTENDANCE_TABLE', () => {
  it('defaults to the SQLite file in ./data', () => {
    assert.deepEqual(loadConfig({}).store, { kind: 'sqlite', path: './data/attendance.db' });
  });

  it('reads azure-tables:<connection string>, deriving the endpoint, with the table "attendance" by default', () => {
    assert.deepEqual(loadConfig({ ATTENDANCE_STORE: `azure-tables:${CONNECTION_STRING}` }).store, {
      kind: 'azure-tables',
      table: 'attendance',
      endpoint: 'https://contoso.table.core.windows.net',
      connectionString: CONNECTION_STRING,
    });
  });

  it('reads azure-tables:<connection string> for Azurite, whose TableEndpoint is plain http on loopback', () => {
    const azurite = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`;
    const store = loadConfig({ ATTENDANCE_STORE: `azure-tables:${azurite}`, ATTENDANCE_TABLE: 'attendanceTest' }).store;
    assert.equal(store.kind === 'azure-tables' && store.endpoint, 'http://127.0.0.1:10002/devstoreaccount1');
    assert.equal(store.kind === 'azure-tables' && store.table, 'attendanceTest');
  });

  it('reads azure-tables:https://<account>.table.core.windows.net as "use the managed identity" (no connection string)', () => {
    assert.deepEqual(loadConfig({ ATTENDANCE_STORE: 'azure-tables:https://contoso.table.core.windows.net/' }).store, {
      kind: 'azure-tables',
      table: 'attendance',
      endpoint: 'https://contoso.table.core.windows.net',
    });
  });

  it('refuses what it cannot use, naming the variable and never repeating the account key', () => {
    const refused = [
      'postgres://localhost/attendance',
      'sqlite:',
      'azure-tables:',
      'azure-tables:http://contoso.table.core.windows.net',
      'azure-tables:https://contoso.table.core.windows.net?sv=2024&sig=abc',
      `azure-tables:AccountName=contoso;EndpointSuffix=core.windows.net`,
      `azure-tables:DefaultEndpointsProtocol=http;AccountName=contoso;AccountKey=${ACCOUNT_KEY}`,
      `azure-tables:AccountName=contoso;AccountKey=${ACCOUNT_KEY};TableEndpoint=http://storage.contoso.test/`,
    ];
    for (const value of refused) {
      const message = configErrorFor({ ATTENDANCE_STORE: value }, 'ATTENDANCE_STORE');
      assert.ok(!message.includes(ACCOUNT_KEY), `the error for ${value} repeats the key`);
    }
    assert.match(configErrorFor({ ATTENDANCE_STORE: 'azure-tables:http://contoso.table.core.windows.net' }, 'ATTENDANCE_STORE'), /https/);
  });

  it('refuses a table name Azure would refuse, naming ATTENDANCE_TABLE', () => {
    for (const table of ['at', '1attendance', 'attendance-prod']) {
      configErrorFor({ ATTENDANCE_STORE: `azure-tables:${CONNECTION_STRING}`, ATTENDANCE_TABLE: table }, 'ATTENDANCE_TABLE');
    }
  });

  it('describes the store for the logs without its secret, and the logger redacts a connection string it is given', () => {
    const config = loadConfig({ ATTENDANCE_STORE: `azure-tables:${CONNECTION_STRING}` });
    assert.equal(describeStore(config.store), 'azure-tables:https://contoso.table.core.windows.net (table attendance)');
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    logger.info({ store: config.store }, 'store');
    logger.info({ config }, 'config');
    assert.equal(lines.length, 2);
    assert.ok(lines.every((line) => !line.includes(ACCOUNT_KEY)), lines.join('\n'));
  });
});
