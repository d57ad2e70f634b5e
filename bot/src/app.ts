/** Wires configuration into a running server: store, bot adapter, token validation, routes. */
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { CloudAdapter } from 'botbuilder';
import type { Config } from './config.js';
import { BotAuthentication } from './http/auth/botFrameworkAuthentication.js';
import { createTokenValidator } from './http/auth/entraToken.js';
import type { DemoAccess } from './http/routes/demoConfig.js';
import { createServer } from './http/server.js';
import type { RegisterChange } from './meetings/registerChanged.js';
import type { Logger } from './log.js';
import { MaterialisedStore } from './meetings/materialisedStore.js';
import { openStore } from './store/openStore.js';
import { startReconciliation } from './reconciliation/startReconciliation.js';
import { startRetention } from './retention/retentionPurger.js';
import { RosterSampler } from './sampling/rosterSampler.js';
import { MeetingFollowUps } from './followUps/meetingFollowUps.js';
import { createBot } from './teams/bot.js';
import { ConnectorGate } from './teams/connectorCalls/connectorGate.js';
import { TeamsConnector } from './teams/connectorCalls/teamsConnector.js';
import { startWebhooks } from './webhooks/startWebhooks.js';

/** Connector calls in flight at once on one instance (all meetings): Teams' per-bot limits are shared by all. */
const MAX_CONCURRENT_CONNECTOR_CALLS = 16;
/** Calls waiting for one of those, at most; past it a call fails at once (its follow-up is retried later). */
const MAX_QUEUED_CONNECTOR_CALLS = 1000;

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Only `npm run demo` passes this: the side panel preview's made-up identities (see http/routes/demoConfig.ts). */
  demo?: DemoAccess;
  /** Only tests pass this: a stand-in for Entra ID, since @azure/identity talks to https authorities only. */
  graphCredential?: TokenCredential;
}

export async function startApp(
  config: Config,
  logger: Logger,
  now: () => Date = () => new Date(),
  options: AppOptions = {},
): Promise<RunningApp> {
  // Local mode (no bot credentials) is loopback-only: the demo's identities never leave this computer.
  if (options.demo && config.bot) throw new Error('demo mode runs in local mode only (without BOT_ID)');
  // Every writer and reader goes through the copy of the meetings being read held in memory (docs/live-state.md).
  const store = new MaterialisedStore(await openStore(config.store, now), now);
  const adapter = new CloudAdapter(new BotAuthentication(config.bot));
  const connector = new TeamsConnector(
    { adapter, appId: config.bot?.appId ?? '' },
    new ConnectorGate({ maxConcurrentCalls: MAX_CONCURRENT_CONNECTOR_CALLS, maxQueued: MAX_QUEUED_CONNECTOR_CALLS, now }),
  );
  const sampler = new RosterSampler({ store, logger, connector, settings: config.sampling, now });
  const followUps = new MeetingFollowUps({ store, logger, connector, now, defaultRule: config.defaultRule });
  followUps.start();
  const webhooks = startWebhooks(config, { store, logger, now });
  const webhookHook = webhooks ? { webhooks: webhooks.notifier } : {};
  const reconciler = startReconciliation(config, { store, logger, now, ...webhookHook }, options.graphCredential);
  const retention = startRetention(config.retention, { store, logger, now });
  const bot = createBot({
    store,
    logger,
    postSummaryOnEnd: config.postSummaryOnEnd,
    defaultRule: config.defaultRule,
    now,
    connector,
    sampler,
    followUps,
    ...(reconciler ? { reconciliation: reconciler } : {}),
    ...webhookHook,
  });
  const server = createServer({
    store,
    adapter,
    bot,
    validateToken: createTokenValidator(config.api),
    rateLimitPerMinute: config.api.rateLimitPerMinute,
    logger,
    now,
    defaultRule: config.defaultRule,
    // Corrections and rule changes send attendanceReport.updated, like a late event does.
    ...(webhooks ? { onRegisterChanged: (change: RegisterChange) => webhooks.notifier.registerChanged(change) } : {}),
    ...(options.demo ? { demo: options.demo } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      sampler.stopAll();
      await followUps.stop();
      await reconciler?.stop();
      await retention?.stop();
      await webhooks?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
