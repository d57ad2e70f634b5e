/** Where the browser tests put screenshots: test-artifacts/ (git-ignored), and the README's one under docs/. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ARTIFACTS_DIR = new URL('../../../test-artifacts/', import.meta.url);
const DOCS_DIR = new URL('../../../docs/', import.meta.url);

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return fileURLToPath(new URL(name, ARTIFACTS_DIR));
}

/** The README's screenshot (docs/side-panel.png, committed). */
export function docsPath(name: string): string {
  mkdirSync(DOCS_DIR, { recursive: true });
  return fileURLToPath(new URL(name, DOCS_DIR));
}
