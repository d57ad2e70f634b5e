/** GET /api/meetings/{meetingId}/live with If-None-Match, and the clock skew between this browser and the server. */
import type { LiveView } from '../../../bot/src/attendance/liveView.js';
import { ApiProblem, problemFrom } from './problems';

export type LiveAnswer = LiveView & { serverTime: string };

type LiveFetch =
  | { kind: 'changed'; view: LiveAnswer; etag: string | null; skewMs: number }
  | { kind: 'unchanged' };

export async function fetchLive(meetingId: string, token: string, etag: string | null, signal: AbortSignal): Promise<LiveFetch> {
  const sentAt = Date.now();
  const response = await fetch(`/api/meetings/${encodeURIComponent(meetingId)}/live`, {
    headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) },
    // Our own If-None-Match, so the 304 reaches us rather than the browser's cache.
    cache: 'no-store',
    signal,
  }).catch((error: unknown) => {
    if (signal.aborted) throw error;
    throw new ApiProblem('unavailable', 'The Attendance service cannot be reached. Check your connection.');
  });
  if (response.status === 304) return { kind: 'unchanged' };
  if (!response.ok) throw await problemFrom(response);
  const view = (await response.json()) as LiveAnswer;
  // The server stamped serverTime about halfway through the round trip.
  const skewMs = Date.parse(view.serverTime) - (sentAt + Date.now()) / 2;
  return { kind: 'changed', view, etag: response.headers.get('etag'), skewMs };
}
