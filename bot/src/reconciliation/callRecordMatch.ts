/**
 * Which call record is a meeting session's. Graph can list call records by start time only (its $filter
 * supports startDateTime and participant ids, not joinWebUrl), so we list a window of starts and pick the
 * record with the meeting's join URL that overlaps the session most.
 */
import type { EndedSession } from '../attendance/reconciliation.js';
import type { CallRecordSummary } from './callRecordPayloads.js';

/** Teams' meetingStart and the call's first connection are the same moment, give or take delivery delays. */
const OBSERVED_START_SLACK_MS = 10 * 60_000;
/** When the app came in mid-meeting, the call began at an unknown earlier time: look back this far. */
const UNOBSERVED_START_LOOKBACK_MS = 12 * 3_600_000;

/** The call records whose start falls in [from, to) may be this session's. */
export function searchWindow(session: EndedSession): { from: string; to: string } {
  const lookback = session.startObserved ? OBSERVED_START_SLACK_MS : UNOBSERVED_START_LOOKBACK_MS;
  return {
    from: new Date(Date.parse(session.startedAt) - lookback).toISOString(),
    to: session.endedAt,
  };
}

export function pickCallRecord(records: readonly CallRecordSummary[], joinUrl: string, session: EndedSession): CallRecordSummary | undefined {
  let best: { record: CallRecordSummary; overlap: number } | undefined;
  for (const record of records) {
    if (!record.joinWebUrl || !sameMeetingUrl(record.joinWebUrl, joinUrl)) continue;
    const overlap =
      Math.min(Date.parse(record.endedAt ?? session.endedAt), Date.parse(session.endedAt)) -
      Math.max(Date.parse(record.startedAt), Date.parse(session.startedAt));
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { record, overlap };
  }
  return best?.record;
}

/**
 * Whether two join URLs open the same meeting. The path names the meeting's thread; clients encode it
 * differently (%3a or %3A) and vary the `context` query (tenant and organizer), so only host and decoded
 * path are compared. The thread id is case-sensitive, so the path is not lower-cased.
 */
export function sameMeetingUrl(a: string, b: string): boolean {
  const left = meetingLocation(a);
  return left !== undefined && left === meetingLocation(b);
}

function meetingLocation(joinUrl: string): string | undefined {
  if (!URL.canParse(joinUrl)) return undefined;
  const url = new URL(joinUrl);
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: compare the path as written.
  }
  return `${url.host}${path.replace(/\/+$/, '')}`;
}
