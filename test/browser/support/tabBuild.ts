/**
 * Builds the tab once per test run (Vite, a second or two, in a child process of its own), so the browser
 * tests always exercise the current source. The output is not emptied first: a concurrent run serving the
 * same files keeps working.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VITE = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));

let built: Promise<unknown> | undefined;

export async function buildTabOnce(): Promise<void> {
  built ??= promisify(execFile)(
    process.execPath,
    [VITE, 'build', '--config', 'tab/vite.config.ts', '--emptyOutDir', 'false', '--logLevel', 'warn'],
    { cwd: ROOT },
  );
  await built;
}
