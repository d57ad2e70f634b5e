/**
 * Child processes the tests start (Azurite, app servers) never outlive the test run: stopped by the tests'
 * after hooks, and killed here if the run ends another way (mocha --exit, a crash, Ctrl-C, a CI timeout).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

const STOP_GRACE_MS = 2_000;
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

process.on('exit', killAll);
// A signal ends Node without 'exit': kill the children, then let the signal do what it would have done.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

export function killWithTestRun(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`; resolves once it has exited. */
export async function stopProcess(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the app (bot/src/index.ts through tsx, no build needed) as its own process, with `env` on top of a
 * clean environment (the developer's own ATTENDANCE_STORE or BOT_ID must not leak in), on a port the OS picks.
 * NODE_V8_COVERAGE is kept so that c8 counts the code the process runs.
 */
export function spawnApp(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/src/index.ts'], {
    cwd: REPOSITORY,
    env: {
      PATH: process.env['PATH'] ?? '',
      ...(process.env['NODE_V8_COVERAGE'] ? { NODE_V8_COVERAGE: process.env['NODE_V8_COVERAGE'] } : {}),
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killWithTestRun(child);
  return child;
}
