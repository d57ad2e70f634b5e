/**
 * A throw-away SQLite store in the temporary folder, and the environment a benchmarked server runs with: local
 * mode on 127.0.0.1, production logging (info, JSON on stdout), roster sampling out of the way (the bench's
 * meetings are Scheduled and Teams sends their participant events, so the sampler would stop anyway).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLIENT_ID } from '../../test/support/tokens.js';

export class ScratchStore {
  readonly dbPath: string;
  private readonly directory: string;

  constructor(name: string) {
    this.directory = mkdtempSync(join(tmpdir(), `attendance-bench-${name}-`));
    this.dbPath = join(this.directory, 'attendance.db');
  }

  /** The server's environment; `jwksUri` lets the report API trust a local token issuer. */
  env(options: { jwksUri?: string } = {}): Record<string, string> {
    return {
      ATTENDANCE_STORE: `sqlite:${this.dbPath}`,
      LOG_LEVEL: 'info',
      SAMPLE_INTERVAL_S: '3600',
      AAD_APP_CLIENT_ID: CLIENT_ID,
      ...(options.jwksUri ? { AAD_JWKS_URI: options.jwksUri } : {}),
    };
  }

  /** Events stored, read once the server is stopped: every 2xx must be one of them. */
  countEvents(meetingId?: string): number {
    const db = new Database(this.dbPath, { readonly: true });
    try {
      const row = (meetingId
        ? db.prepare('SELECT count(*) AS n FROM events WHERE meeting_id = ?').get(meetingId)
        : db.prepare('SELECT count(*) AS n FROM events').get()) as { n: number };
      return row.n;
    } finally {
      db.close();
    }
  }

  dispose(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
