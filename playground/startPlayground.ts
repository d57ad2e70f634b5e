/**
 * `npm run playground`'s pieces: the app in local mode on a throw-away SQLite file, and Microsoft 365 Agents
 * Playground (a local Teams-like chat client) as a child process, both on 127.0.0.1. The playground reads the
 * chats and people it shows from .m365agentsplayground.yml at the repository root, relays what is typed in
 * them to the bot, and emulates the Bot Framework connector the bot answers through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startApp, type RunningApp } from '../bot/src/app.js';
import { loadConfig } from '../bot/src/config.js';
import { createLogger } from '../bot/src/log.js';

const LOOPBACK = '127.0.0.1';
const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const CONFIG_FILE = join(REPOSITORY, '.m365agentsplayground.yml');
/** Makes the playground's host-less listen() bind 127.0.0.1 (it has no option for the host). */
const LOOPBACK_PRELOAD = fileURLToPath(new URL('listenOnLoopback.cjs', import.meta.url));
const PLAYGROUND_CLI = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 2_000;

/** The playground's own default port, which the meeting events in playground/events/ name in their serviceUrl. */
export const DEFAULT_PLAYGROUND_PORT = 56150;

export interface PlaygroundOptions {
  /** The app's port; 0 picks a free one. */
  appPort: number;
  /** The playground's port; 0 picks a free one. */
  playgroundPort: number;
  logLevel: string;
  /** Let the playground open the default browser; otherwise it runs with TEAMSAPPTESTER_BROWSER=none. */
  openBrowser: boolean;
  /** The playground's console output: shown to a developer, dropped in tests (the UI's log panel has it too). */
  playgroundOutput: 'inherit' | 'ignore';
  /** Server settings on top of local mode's, e.g. a test's token issuer (AAD_APP_CLIENT_ID, AAD_JWKS_URI). */
  settings?: Record<string, string>;
}

export interface RunningPlayground {
  /** The playground's chat UI. */
  playgroundUrl: string;
  /** The connector the playground emulates: the serviceUrl of every activity it sends. */
  serviceUrl: string;
  /** The app (bot endpoint at /api/messages, report API at /api/meetings). */
  appUrl: string;
  close(): Promise<void>;
}

/** The playground port is taken: the playground would quietly move to another one, which the events do not name. */
export class PlaygroundPortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on ${LOOPBACK} is in use`);
  }
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const playgroundPort = options.playgroundPort === 0 ? await freeLoopbackPort() : await ensureFree(options.playgroundPort);
  const directory = mkdtempSync(join(tmpdir(), 'attendance-playground-'));
  const config = loadConfig({
    PORT: String(options.appPort),
    HOST: LOOPBACK,
    ATTENDANCE_STORE: `sqlite:${join(directory, 'attendance.db')}`,
    LOG_LEVEL: options.logLevel,
    ...options.settings,
  });
  let app: RunningApp;
  try {
    app = await startApp(config, createLogger(config.logLevel));
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const playgroundUrl = `http://${LOOPBACK}:${playgroundPort}`;
  const serviceUrl = `${playgroundUrl}/_connector`;
  const child = spawnPlayground(options, playgroundPort, `${app.url}/api/messages`, serviceUrl, directory);
  const close = async () => {
    await stopChild(child);
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(playgroundUrl, child);
  } catch (error) {
    await close();
    throw error;
  }
  return { playgroundUrl, serviceUrl, appUrl: app.url, close };
}

function spawnPlayground(
  options: PlaygroundOptions,
  port: number,
  appEndpoint: string,
  serviceUrl: string,
  directory: string,
): ChildProcess {
  const args = [
    '--require',
    LOOPBACK_PRELOAD,
    PLAYGROUND_CLI,
    '--app-endpoint',
    appEndpoint,
    '--channel-id',
    'msteams',
    '--port',
    String(port),
    '--service-url',
    serviceUrl,
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPOSITORY,
    env: {
      ...process.env,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: CONFIG_FILE,
      // Its log file would otherwise be ./devTools/m365agentsplayground.log in the repository.
      M365_AGENTS_PLAYGROUND_LOGFILE: join(directory, 'playground.log'),
      // --disable-telemetry leaves the Application Insights SDK's own usage reports ("statsbeat", to
      // *.in.applicationinsights.azure.com and Azure's instance metadata address) on: this turns them off too.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      ...(options.openBrowser ? {} : { TEAMSAPPTESTER_BROWSER: 'none' }),
    },
    stdio: ['ignore', options.playgroundOutput, options.playgroundOutput],
  });
  // The playground never outlives whoever started it, however that process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  return child;
}

/** Resolves once the playground serves its page; rejects if it exits first or takes too long. */
async function waitUntilServing(playgroundUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Agents Playground exited (${child.exitCode ?? child.signalCode}) before serving ${playgroundUrl}`);
    }
    try {
      const response = await fetch(playgroundUrl);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the Agents Playground did not serve ${playgroundUrl} within ${START_TIMEOUT_MS} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Listens on the port for a moment: the port if it is free, else PlaygroundPortInUseError. */
function ensureFree(port: number): Promise<number> {
  return probe(port).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PlaygroundPortInUseError(port) : error;
  });
}

function freeLoopbackPort(): Promise<number> {
  return probe(0);
}

function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
