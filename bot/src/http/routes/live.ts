/**
 * GET /api/meetings/{meetingId}/live: the side panel's view of the meeting's latest run (attendance/liveView.ts)
 * and the server's clock, behind the same gate as the reports. The ETag hashes the view without the clock, so
 * it changes exactly when a recorded fact changes what this caller sees; time passing never changes it (the
 * panel ticks durations itself), and a poll that finds nothing new costs a 304 with no body.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'restify';
import { viewerRoleFor } from '../../attendance/access.js';
import { buildLiveView } from '../../attendance/liveView.js';
import { authoriseMeetingRead, type MeetingReadDeps } from './meetingAccess.js';

export interface LiveRouteDeps extends MeetingReadDeps {
  now: () => Date;
}

export function liveRoute(deps: LiveRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { caller, attendance, visibleRecords } = await authoriseMeetingRead(deps, req, 'live view');
    const view = buildLiveView(attendance.sessions.at(-1), attendance.meeting, {
      role: viewerRoleFor(caller, attendance.meeting, attendance.sessions),
      visibleRecords,
      ...(caller.kind === 'user' ? { participantKey: caller.objectId } : {}),
    });
    const etag = `"${createHash('sha256').update(JSON.stringify(view)).digest('base64url').slice(0, 32)}"`;
    // The answer depends on who asks: private, revalidated on every poll.
    const headers = { ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Authorization' };
    if (matchesAny(req.header('if-none-match'), etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.header(name, value);
    res.send(200, { serverTime: deps.now().toISOString(), ...view });
  };
}

/** RFC 9110 If-None-Match: a list of entity tags (weak ones compared weakly) or "*". */
function matchesAny(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
