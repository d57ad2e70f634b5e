/**
 * A stand-in for Microsoft Graph's call records on 127.0.0.1: `GET /v1.0/communications/callRecords`
 * (with the $filter Graph supports: startDateTime compared with lt/le/gt/ge, joined by "and"; anything
 * else is refused with 400 as Graph does) and `GET /v1.0/communications/callRecords/{id}/sessions`, both
 * paged with absolute @odata.nextLink URLs. Payloads follow the documented examples. Every request must
 * carry the bearer token of `credential`, or gets Graph's 401. Tests script when a record appears and
 * which requests fail.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
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
  status: number;
  retryAfterSeconds?: number;
}

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

  /** Answers the next `count` requests whose path contains `pathPart` with `status` (and Retry-After). */
  fail(pathPart: string, count: number, status: number, retryAfterSeconds?: number): void {
    this.failures.push({ pathPart, remaining: count, status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
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
      const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) };
      return sendError(res, failure.status, ERROR_CODES[failure.status] ?? 'UnknownError', 'scripted failure', headers);
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

/** A call record as Graph lists it (the documented example's fields). */
function callRecordResource(record: FakeCallRecord): object {
  return {
    id: record.id,
    version: 2,
    type: 'groupCall',
    modalities: ['audio', 'video'],
    lastModifiedDateTime: record.endDateTime,
    startDateTime: record.startDateTime,
    endDateTime: record.endDateTime,
    joinWebUrl: record.joinWebUrl,
    organizer_v2: { id: 'organizer', identity: { user: { id: 'organizer', displayName: 'Organizer', tenantId: TENANT_ID } } },
  };
}

/** Graph's seven-digit fractions: 09:00:05.456Z → 09:00:05.4560000Z. */
export function graphTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}0000Z`);
}

/** A session of one person with the conferencing server, as in Graph's examples (the server endpoint has no identity). */
export function userSession(person: TeamsPerson, from: string, to: string, modality = 'audio'): object {
  return {
    id: randomUUID(),
    modalities: [modality],
    startDateTime: graphTime(from),
    endDateTime: graphTime(to),
    isTest: false,
    caller: {
      '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
      name: 'machineName_1',
      userAgent: { '@odata.type': '#microsoft.graph.callRecords.clientUserAgent', platform: 'windows', productFamily: 'teams' },
      identity: {
        '@odata.type': '#microsoft.graph.identitySet',
        user: { id: person.aadObjectId, displayName: person.name, tenantId: TENANT_ID },
      },
    },
    callee: {
      '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
      userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role: 'conferencing' },
    },
  };
}

/** A session of an anonymous guest: an identity set with `guest`, no `user`. */
export function guestSession(name: string, from: string, to: string): object {
  const session = userSession({ id: '', name, role: 'Attendee' }, from, to) as { caller: { identity: object } };
  session.caller.identity = { '@odata.type': '#microsoft.graph.identitySet', user: null, guest: { id: randomUUID(), displayName: name } };
  return session;
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } }, headers);
}

/** Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing. */
function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
