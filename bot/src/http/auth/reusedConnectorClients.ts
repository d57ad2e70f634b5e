/**
 * One Bot Connector client per service URL and audience, shared by every turn. botbuilder's CloudAdapter asks
 * its connector factory for a new ConnectorClient on every activity, and a client is a whole HTTP pipeline
 * (its policies, a log sanitizer, proxy settings read from the environment): building it was most of the CPU an
 * incoming activity cost. A client holds nothing of a turn: its credentials are the bot's (they cache their own
 * tokens) and every call names its conversation. Kept per process for one bot, as the app runs one.
 */
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

export type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/** Service URLs are per region, and some per tenant: the least recently used go first beyond this. */
const MAX_CLIENTS = 256;

export class ReusedConnectorClients {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  /** A factory that hands out the client kept for a service URL and audience, made by `factory` the first time. */
  around(factory: ConnectorFactory): ConnectorFactory {
    return { create: (serviceUrl, audience) => this.client(factory, serviceUrl, audience) };
  }

  private client(factory: ConnectorFactory, serviceUrl: string, audience: string | undefined): Promise<ConnectorClient> {
    const key = JSON.stringify([serviceUrl, audience ?? null]);
    const kept = this.clients.get(key);
    this.clients.delete(key);
    const client = kept ?? factory.create(serviceUrl, audience);
    this.clients.set(key, client);
    if (!kept) {
      // A client that could not be made is not kept: the next turn tries again.
      client.catch(() => {
        if (this.clients.get(key) === client) this.clients.delete(key);
      });
      if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
    }
    return client;
  }
}
