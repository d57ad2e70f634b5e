/**
 * The real app, started in-process on a free port with a temporary SQLite file, a controllable clock and
 * its pino log lines captured for assertions. `restart()` starts a new app on the same database file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { startApp, type RunningApp } from '../../bot/src/app.js';
import { loadConfig } from '../../bot/src/config.js';
import { createLogger } from '../../bot/src/log.js';
import { CLIENT_ID } from './tokens.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export const LOG_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** The app's clock: fixed unless a test moves it, so live totals are exact. */
export class TestClock {
  private current: number;
  constructor(iso: string) {
    this.current = Date.parse(iso);
  }
  now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}

export interface TestServerOptions {
  /** The JWKS the report API trusts (TokenIssuer.jwksUri). */
  jwksUri?: string;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** The app's "now"; defaults to shortly after the fixtures' meeting. */
  now?: string;
  /** Use the real clock instead (for tests that run on real timers, such as roster sampling). */
  realClock?: boolean;
  /** Share another server's database file (several instances on one store). */
  databasePath?: string;
  /** The app's credential for Microsoft Graph (FakeGraph.credential), with GRAPH_* set in `env`. */
  graphCredential?: TokenCredential;
}

export class TestServer {
  readonly logs: LogLine[] = [];
  readonly clock: TestClock;
  readonly dbPath: string;
  private app: RunningApp | undefined;
  private readonly directory: string;

  private constructor(private readonly options: TestServerOptions) {
    this.directory = mkdtempSync(join(tmpdir(), 'attendance-it-'));
    this.dbPath = options.databasePath ?? join(this.directory, 'attendance.db');
    this.clock = new TestClock(options.now ?? '2025-11-26T09:45:00.000Z');
  }

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const server = new TestServer(options);
    await server.launch();
    return server;
  }

  get url(): string {
    if (!this.app) throw new Error('the test server is not running');
    return this.app.url;
  }

  /** Log lines whose message contains `text` (and, optionally, at least `level`). */
  logsMatching(text: string, level: number = LOG_LEVEL.debug): LogLine[] {
    return this.logs.filter((line) => line.level >= level && line.msg.includes(text));
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    await app?.close();
  }

  /** Stops the app and starts a new one on the same database file (a new port). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the app and deletes its database. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      ATTENDANCE_STORE: `sqlite:${this.dbPath}`,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      ...(this.options.jwksUri ? { AAD_JWKS_URI: this.options.jwksUri } : {}),
      LOG_LEVEL: 'debug',
      ...this.options.env,
    });
    const logger = createLogger(config.logLevel, {
      write: (line: string) => {
        this.logs.push(JSON.parse(line) as LogLine);
      },
    });
    this.app = await startApp(
      config,
      logger,
      this.options.realClock ? () => new Date() : this.clock.now,
      this.options.graphCredential ? { graphCredential: this.options.graphCredential } : {},
    );
  }
}
