/**
 * Polls the live view every 2 s (a 304 when nothing changed), backing off while the service is unreachable,
 * and keeps showing the last good view (marked stale) through passing failures.
 */
import { useCallback, useEffect, useState } from 'react';
import { fetchLive, type LiveAnswer } from '../api/live';
import { ApiProblem, asProblem } from '../api/problems';

const POLL_MS = 2000;
/** Not added yet, or not allowed yet (an attendee before joining): both can change, so keep asking, calmly. */
const WAITING_POLL_MS = 5000;
const MAX_BACKOFF_MS = 30_000;

export type LiveState =
  | { kind: 'loading' }
  | { kind: 'ready'; view: LiveAnswer; skewMs: number; stale?: ApiProblem }
  | { kind: 'failed'; problem: ApiProblem };

export function useLiveMeeting(meetingId: string, getToken: () => Promise<string>): { state: LiveState; retry: () => void } {
  const [state, setState] = useState<LiveState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let etag: string | null = null;
    let failures = 0;

    const poll = async (): Promise<void> => {
      if (document.hidden) return schedule(POLL_MS);
      try {
        const token = await getToken().catch((error: unknown) => {
          throw new ApiProblem('signIn', `Teams could not sign you in to Attendance (${describe(error)}).`);
        });
        const result = await fetchLive(meetingId, token, etag, controller.signal);
        failures = 0;
        if (result.kind === 'changed') {
          etag = result.etag;
          setState({ kind: 'ready', view: result.view, skewMs: result.skewMs });
        } else {
          setState((current) => (current.kind === 'ready' && current.stale ? { ...current, stale: undefined } : current));
        }
        schedule(POLL_MS);
      } catch (error) {
        if (controller.signal.aborted) return;
        const problem = asProblem(error);
        failures += 1;
        setState((current) =>
          current.kind === 'ready' && problem.kind === 'unavailable' ? { ...current, stale: problem } : { kind: 'failed', problem },
        );
        schedule(problem.kind === 'unavailable' ? Math.min(POLL_MS * 2 ** failures, MAX_BACKOFF_MS) : WAITING_POLL_MS);
      }
    };
    const schedule = (delayMs: number): void => {
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), delayMs);
    };

    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [meetingId, getToken, attempt]);

  const retry = useCallback(() => {
    setState((current) => (current.kind === 'failed' ? { kind: 'loading' } : current));
    setAttempt((count) => count + 1);
  }, []);
  return { state, retry };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
