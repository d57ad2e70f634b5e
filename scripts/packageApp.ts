/**
 * `npm run package [-- --env <name>]` (default env: local): writes appPackage/build/manifest.<env>.json and
 * appPackage/build/appPackage.<env>.zip, ready to upload to Teams or the Teams admin center.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAppPackage, PackagingError } from './appPackage.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'local' },
    'env-dir': { type: 'string', default: resolve(root, 'env') },
    'out-dir': { type: 'string', default: resolve(root, 'appPackage/build') },
  },
});

try {
  const built = buildAppPackage({
    env: values.env,
    envDir: resolve(values['env-dir']),
    appPackageDir: resolve(root, 'appPackage'),
    outDir: resolve(values['out-dir']),
  });
  process.stdout.write(`Teams app package: ${built.zipPath}\nmanifest: ${built.manifestPath}\n`);
} catch (error) {
  if (!(error instanceof PackagingError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
