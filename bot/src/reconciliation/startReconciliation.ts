/** Starts call-record reconciliation when Graph credentials are configured, and says once when it is off. */
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { AttendanceStore } from '../store/store.js';
import type { WebhookHook } from '../webhooks/webhookNotifier.js';
import { graphCallRecords } from './callRecordSource.js';
import { GraphClient } from './graphClient.js';
import { graphCredentialFor } from './graphCredential.js';
import { CallRecordReconciler } from './reconciler.js';

export function startReconciliation(
  config: Pick<Config, 'graph' | 'reconciliation'>,
  deps: { store: AttendanceStore; logger: Logger; now: () => Date; webhooks?: WebhookHook },
  /** Replaces the credential built from the configuration (tests use a stand-in for Entra ID). */
  credential?: TokenCredential,
): CallRecordReconciler | undefined {
  const { graph } = config;
  if (!graph) {
    deps.logger.info(
      'call-record reconciliation is off: set GRAPH_TENANT_ID with GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET ' +
        '(or GRAPH_USE_MANAGED_IDENTITY=true) to make reports exact after instant meetings',
    );
    return undefined;
  }
  const client = new GraphClient(graph.baseUrl, credential ?? graphCredentialFor(graph));
  const reconciler = new CallRecordReconciler({
    ...deps,
    callRecords: graphCallRecords(client),
    tenantId: graph.tenantId,
    settings: config.reconciliation,
  });
  reconciler.start();
  deps.logger.info({ graph: graph.baseUrl, tenantId: graph.tenantId, credential: graph.credential.kind }, 'call-record reconciliation is on');
  return reconciler;
}
