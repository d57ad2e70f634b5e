import assert from 'node:assert/strict';
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { ConfigError, loadConfig } from '../../bot/src/config.js';
import { createLogger } from '../../bot/src/log.js';
import { graphCredentialFor } from '../../bot/src/reconciliation/graphCredential.js';

const TENANT = '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f';
const SECRET = 'graph~client~secret~value';
const withSecret = { GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: 'graph-app', GRAPH_CLIENT_SECRET: SECRET };

function refuses(env: Record<string, string>, pattern: RegExp): void {
  assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && pattern.test(error.message));
}

describe('configuration: call-record reconciliation (GRAPH_*, RECONCILE_*)', () => {
  it('is off without Graph credentials, with the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.graph, undefined);
    assert.deepEqual(config.reconciliation, { delaySeconds: 900, retrySeconds: 300, giveUpHours: 24, pollSeconds: 5 });
  });

  it('reads a client secret, with Graph v1.0 by default', () => {
    assert.deepEqual(loadConfig(withSecret).graph, {
      tenantId: TENANT,
      credential: { kind: 'client-secret', clientId: 'graph-app', clientSecret: SECRET },
      baseUrl: 'https://graph.microsoft.com/v1.0',
    });
  });

  it('reads the managed identity, user-assigned when AZURE_CLIENT_ID names it', () => {
    assert.deepEqual(loadConfig({ GRAPH_TENANT_ID: TENANT, GRAPH_USE_MANAGED_IDENTITY: 'true', AZURE_CLIENT_ID: 'mi-client' }).graph?.credential, {
      kind: 'managed-identity',
      clientId: 'mi-client',
    });
    assert.deepEqual(loadConfig({ GRAPH_TENANT_ID: TENANT, GRAPH_USE_MANAGED_IDENTITY: 'true' }).graph?.credential, { kind: 'managed-identity' });
  });

  it('refuses half a configuration, naming what is missing and never the secret', () => {
    refuses({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: 'graph-app' }, /missing: GRAPH_CLIENT_SECRET\./);
    refuses({ GRAPH_CLIENT_SECRET: SECRET }, /missing: GRAPH_TENANT_ID, GRAPH_CLIENT_ID\./);
    refuses({ GRAPH_USE_MANAGED_IDENTITY: 'true' }, /needs GRAPH_TENANT_ID/);
    refuses({ ...withSecret, GRAPH_USE_MANAGED_IDENTITY: 'true' }, /takes no GRAPH_CLIENT_ID or GRAPH_CLIENT_SECRET/);
    assert.throws(() => loadConfig({ GRAPH_CLIENT_SECRET: SECRET }), (error: unknown) => error instanceof Error && !error.message.includes(SECRET));
  });

  it('accepts GRAPH_BASE_URL over https, or plain http on loopback only (a local fake Graph)', () => {
    assert.equal(loadConfig({ ...withSecret, GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0/' }).graph?.baseUrl, 'https://graph.microsoft.us/v1.0');
    assert.equal(loadConfig({ ...withSecret, GRAPH_BASE_URL: 'http://127.0.0.1:4010/v1.0' }).graph?.baseUrl, 'http://127.0.0.1:4010/v1.0');
    refuses({ ...withSecret, GRAPH_BASE_URL: 'http://graph.example.com/v1.0' }, /GRAPH_BASE_URL/);
  });

  it('refuses timings it cannot use, naming the variable', () => {
    refuses({ RECONCILE_GIVE_UP_H: '0' }, /RECONCILE_GIVE_UP_H/);
    refuses({ RECONCILE_GIVE_UP_H: '1000' }, /RECONCILE_GIVE_UP_H/);
    refuses({ RECONCILE_DELAY_S: '-1' }, /RECONCILE_DELAY_S/);
    refuses({ RECONCILE_RETRY_S: 'soon' }, /RECONCILE_RETRY_S/);
  });

  it('builds the @azure/identity credential the configuration names', () => {
    assert.ok(graphCredentialFor(loadConfig(withSecret).graph!) instanceof ClientSecretCredential);
    const managed = loadConfig({ GRAPH_TENANT_ID: TENANT, GRAPH_USE_MANAGED_IDENTITY: 'true', AZURE_CLIENT_ID: 'mi-client' }).graph!;
    assert.ok(graphCredentialFor(managed) instanceof ManagedIdentityCredential);
  });

  it('never logs the client secret, even when the whole configuration is logged', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const config = loadConfig(withSecret);
    logger.info({ config }, 'configuration');
    logger.info(config, 'configuration');
    logger.info({ graph: config.graph }, 'graph');
    assert.equal(lines.length, 3);
    for (const line of lines) assert.ok(!line.includes(SECRET), line);
  });
});
