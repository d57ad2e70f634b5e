/**
 * Just enough of Microsoft Graph: GET a collection with an app-only bearer token, following
 * @odata.nextLink page by page. Failures become GraphError, carrying the status and Retry-After so the
 * caller can decide when to try again.
 */
import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { retryAfterSeconds } from '../retryAfter.js';

/** No single Graph request may hold a reconciliation up longer than this. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A runaway nextLink chain (or a tenant far beyond any meeting's size) stops here. */
const MAX_PAGES = 200;

const collectionPageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
});

export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    message: string,
    /** The HTTP status, when Graph answered at all. */
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export class GraphClient {
  private readonly scope: string;

  constructor(
    private readonly baseUrl: string,
    private readonly credential: TokenCredential,
  ) {
    // App-only tokens ask for the API's ".default" scope: whatever application permissions were consented.
    this.scope = `${new URL(baseUrl).origin}/.default`;
  }

  /** Every item of a collection, e.g. getAll('/communications/callRecords', { $filter: '…' }). */
  async getAll(path: string, query: Record<string, string>, signal: AbortSignal): Promise<unknown[]> {
    // Spaces as %20, not URLSearchParams' "+", which OData does not promise to read as a space.
    const search = Object.entries(query).map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
    const url = new URL(`${this.baseUrl}${path}${search.length > 0 ? `?${search.join('&')}` : ''}`);
    const items: unknown[] = [];
    let next: string | undefined = url.toString();
    for (let page = 0; next; page += 1) {
      if (page === MAX_PAGES) throw new GraphError(`Graph returned more than ${MAX_PAGES} pages for ${path}`);
      const parsed = collectionPageSchema.safeParse(await this.getJson(next, signal));
      if (!parsed.success) throw new GraphError(`Graph answered ${path} with something other than a collection`);
      items.push(...parsed.data.value);
      next = parsed.data['@odata.nextLink'];
      // The token goes to Graph only, never to wherever a link may point.
      if (next && new URL(next).origin !== url.origin) throw new GraphError(`Graph's next page link leaves ${url.origin}`);
    }
    return items;
  }

  private async getJson(url: string, signal: AbortSignal): Promise<unknown> {
    const token = await this.credential.getToken(this.scope, { abortSignal: signal });
    if (!token) throw new GraphError('no access token for Microsoft Graph');
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token.token}`, accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new GraphError(
        `Graph answered ${response.status}${describeError(text)}`,
        response.status,
        retryAfterSeconds(response.headers.get('retry-after'), new Date()),
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GraphError(`Graph answered ${response.status} with a body that is not JSON`, response.status);
    }
  }
}

/** Graph's `{ error: { code, message } }`, as " (code: message)" for the logs. */
function describeError(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return error ? ` (${String(error.code)}: ${String(error.message)})` : '';
  } catch {
    return '';
  }
}
