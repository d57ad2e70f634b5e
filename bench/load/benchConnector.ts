/**
 * The Bot Framework connector the bot calls back, on 127.0.0.1, as cheap as possible: Teams' meeting details
 * (the fixture, as a Scheduled meeting so that no instant-meeting notice is posted and Teams' own events are
 * trusted rather than sampled) and an acknowledgement for anything posted. It counts calls per meeting, to
 * show that the bot fetches each meeting's details once and not per event. It can also play a Teams that is
 * down (`hang`: accepts the connection, never answers) or throttling (`throttle`: 429 with Retry-After: 2).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultMeetingInfo } from '../../test/support/fakeConnector.js';

export type ConnectorBehaviour = 'answer' | 'hang' | 'throttle';

/** What the throttling connector asks the bot to wait, in seconds (the measurement). */
export const THROTTLE_RETRY_AFTER_S = 2;

export class BenchConnector {
  meetingInfoCalls = 0;
  otherCalls = 0;
  /** Meeting-details calls per meeting id. */
  readonly meetingInfoCallsOf = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly behaviour: ConnectorBehaviour,
  ) {}

  static async start(behaviour: ConnectorBehaviour = 'answer'): Promise<BenchConnector> {
    let connector: BenchConnector | undefined;
    const server = createServer((req, res) => connector?.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connector = new BenchConnector(server, `http://127.0.0.1:${port}/`, behaviour);
    return connector;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.once('end', () => {
      const [version, collection, id, sub] = new URL(req.url ?? '/', this.url).pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (req.method === 'GET' && version === 'v1' && collection === 'meetings' && id && !sub) {
        this.meetingInfoCalls += 1;
        this.meetingInfoCallsOf.set(id, (this.meetingInfoCallsOf.get(id) ?? 0) + 1);
        if (this.behaviour === 'hang') return; // close() drops the connection
        if (this.behaviour === 'throttle') {
          res.setHeader('Retry-After', String(THROTTLE_RETRY_AFTER_S));
          return sendJson(res, 429, { error: { code: 'Throttled', message: 'bench connector: throttling' } });
        }
        const info = defaultMeetingInfo(id);
        info.details.type = 'Scheduled';
        return sendJson(res, 200, info);
      }
      this.otherCalls += 1;
      if (req.method === 'POST') return sendJson(res, 200, { id: `bench-${this.otherCalls}` });
      sendJson(res, 404, { error: { code: 'NotFound', message: 'bench connector: not scripted' } });
    });
  }
}

/** Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
