/**
 * The Bot Framework connector the bot calls back (activity.serviceUrl), played on 127.0.0.1: Teams' meeting
 * details for the demo meeting, the chat members and who of them is in the meeting when the app is added, and
 * the messages the bot posts to the meeting chat, which are handed to `onMessage`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import type { DemoMeetingIds } from './activities.js';
import { DEMO_MEETING_TITLE, DEMO_TENANT_ID, ana, type DemoPerson } from './people.js';

export type ChatMessage = { text: string } | { card: string };

export class DemoConnector {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** `inMeetingAtInstall`: the chat members Teams reports as in the meeting when the app is added. */
  static async start(ids: DemoMeetingIds, inMeetingAtInstall: readonly DemoPerson[], onMessage: (message: ChatMessage) => void) {
    const server = createServer((req, res) => {
      answer(req, ids, inMeetingAtInstall, onMessage).then(
        ({ status, body }) => sendJson(res, status, body),
        (error: unknown) => sendJson(res, 500, { error: { code: 'DemoConnectorError', message: String(error) } }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new DemoConnector(server, `http://127.0.0.1:${port}/`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function answer(
  req: IncomingMessage,
  ids: DemoMeetingIds,
  inMeeting: readonly DemoPerson[],
  onMessage: (message: ChatMessage) => void,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const [version, collection, id, sub, subId] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const body = await text(req);
  if (req.method === 'GET' && version === 'v1' && collection === 'meetings' && id === ids.meetingId && !sub) {
    return { status: 200, body: meetingInfo(ids) };
  }
  if (req.method === 'GET' && version === 'v1' && sub === 'participants') {
    const person = inMeeting.find((candidate) => candidate.aadObjectId === subId);
    if (!person) return { status: 404, body: { error: { code: 'NotFound', message: 'not in the meeting' } } };
    return { status: 200, body: { user: userOf(person), meeting: { role: person.role, inMeeting: true } } };
  }
  if (req.method === 'GET' && version === 'v3' && sub === 'pagedmembers') {
    return { status: 200, body: { members: inMeeting.map(userOf) } };
  }
  if (req.method === 'POST' && version === 'v3' && collection === 'conversations' && sub === 'activities') {
    const activity = JSON.parse(body || '{}') as { text?: string; attachments?: { content?: { body?: { text?: string }[] } }[] };
    const card = activity.attachments?.[0]?.content?.body?.find((element) => element.text)?.text;
    onMessage(card ? { card } : { text: activity.text ?? '' });
    return { status: 200, body: { id: `demo-${Date.now()}` } };
  }
  return { status: 404, body: { error: { code: 'NotFound', message: `demo connector: no ${req.method} ${url.pathname}` } } };
}

function meetingInfo(ids: DemoMeetingIds): object {
  return {
    details: {
      id: ids.meetingId,
      msGraphResourceId: '',
      scheduledStartTime: null,
      scheduledEndTime: null,
      joinUrl: ids.joinUrl,
      title: DEMO_MEETING_TITLE,
      type: 'MeetNow',
    },
    conversation: { isGroup: true, conversationType: 'groupChat', id: ids.chatId },
    organizer: { id: ana.id, aadObjectId: ana.aadObjectId, objectId: ana.aadObjectId, tenantId: DEMO_TENANT_ID },
  };
}

function userOf(person: DemoPerson): object {
  return { id: person.id, name: person.name, aadObjectId: person.aadObjectId, tenantId: DEMO_TENANT_ID, userRole: 'user' };
}

/** Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
