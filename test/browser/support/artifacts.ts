/** Where the browser tests put screenshots: test-artifacts/ (git-ignored), and the README's one under docs/ when asked. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ARTIFACTS_DIR = new URL('../../../test-artifacts/', import.meta.url);
const DOCS_DIR = new URL('../../../docs/', import.meta.url);

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return fileURLToPath(new URL(name, ARTIFACTS_DIR));
}

/**
 * The README's screenshot: docs/ (committed) when UPDATE_DOCS_SCREENSHOT=1 asks for a new one, else test-artifacts/,
 * so that a run of the tests leaves the working tree as it was.
 */
export function docsScreenshotPath(name: string): string {
  if (process.env.UPDATE_DOCS_SCREENSHOT !== '1') return artifactPath(name);
  mkdirSync(DOCS_DIR, { recursive: true });
  return fileURLToPath(new URL(name, DOCS_DIR));
}
