/** main: read the configuration, start the server, stop cleanly on SIGINT/SIGTERM. The only place that listens. */
import { startApp } from './app.js';
import { ConfigError, describeStore, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  if (!config.bot) {
    logger.warn(
      { host: config.host },
      'LOCAL MODE: no BOT_ID is set, so Bot Framework authentication is OFF and /api/messages accepts unauthenticated activities. ' +
        'The server listens on loopback only. Set BOT_ID, BOT_PASSWORD (or BOT_TYPE=UserAssignedMsi) and BOT_TENANT_ID for Teams.',
    );
  }
  if (config.api.audiences.length === 0) {
    logger.warn('AAD_APP_CLIENT_ID is not set: the report API will refuse every request (401) until it is.');
  }
  const app = await startApp(config, logger);
  logger.info({ url: app.url, store: describeStore(config.store) }, `Attendance is listening on ${app.url} (bot endpoint ${app.url}/api/messages)`);

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Attendance could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
