/**
 * A server under test in its own process, so the load generator never shares its event loop and its memory
 * is its own: the production entry (bot/dist/index.js, as `npm start` runs it) or the no-op bot beside it.
 * Configured by environment variables only, on a port the OS picks on 127.0.0.1; its log lines (stdout) are
 * read until it says where it listens, then drained unread, as a log collector would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { killWithTestRun, stopProcess } from '../../test/support/processes.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;
/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

export type ServerKind = 'attendance' | 'noop' | 'storeOnly';

/**
 * Node's options from `npm start` (package.json), for every server: ours runs exactly as it ships, and the
 * no-op on the same runtime settings, so the two differ only in what the bot does.
 */
export const START_COMMAND = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
const START_MATCH = /^node((?: --[\w-]+=\S+)*) bot\/dist\/index\.js$/.exec(START_COMMAND);
if (!START_MATCH) throw new Error(`package.json's start script is not "node [--option=value ...] bot/dist/index.js": ${START_COMMAND}`);
const NODE_OPTIONS_OF_START = (START_MATCH[1] ?? '').trim().split(' ').filter(Boolean);

const COMMANDS: Record<ServerKind, string[]> = {
  attendance: [...NODE_OPTIONS_OF_START, 'bot/dist/index.js'],
  noop: [...NODE_OPTIONS_OF_START, '--import', 'tsx', 'bench/servers/noopServer.ts'],
  storeOnly: [...NODE_OPTIONS_OF_START, '--import', 'tsx', 'bench/servers/noopServer.ts'],
};
const ENV: Record<ServerKind, Record<string, string>> = { attendance: {}, noop: {}, storeOnly: { BENCH_BOT: 'store-only' } };

export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(kind: ServerKind, env: Record<string, string>): Promise<ServerProcess> {
    const child = spawn(process.execPath, COMMANDS[kind], {
      cwd: REPOSITORY,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...ENV[kind], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killWithTestRun(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const listening = new Promise<string>((resolve, reject) => {
      let pending = '';
      const onData = (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines.filter((text) => text.startsWith('{'))) {
          const { msg, url } = JSON.parse(line) as { msg?: string; url?: unknown };
          if (typeof url === 'string' && msg?.includes('listening')) {
            child.stdout?.off('data', onData);
            child.stdout?.resume();
            resolve(url);
          }
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the ${kind} server exited (code ${code}) before listening:\n${stderr}`)));
      setTimeout(() => reject(new Error(`the ${kind} server did not listen within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS).unref();
    });
    try {
      return new ServerProcess(child, await listening);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the server process has no pid');
    return this.child.pid;
  }

  /** Resident memory now (VmRSS in /proc/<pid>/status). */
  rssBytes(): number {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (!match?.[1]) throw new Error(`no VmRSS for process ${this.pid}`);
    return Number(match[1]) * 1024;
  }

  /** CPU time used so far, user + system (/proc/<pid>/stat), in seconds. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces), from field 3 on: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }

  /** SIGTERM (the server's graceful stop), SIGKILL if it hangs. */
  stop(): Promise<void> {
    return stopProcess(this.child, STOP_GRACE_MS);
  }
}
