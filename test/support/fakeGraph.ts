/**
 * A stand-in for Microsoft Graph's call records on 127.0.0.1: `GET /v1.0/communications/callRecords`
 * (with the $filter Graph supports: startDateTime compared with lt/le/gt/ge, joined by "and"; anything
 * else is refused with 400 as Graph does) and `GET /v1.0/communications/callRecords/{id}/sessions`, both
 * paged with absolute @odata.nextLink URLs. Payloads are derived from Microsoft's published examples
 * (test/fixtures/graph, see its README for what is changed), in both shapes Graph has named people in:
 * `associatedIdentity` (today's) and `identity.user` (records made before 2026-06-30). Every request must
 * carry the bearer token of `credential`, or gets Graph's 401. Tests script when a record appears and
 * which requests fail, including Graph's published throttling answer (Retry-After: 2.128).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { graphFixture, graphHttpFixture, type PublishedHttpResponse } from './graphFixtures.js';
import { TENANT_ID, type TeamsPerson } from './people.js';

export interface FakeCallRecord {
  id: string;
  joinWebUrl: string;
  startDateTime: string;
  endDateTime: string;
  sessions: object[];
}

export interface GraphRequest {
  path: string;
  query: URLSearchParams;
  /** The query string as sent, before decoding. */
  rawQuery: string;
  /** Whether the request carried the expected bearer token. */
  authorized: boolean;
  /** When it arrived (epoch ms). */
  at: number;
}

interface ScriptedFailure {
  pathPart: string;
  remaining: number;
  /** Sent as it is: Graph's own answer, or a status with Graph's error shape. */
  response: PublishedHttpResponse;
}

const PUBLISHED_CALL_RECORD: object = graphFixture('list-callrecords.json').value[0];

/** Graph's throttling answer, word for word as its throttling page prints it. */
const PUBLISHED_THROTTLING = graphHttpFixture('throttled-429.http');

export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  /** Every scope a token was asked for. */
  readonly tokenScopes: string[] = [];
  /** Items per page, whatever the client prefers (small, to exercise paging). */
  pageSize = 2;
  /** Where @odata.nextLink points (this server by default; tests set another origin to check the token stays home). */
  nextLinkOrigin: string | undefined;
  private readonly token = `fake-graph-token-${randomUUID()}`;
  private readonly records: { record: FakeCallRecord; visibleFromListing: number }[] = [];
  private readonly failures: ScriptedFailure[] = [];

  private constructor(
    private readonly server: Server,
    private readonly origin: string,
  ) {}

  static async start(): Promise<FakeGraph> {
    let graph: FakeGraph | undefined;
    const server = createServer((req, res) => graph?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    graph = new FakeGraph(server, `http://127.0.0.1:${port}`);
    return graph;
  }

  /** What GRAPH_BASE_URL should be. */
  get baseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  /** The app's credential: hands out the one token this Graph accepts. */
  readonly credential: TokenCredential = {
    getToken: async (scopes): Promise<AccessToken> => {
      this.tokenScopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
      return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };

  /** A credential whose tokens this Graph does not accept. */
  readonly wrongCredential: TokenCredential = {
    getToken: async (): Promise<AccessToken> => ({ token: 'not-a-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };

  /** Adds a call record, there from the `fromListing`-th listing request on (1 = at once): call records appear late. */
  addCallRecord(record: FakeCallRecord, fromListing = 1): void {
    this.records.push({ record, visibleFromListing: fromListing });
  }

  /** Answers the next `count` requests whose path contains `pathPart` with `status` (and Retry-After, as written). */
  fail(pathPart: string, count: number, status: number, retryAfter?: number | string): void {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
    const body = JSON.stringify(errorBody(ERROR_CODES[status] ?? 'UnknownError', 'scripted failure'));
    this.failures.push({ pathPart, remaining: count, response: { status, headers, body } });
  }

  /** Answers the next `count` requests whose path contains `pathPart` with Graph's published 429 (Retry-After: 2.128). */
  throttleAsPublished(pathPart: string, count: number): void {
    this.failures.push({ pathPart, remaining: count, response: PUBLISHED_THROTTLING });
  }

  /** Requests for the first page of the call-record list, answered or failed (each one attempt to find a record). */
  listings(): GraphRequest[] {
    return this.requests.filter((request) => request.path === '/v1.0/communications/callRecords' && !request.query.has('$skiptoken'));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    const path = decodeURIComponent(url.pathname);
    const authorized = req.headers.authorization === `Bearer ${this.token}`;
    this.requests.push({ path, query: url.searchParams, rawQuery: url.search, authorized, at: Date.now() });
    if (!authorized) return sendError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    const failure = this.failures.find((candidate) => candidate.remaining > 0 && path.includes(candidate.pathPart));
    if (failure) {
      failure.remaining -= 1;
      res.writeHead(failure.response.status, failure.response.headers);
      res.end(failure.response.body);
      return;
    }
    if (req.method !== 'GET') return sendError(res, 405, 'MethodNotAllowed', `${req.method} is not supported`);
    if (path === '/v1.0/communications/callRecords') return this.listCallRecords(url, res);
    const sessions = /^\/v1\.0\/communications\/callRecords\/([^/]+)\/sessions$/.exec(path);
    if (sessions?.[1]) return this.listSessions(sessions[1], url, res);
    sendError(res, 404, 'ResourceNotFound', `fake Graph: no route for ${path}`);
  }

  private listCallRecords(url: URL, res: ServerResponse): void {
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const matches = startDateTimeFilter(url.searchParams.get('$filter'));
    if (!matches) return sendError(res, 400, 'BadRequest', 'Invalid filter clause: only startDateTime and participants_v2/id are supported');
    const visible = this.records
      .filter(({ record, visibleFromListing }) => this.isVisible(visibleFromListing) && matches(record.startDateTime))
      .map(({ record }) => callRecordResource(record));
    this.sendPage(res, url, visible, skip, 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords');
  }

  private listSessions(id: string, url: URL, res: ServerResponse): void {
    const found = this.records.find(({ record, visibleFromListing }) => record.id === id && this.isVisible(visibleFromListing));
    if (!found) return sendError(res, 404, 'NotFound', 'call record not found');
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    this.sendPage(res, url, found.record.sessions, skip, `https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('${id}')/sessions`);
  }

  private isVisible(fromListing: number): boolean {
    return this.listings().length >= fromListing;
  }

  private sendPage(res: ServerResponse, url: URL, items: readonly object[], skip: number, context: string): void {
    const page = items.slice(skip, skip + this.pageSize);
    const body: Record<string, unknown> = { '@odata.context': context, value: page };
    if (skip + page.length < items.length) {
      const next = new URL(`${url.pathname}${url.search}`, this.nextLinkOrigin ?? this.origin);
      next.searchParams.set('$skiptoken', String(skip + page.length));
      body['@odata.nextLink'] = next.toString();
    }
    sendJson(res, 200, body);
  }
}

/** Graph's error codes for the statuses tests script. */
const ERROR_CODES: Record<number, string> = {
  403: 'Authorization_RequestDenied',
  404: 'NotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/** A predicate for `startDateTime ge 2025-…Z and startDateTime lt 2025-…Z`, or undefined for anything Graph would refuse. */
function startDateTimeFilter(filter: string | null): ((startDateTime: string) => boolean) | undefined {
  if (filter === null) return () => true;
  const tests: ((millis: number) => boolean)[] = [];
  for (const clause of filter.split(/\s+and\s+/)) {
    const match = /^startDateTime (lt|le|gt|ge) (\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(clause.trim());
    if (!match) return undefined;
    const bound = Date.parse(match[2] ?? '');
    const operator = match[1];
    tests.push((millis) => (operator === 'lt' ? millis < bound : operator === 'le' ? millis <= bound : operator === 'gt' ? millis > bound : millis >= bound));
  }
  return (startDateTime) => tests.every((test) => test(Date.parse(startDateTime)));
}

/** A call record as Graph lists it: the published List callRecords example's first record, with our ids, times and join URL. */
function callRecordResource(record: FakeCallRecord): object {
  return {
    ...PUBLISHED_CALL_RECORD,
    id: record.id,
    lastModifiedDateTime: record.endDateTime,
    startDateTime: record.startDateTime,
    endDateTime: record.endDateTime,
    joinWebUrl: record.joinWebUrl,
    'organizer_v2@odata.context': `https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('${record.id}')/organizer_v2/$entity`,
  };
}

/** Graph's seven-digit fractions: 09:00:05.456Z → 09:00:05.4560000Z. */
export function graphTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}0000Z`);
}

/** Which field names the person in a stand-in session. */
export type IdentityShape = 'associatedIdentity' | 'identity';

/**
 * The published session of each shape: List sessions (v1.0, `identity.user`) and Get callRecord example 2
 * (v1.0, `associatedIdentity`). Stand-in sessions change only ids, times and who the caller is.
 */
const PUBLISHED_SESSION: Record<IdentityShape, object> = {
  identity: graphFixture('list-sessions.json').value[0],
  associatedIdentity: graphFixture('get-callrecord-expanded-sessions.json').sessions[0],
};

/**
 * In a meeting every session is a person's device with the conferencing server, whose endpoint names nobody.
 * The published examples are peer-to-peer calls (two people), so the callee becomes a serviceEndpoint as
 * Graph's serviceEndpoint and serviceUserAgent references describe it.
 */
const CONFERENCING_SERVER = {
  '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
  userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role: 'conferencing' },
};

/** How a caller is named in each shape. */
interface CallerNames {
  associatedIdentity: object;
  identity: object;
}

function session(caller: CallerNames, from: string, to: string, shape: IdentityShape): object {
  const published = structuredClone(PUBLISHED_SESSION[shape]) as { segments?: unknown; caller: object };
  // Listed without $expand, so without the published example's segments.
  delete published.segments;
  return {
    ...published,
    id: randomUUID(),
    startDateTime: graphTime(from),
    endDateTime: graphTime(to),
    caller: { ...published.caller, [shape]: caller[shape] },
    callee: CONFERENCING_SERVER,
  };
}

/** One person's device in the meeting, named in `shape` (today's `associatedIdentity` unless told). */
export function userSession(person: TeamsPerson, from: string, to: string, shape: IdentityShape = 'associatedIdentity'): object {
  const user = { id: person.aadObjectId, displayName: person.name, tenantId: TENANT_ID };
  return session(
    {
      associatedIdentity: { ...user, ...(person.email ? { userPrincipalName: person.email } : {}) },
      identity: { '@odata.type': '#microsoft.graph.identitySet', user },
    },
    from,
    to,
    shape,
  );
}

/**
 * An anonymous guest. The old identity set names them under `guest`; for `associatedIdentity` no example is
 * published, so the guest is written as Graph's communicationsGuestIdentity type (id and displayName only).
 */
export function guestSession(name: string, from: string, to: string, shape: IdentityShape = 'associatedIdentity'): object {
  const guest = { id: randomUUID(), displayName: name };
  return session(
    {
      associatedIdentity: { '@odata.type': '#microsoft.graph.communicationsGuestIdentity', ...guest },
      identity: { '@odata.type': '#microsoft.graph.identitySet', user: null, guest },
    },
    from,
    to,
    shape,
  );
}

/** A phone caller, numbered as in the published List callRecords example's phone organizer. */
export function phoneSession(from: string, to: string, shape: IdentityShape = 'associatedIdentity'): object {
  const phone = { id: '+5564981205182', displayName: null, tenantId: null };
  return session(
    {
      associatedIdentity: { '@odata.type': '#microsoft.graph.communicationsPhoneIdentity', ...phone },
      identity: { user: null, acsUser: null, spoolUser: null, phone },
    },
    from,
    to,
    shape,
  );
}

function errorBody(code: string, message: string): object {
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, errorBody(code, message));
}

/** Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
