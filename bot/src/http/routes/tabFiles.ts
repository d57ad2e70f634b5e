/**
 * GET /tab/*: the side panel and its configuration page (tab/dist, built by Vite), served by the same server
 * as the API so the tab calls it same-origin. Pages may be framed by Teams and Microsoft 365 hosts only.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'restify';
import { AppError } from '../../errors.js';

/** tab/dist at the repository root, from bot/src/http/routes (tsx) and bot/dist/http/routes (built) alike. */
const TAB_DIST_DIR = fileURLToPath(new URL('../../../../tab/dist/', import.meta.url));

/** The hosts Microsoft documents for tabs (Teams, Microsoft 365, Outlook; *.cloud.microsoft is where they move). */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
];

const TAB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Fluent UI (Griffel) inserts its style rules at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // teams-js refreshes its list of valid Teams origins from this CDN (and falls back to a built-in list).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Vite names everything under assets/ by content hash: a changed file is a new URL. */
const IMMUTABLE_PREFIX = `assets${sep}`;

const fileNotFound = () =>
  new AppError('NotFound', 404, 'No such file in the side panel. Open /tab/index.html (after `npm run build`, which builds it).');

export function tabFilesRoute() {
  const root = resolve(TAB_DIST_DIR);
  return async (req: Request, res: Response): Promise<void> => {
    const requested = requestedFile(req.url ?? '/');
    const path = resolve(root, requested ?? '');
    const contentType = CONTENT_TYPES[extname(path)];
    if (requested === undefined || !path.startsWith(root + sep) || !contentType) throw fileNotFound();
    const file = await stat(path).catch(() => undefined);
    if (!file?.isFile()) throw fileNotFound();
    // The build writes a gzip copy beside each text file (tab/build/precompress.ts).
    const gzipped = /\bgzip\b/.test(req.header('accept-encoding') ?? '') ? await stat(`${path}.gz`).catch(() => undefined) : undefined;
    res.writeHead(200, {
      'Content-Type': contentType,
      'Content-Length': gzipped?.size ?? file.size,
      ...(gzipped ? { 'Content-Encoding': 'gzip' } : {}),
      Vary: 'Accept-Encoding',
      'Cache-Control': path.slice(root.length + 1).startsWith(IMMUTABLE_PREFIX) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Security-Policy': TAB_CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
    // The file was just found; should reading it still fail, the status line is gone: end the response.
    createReadStream(gzipped ? `${path}.gz` : path)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/** The path below /tab/ ("" → index.html); undefined for a malformed escape. */
function requestedFile(url: string): string | undefined {
  const pathname = new URL(url, 'http://localhost').pathname.replace(/^\/tab\/?/, '');
  try {
    return decodeURIComponent(pathname) || 'index.html';
  } catch {
    return undefined;
  }
}
