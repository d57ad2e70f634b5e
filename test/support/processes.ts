/**
 * Child processes the tests start (Azurite, app servers) never outlive the test run: stopped by the tests'
 * after hooks, and killed here if the run ends another way (mocha --exit, a crash, Ctrl-C, a CI timeout).
 */
import type { ChildProcess } from 'node:child_process';

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

/** SIGTERM, then SIGKILL if the process has not exited after a grace period; resolves once it has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
