/**
 * A fresh server's warm-up before a measured storm: joins of new people to a few other meetings, as fast as 10
 * connections go, for some seconds, so the storm measures a server whose join path has run, not one starting.
 */
import { MeetingActivities } from './activities.js';
import { loadTest } from './loadTest.js';

export const WARMUP_MEETINGS = 10;

/** `firstAt`: the Teams timestamp of the first join (each next one a millisecond later). */
export async function warmUpWithJoins(options: { url: string; connectorUrl: string; seconds: number; firstAt: number }): Promise<void> {
  const warmup = new MeetingActivities(WARMUP_MEETINGS, options.connectorUrl);
  await loadTest({
    url: options.url,
    bodyFor: (index) =>
      warmup.body({ meeting: index % WARMUP_MEETINGS, person: Math.floor(index / WARMUP_MEETINGS), action: 'join', at: options.firstAt + index }),
    requests: 100_000,
    maxSeconds: options.seconds,
    connections: 10,
  });
}
