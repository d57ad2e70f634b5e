/**
 * Teams activity fixtures, read from the shared folder beside the repo (../shared/fixtures), which is
 * where CI puts them too. Every call returns a fresh deep copy, so a test may mutate what it gets.
 */
import { readFileSync } from 'node:fs';

const FIXTURES_DIR = new URL('../../../shared/fixtures/', import.meta.url);

const texts = new Map<string, string>();

/** A fixture's parsed JSON: raw wire data, deliberately untyped so tests can reshape it. */
export function loadFixture(name: string): any {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  let text = texts.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(file, FIXTURES_DIR), 'utf8');
    texts.set(file, text);
  }
  return JSON.parse(text);
}
