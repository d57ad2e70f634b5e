/**
 * The ceiling the ingest figure is compared with: the server the app runs (the same compiled createServer,
 * restify, body parser, CloudAdapter and its authentication in local mode, messages route and store), with a bot that does nothing.
 * Whatever this answers per second is the framework's cost; the rest of the app's cost is ours.
 * With BENCH_BOT=store-only its bot does one thing more, the part of ours that needs the disk: it parses the
 * meeting event and stores it (the app's parser and store), so the figures show what durable storage costs
 * on this machine apart from everything else the app does.
 * Configured like the app, from the environment; the production code is unchanged.
 */
import { CloudAdapter } from 'botbuilder';
import type { AddressInfo } from 'node:net';
import type { Bot } from '../../bot/src/teams/bot.js';

// The compiled server (bot/dist, as `npm start` runs it), typed by its source.
const dist = (path: string) => new URL(`../../bot/dist/${path}`, import.meta.url).href;
const { loadConfig } = (await import(dist('config.js'))) as typeof import('../../bot/src/config.js');
const { createLogger } = (await import(dist('log.js'))) as typeof import('../../bot/src/log.js');
const { openStore } = (await import(dist('store/openStore.js'))) as typeof import('../../bot/src/store/openStore.js');
const { BotAuthentication } = (await import(dist('http/auth/botFrameworkAuthentication.js'))) as typeof import('../../bot/src/http/auth/botFrameworkAuthentication.js');
const { createTokenValidator } = (await import(dist('http/auth/entraToken.js'))) as typeof import('../../bot/src/http/auth/entraToken.js');
const { createServer } = (await import(dist('http/server.js'))) as typeof import('../../bot/src/http/server.js');
const { parseMeetingEvent } = (await import(dist('teams/parseMeetingEvent.js'))) as typeof import('../../bot/src/teams/parseMeetingEvent.js');

const config = loadConfig();
if (config.bot) throw new Error('the no-op bot runs in local mode only, like the benchmark');
const logger = createLogger(config.logLevel);
const store = await openStore(config.store);
const storeOnly = process.env['BENCH_BOT'] === 'store-only';
const storeTheEvent: Bot = async (context) => {
  const parsed = parseMeetingEvent(context.activity);
  if (!parsed.ok) throw new Error(parsed.problem);
  await store.appendEvents(parsed.value.events);
};
const server = createServer({
  store,
  adapter: new CloudAdapter(new BotAuthentication(undefined)),
  bot: storeOnly ? storeTheEvent : async () => undefined,
  validateToken: createTokenValidator(config.api),
  logger,
  now: () => new Date(),
  defaultRule: config.defaultRule,
});
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url }, `${storeOnly ? 'store-only' : 'no-op'} bot listening on ${url}`);
});
process.once('SIGTERM', () => {
  server.close(() => {
    void store.close().then(() => process.exit(0));
  });
});
