/**
 * Builds the Teams app package for one environment, as the Agents Toolkit's teamsApp/zipAppPackage does: the
 * `${{VAR}}` placeholders of appPackage/manifest.json are filled from env/.env.<env> (then env/.env.<env>.user,
 * which wins), and the manifest and its icons are zipped at the root of appPackage.<env>.zip.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import AdmZip from 'adm-zip';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ENVIRONMENT_NAME = /^[A-Za-z0-9_-]+$/;

export interface PackageOptions {
  env: string;
  envDir: string;
  appPackageDir: string;
  outDir: string;
}

export interface BuiltPackage {
  manifestPath: string;
  zipPath: string;
}

export class PackagingError extends Error {
  override name = 'PackagingError';
}

export function buildAppPackage({ env, envDir, appPackageDir, outDir }: PackageOptions): BuiltPackage {
  if (!ENVIRONMENT_NAME.test(env)) throw new PackagingError(`--env ${env}: use letters, digits, - and _ only.`);
  const values = readEnvironment(envDir, env);
  const manifestText = fillPlaceholders(readFileSync(join(appPackageDir, 'manifest.json'), 'utf8'), values, envDir, env);
  const manifest = JSON.parse(manifestText) as { icons: { color: string; outline: string } };

  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, `manifest.${env}.json`);
  const zipPath = join(outDir, `appPackage.${env}.zip`);
  writeFileSync(manifestPath, manifestText);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(manifestText));
  for (const icon of [manifest.icons.color, manifest.icons.outline]) {
    zip.addFile(icon, readFileSync(join(appPackageDir, icon)));
  }
  zip.writeZip(zipPath);
  return { manifestPath, zipPath };
}

function readEnvironment(envDir: string, env: string): Record<string, string | undefined> {
  const envFile = join(envDir, `.env.${env}`);
  if (!existsSync(envFile)) throw new PackagingError(`${envFile} does not exist: create it, or choose another --env.`);
  const userFile = `${envFile}.user`;
  return {
    ...parseEnv(readFileSync(envFile, 'utf8')),
    ...(existsSync(userFile) ? parseEnv(readFileSync(userFile, 'utf8')) : {}),
  };
}

/** An empty value counts as missing: an app id or domain left blank (not provisioned yet) makes a broken app. */
function fillPlaceholders(text: string, values: Record<string, string | undefined>, envDir: string, env: string): string {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = values[name];
    if (!value) missing.add(name);
    return value ?? placeholder;
  });
  if (missing.size > 0) {
    throw new PackagingError(
      `No value for ${[...missing].join(', ')} in ${join(envDir, `.env.${env}`)} (or its .user file). ` +
        `Provision the environment first (atk provision --env ${env}), or set them there.`,
    );
  }
  return filled;
}
