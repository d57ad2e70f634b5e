/** The app's identity towards Microsoft Graph, from the configuration (see GRAPH_* in config.ts). */
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { GraphSettings } from '../config.js';

export function graphCredentialFor(graph: GraphSettings): TokenCredential {
  const { credential } = graph;
  if (credential.kind === 'client-secret') return new ClientSecretCredential(graph.tenantId, credential.clientId, credential.clientSecret);
  // Without a client id, the system-assigned identity; with one, that user-assigned identity.
  return credential.clientId ? new ManagedIdentityCredential({ clientId: credential.clientId }) : new ManagedIdentityCredential();
}
