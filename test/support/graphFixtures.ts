/**
 * Microsoft's published Graph examples, stored verbatim in test/fixtures/graph (sources and commits in its
 * README). The contract tests parse them as they are; the fake Graph derives its answers from them.
 */
import { readFileSync } from 'node:fs';

const FIXTURES_DIR = new URL('../fixtures/graph/', import.meta.url);

export function graphFixture(name: string): any {
  return JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8'));
}

export interface PublishedHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A published HTTP response as the docs print it: status line, headers, a blank line, the body. */
export function graphHttpFixture(name: string): PublishedHttpResponse {
  const text = readFileSync(new URL(name, FIXTURES_DIR), 'utf8');
  const [head = '', ...rest] = text.split(/\r?\n\r?\n/);
  const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`${name}: no HTTP status line`);
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
  return { status, headers, body: rest.join('\n\n') };
}
