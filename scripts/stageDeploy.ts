/**
 * `npm run stage:deploy` (after `npm run build`): puts what App Service runs into .deploy/ — the built server
 * and tab, package.json and the lock file, and the production dependencies — for azureAppService/zipDeploy.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stage = join(root, '.deploy');
const shipped = ['package.json', 'package-lock.json', 'bot/dist', 'tab/dist'];

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
if (!existsSync(join(root, 'bot/dist/index.js'))) throw new Error('bot/dist/index.js is missing: run `npm run build` first.');
for (const path of shipped.filter((path) => existsSync(join(root, path)))) {
  cpSync(join(root, path), join(stage, path), { recursive: true });
}
// --ignore-scripts: install scripts would build better-sqlite3 for this machine, not for App Service's Linux.
// The cloud store is Azure Tables, and better-sqlite3 loads its native part only when a SQLite store opens.
execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: stage,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.stdout.write(`Staged for App Service: ${stage}\n`);
