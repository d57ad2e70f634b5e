/** Wires configuration into a running server: store, bot adapter, token validation, routes. */
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from './config.js';
import { createTokenValidator } from './http/auth/entraToken.js';
import { createServer } from './http/server.js';
import type { Logger } from './log.js';
import { openStore } from './store/openStore.js';
import { createBot } from './teams/bot.js';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger, now: () => Date = () => new Date()): Promise<RunningApp> {
  const store = openStore(config.store);
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(
      config.bot
        ? {
            MicrosoftAppId: config.bot.appId,
            MicrosoftAppPassword: config.bot.password ?? '',
            MicrosoftAppType: config.bot.appType,
            MicrosoftAppTenantId: config.bot.tenantId ?? '',
          }
        : {},
    ),
  );
  const bot = createBot({ store, logger, postSummaryOnEnd: config.postSummaryOnEnd, now });
  const server = createServer({ store, adapter, bot, validateToken: createTokenValidator(config.api), logger, now });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
