/**
 * GET /api/meetings/{meetingId}/live: the side panel's view of the meeting's latest run (attendance/liveView.ts)
 * and the server's clock, behind the same gate as the reports. The ETag changes exactly when a recorded fact
 * changes what this caller sees; time passing never changes it (the panel ticks durations itself), and a poll
 * that finds nothing new costs a 304 with no body.
 *
 * What a poll costs does not grow with the meeting (docs/live-state.md): the meeting comes from memory
 * (meetings/materialisedStore.ts); a caller who sees only their own row gets a view of one row, looked up; for a
 * caller who sees everyone, the ETag comes from the digest of the meeting's events, its record and who asks, so
 * a 304 is decided without building the view, and a view built once is sent to every poll asking the same.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'restify';
import { viewerRoleIn } from '../../attendance/access.js';
import { buildLiveView, type LiveView, type LiveViewer } from '../../attendance/liveView.js';
import type { MeetingAttendance } from '../../meetings/meetingAttendance.js';
import { authoriseMeetingRead, type MeetingReadDeps } from './meetingAccess.js';

export interface LiveRouteDeps extends MeetingReadDeps {
  now: () => Date;
}

/** Views of everyone kept ready, each as JSON, by ETag: an organizer's poll of a large meeting is then one lookup. */
const READY_VIEWS = 32;

export function liveRoute(deps: LiveRouteDeps) {
  const readyViews = new Map<string, Buffer>();

  return async (req: Request, res: Response): Promise<void> => {
    const { caller, attendance, visibleRecords } = await authoriseMeetingRead(deps, req, 'live view');
    const viewer: LiveViewer = {
      role: viewerRoleIn(caller, attendance.meeting, attendance.ledger.participation()),
      visibleRecords,
      ...(caller.kind === 'user' ? { participantKey: caller.objectId } : {}),
    };
    // A view of one row costs nothing to build: its ETag hashes it, as it always did. A view of everyone's
    // ETag comes from what it is built from, so that a 304 needs no view.
    const ownView = visibleRecords === 'all' ? undefined : JSON.stringify(viewOfOwnRow(attendance, viewer, visibleRecords));
    const etag = tagOf(ownView ?? basisOfEveryonesView(attendance, viewer));
    // The answer depends on who asks: private, revalidated on every poll.
    const headers = { ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Authorization' };
    if (matchesAny(req.header('if-none-match'), etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    // What res.send would write for { serverTime, ...view }: one string for a row, ready bytes for everyone.
    const start = `{"serverTime":${JSON.stringify(deps.now().toISOString())}`;
    const contentType = 'application/json';
    if (ownView) {
      const body = start + afterServerTime(ownView);
      res.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    let rest = readyViews.get(etag);
    if (rest === undefined) {
      rest = Buffer.from(afterServerTime(JSON.stringify(buildLiveView(attendance.sessions.at(-1), attendance.meeting, viewer))));
      readyViews.set(etag, rest);
      if (readyViews.size > READY_VIEWS) readyViews.delete(readyViews.keys().next().value as string);
    }
    res.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(start) + rest.length });
    res.write(start);
    res.end(rest);
  };
}

/** The view of a caller who may see one record: the latest run with only that row (one lookup, not a scan). */
function viewOfOwnRow(attendance: MeetingAttendance, viewer: LiveViewer, recordId: string): LiveView {
  const latest = attendance.sessions.at(-1);
  const own = attendance.ledger.latestEntry(recordId);
  return buildLiveView(latest && { ...latest, participants: own ? [own] : [] }, attendance.meeting, viewer);
}

/** Everything a view of everyone is made of: the events (their digest), the record's fields it shows, and who asks. */
function basisOfEveryonesView(attendance: MeetingAttendance, viewer: LiveViewer): string {
  const { meeting } = attendance;
  return JSON.stringify([
    attendance.ledger.digest,
    meeting?.title,
    meeting?.meetingType,
    meeting?.trackingSince,
    viewer.role,
    viewer.participantKey,
  ]);
}

/** A view's JSON as it follows the server time in the answer: `,"meeting":…}`. */
function afterServerTime(viewJson: string): string {
  return viewJson === '{}' ? '}' : `,${viewJson.slice(1)}`;
}

function tagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

/** RFC 9110 If-None-Match: a list of entity tags (weak ones compared weakly) or "*". */
function matchesAny(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
