/**
 * The app as it runs in production: its own Node process started from bot/src/index.ts (through tsx, so no
 * build is needed), configured only by environment variables, on a port the OS picks. For what one process
 * cannot show: several instances sharing a store.
 */
import type { ChildProcess } from 'node:child_process';
import type { LogLine } from './server.js';
import { spawnApp, stopProcess } from './processes.js';

const START_TIMEOUT_MS = 20_000;

export class AppProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** Its pino log lines (stdout), as they come. */
    readonly logs: LogLine[],
  ) {}

  /**
   * Starts the app with `env` on top of a clean environment (the developer's own ATTENDANCE_STORE or BOT_ID
   * must not leak in). NODE_V8_COVERAGE is kept so that c8 counts the code the process runs.
   */
  static async start(env: Record<string, string>): Promise<AppProcess> {
    const child = spawnApp(env);
    const logs: LogLine[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const listening = new Promise<string>((resolve, reject) => {
      let pending = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines.filter((text) => text.startsWith('{'))) {
          const parsed = JSON.parse(line) as LogLine;
          logs.push(parsed);
          if (parsed.msg.startsWith('Attendance is listening') && typeof parsed['url'] === 'string') resolve(parsed['url']);
        }
      });
      child.once('exit', (code) => reject(new Error(`the app exited (code ${code}) before listening:\n${stderr}`)));
      setTimeout(() => reject(new Error(`the app did not listen within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS).unref();
    });
    try {
      return new AppProcess(child, await listening, logs);
    } catch (error) {
      await stopProcess(child);
      throw error;
    }
  }

  /** Starts `count` apps at once; if one fails, stops the others before failing. */
  static async startMany(count: number, env: Record<string, string>): Promise<AppProcess[]> {
    const results = await Promise.allSettled(Array.from({ length: count }, () => AppProcess.start(env)));
    const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      await Promise.all(started.map((app) => app.stop()));
      throw failure.reason;
    }
    return started;
  }

  /**
   * SIGKILL, as a crash, an OOM kill or a pulled plug would end it: no graceful stop, nothing flushed. The
   * signal is sent before this returns (so a caller can kill at an exact moment); resolves once it has exited.
   */
  crash(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    return exited;
  }

  /** SIGTERM (the app's graceful stop), SIGKILL if it hangs. */
  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}
