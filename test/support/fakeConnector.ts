/**
 * A real HTTP server on 127.0.0.1 that plays the Bot Framework connector for Teams: meeting details,
 * one participant's state, the chat's members (paged), and the messages the bot posts. Each test scripts
 * what Teams would answer; every request and every posted activity is recorded for assertions.
 * Its `url` goes into each activity's `serviceUrl` (botbuilder in local mode calls it without a token).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { loadFixture } from './fixtures.js';
import { TENANT_ID, type TeamsPerson } from './people.js';

/**
 * What `GET /v1/meetings/{id}` answers: a body, an HTTP failure (with a Retry-After header when given, as
 * Teams throttles: `{ status: 429, retryAfter: '2' }`), or no answer at all.
 */
export type MeetingInfoScript = { body: object } | { status: number; retryAfter?: string } | 'hang';

export interface RosterEntry {
  person: TeamsPerson;
  inMeeting: boolean;
}

export interface PostedActivity {
  conversationId: string;
  /** Present when the bot replied to an activity (`POST …/activities/{replyToId}`). */
  replyToId?: string;
  body: any;
}

export interface ConnectorRequest {
  method: string;
  /** The decoded path without the query string. */
  path: string;
  query: URLSearchParams;
}

export class FakeConnector {
  readonly requests: ConnectorRequest[] = [];
  readonly activities: PostedActivity[] = [];
  /** How many chat members one pagedmembers page holds, whatever the bot asks for (small, to exercise paging). */
  membersPageSize = 2;
  /** While true, posted activities get no answer (and are not recorded as posted): a connector that hangs. */
  postsHang = false;
  private readonly meetingInfo = new Map<string, MeetingInfoScript>();
  private readonly rosters = new Map<string, RosterEntry[]>();
  private readonly chatMembers = new Map<string, TeamsPerson[]>();
  private readonly waiters = new Set<() => void>();
  private nextActivityId = 1;
  private scriptedFailure: { pathPart: string; remaining: number; status: number; retryAfterSeconds?: number } | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    let connector: FakeConnector | undefined;
    const server = createServer((req, res) => {
      connector?.handle(req, res).catch((error: unknown) => {
        sendJson(res, 500, { error: { code: 'FakeConnectorError', message: String(error) } });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connector = new FakeConnector(server, `http://127.0.0.1:${port}/`);
    return connector;
  }

  /** Scripts the meeting details answer; unscripted meetings get the fixture meeting-info.json (with their id). */
  scriptMeetingInfo(meetingId: string, script: MeetingInfoScript): void {
    this.meetingInfo.set(meetingId, script);
  }

  /** Who Teams says is in the meeting now, with which role; anyone else is unknown (404). */
  scriptRoster(meetingId: string, roster: RosterEntry[]): void {
    this.rosters.set(meetingId, roster);
  }

  /** The members of a chat (conversation), served page by page. */
  scriptChatMembers(conversationId: string, members: TeamsPerson[]): void {
    this.chatMembers.set(conversationId, members);
  }

  /** Answers the next `count` requests whose path contains `pathPart` with 429 and a Retry-After header. */
  throttle(pathPart: string, count: number, retryAfterSeconds: number): void {
    this.scriptedFailure = { pathPart, remaining: count, status: 429, retryAfterSeconds };
  }

  /** Answers the next `count` requests whose path contains `pathPart` with this error status. */
  fail(pathPart: string, count: number, status: number): void {
    this.scriptedFailure = { pathPart, remaining: count, status };
  }

  requestsTo(pathPrefix: string): ConnectorRequest[] {
    return this.requests.filter((request) => request.path.startsWith(pathPrefix));
  }

  meetingInfoRequests(meetingId: string): ConnectorRequest[] {
    return this.requests.filter((request) => request.method === 'GET' && request.path === `/v1/meetings/${meetingId}`);
  }

  activitiesIn(conversationId: string): PostedActivity[] {
    return this.activities.filter((activity) => activity.conversationId === conversationId);
  }

  /** Resolves with the first posted activity (already posted or still to come) that matches. */
  async waitForActivity(predicate: (activity: PostedActivity) => boolean, timeoutMs = 10_000): Promise<PostedActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.activities.find(predicate);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching activity was posted within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, remaining);
        this.waiters.add(done);
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsedUrl = new URL(req.url ?? '/', this.url);
    const segments = parsedUrl.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const path = `/${segments.join('/')}`;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, query: parsedUrl.searchParams });
    const body = await text(req);
    const failure = this.scriptedFailure;
    if (failure && failure.remaining > 0 && path.includes(failure.pathPart)) {
      failure.remaining -= 1;
      const retryAfter = failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) };
      res.writeHead(failure.status, { 'Content-Type': 'application/json', ...retryAfter });
      res.end(JSON.stringify({ error: { code: `Status${failure.status}`, message: 'scripted failure' } }));
      return;
    }

    const [version, collection, id, sub, subId, extra] = segments;
    if (method === 'GET' && version === 'v1' && collection === 'meetings' && id && !sub) {
      return this.answerMeetingInfo(id, res);
    }
    if (method === 'GET' && version === 'v1' && collection === 'meetings' && id && sub === 'participants' && subId && !extra) {
      return this.answerParticipant(id, subId, parsedUrl.searchParams.get('tenantId'), res);
    }
    if (method === 'GET' && version === 'v3' && collection === 'conversations' && id && sub === 'pagedmembers') {
      return this.answerPagedMembers(id, parsedUrl.searchParams.get('continuationToken'), res);
    }
    if (method === 'POST' && version === 'v3' && collection === 'conversations' && id && sub === 'activities' && !extra) {
      if (this.postsHang) return; // never answered; close() drops the connection
      const posted: PostedActivity = { conversationId: id, body: JSON.parse(body || '{}') };
      if (subId) posted.replyToId = subId;
      this.activities.push(posted);
      for (const wake of [...this.waiters]) wake();
      return sendJson(res, 200, { id: `posted-${this.nextActivityId++}` });
    }
    sendJson(res, 404, { error: { code: 'NotFound', message: `fake connector: no route for ${method} ${path}` } });
  }

  private answerMeetingInfo(meetingId: string, res: ServerResponse): void {
    const script = this.meetingInfo.get(meetingId) ?? { body: defaultMeetingInfo(meetingId) };
    if (script === 'hang') return; // never answered; close() drops the connection
    if ('status' in script) {
      if (script.retryAfter !== undefined) res.setHeader('Retry-After', script.retryAfter);
      return sendJson(res, script.status, { error: { code: 'ServiceError', message: 'scripted failure' } });
    }
    sendJson(res, 200, script.body);
  }

  private answerParticipant(meetingId: string, participantId: string, tenantId: string | null, res: ServerResponse): void {
    const entry = (this.rosters.get(meetingId) ?? []).find((candidate) => candidate.person.aadObjectId === participantId);
    if (!entry || tenantId !== TENANT_ID) {
      return sendJson(res, 404, { error: { code: 'NotFound', message: 'participant not found' } });
    }
    const answer = loadFixture('meeting-participant.json');
    answer.user = {
      id: entry.person.id,
      name: entry.person.name,
      aadObjectId: entry.person.aadObjectId,
      email: entry.person.email,
      userPrincipalName: entry.person.email,
      tenantId: TENANT_ID,
      userRole: 'user',
    };
    answer.meeting = { role: entry.person.role, inMeeting: entry.inMeeting };
    sendJson(res, 200, answer);
  }

  private answerPagedMembers(conversationId: string, continuationToken: string | null, res: ServerResponse): void {
    const members = this.chatMembers.get(conversationId) ?? [];
    const start = continuationToken ? Number(continuationToken) : 0;
    const page = members.slice(start, start + this.membersPageSize);
    const next = start + page.length;
    sendJson(res, 200, {
      ...(next < members.length ? { continuationToken: String(next) } : {}),
      members: page.map((person) => ({
        id: person.id,
        name: person.name,
        ...(person.aadObjectId ? { aadObjectId: person.aadObjectId, tenantId: TENANT_ID, userRole: 'user' } : {}),
        ...(person.email ? { email: person.email, userPrincipalName: person.email } : {}),
      })),
    });
  }
}

/** The fixture's meeting details, for the given meeting id. */
export function defaultMeetingInfo(meetingId: string): any {
  const info = loadFixture('meeting-info.json');
  info.details.id = meetingId;
  return info;
}

/** Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
