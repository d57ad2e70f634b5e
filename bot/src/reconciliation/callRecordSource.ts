/**
 * Where reconciliation reads call records: Graph's `GET /communications/callRecords` (filtered by start
 * time) and `GET /communications/callRecords/{id}/sessions`, both with application permission
 * CallRecords.Read.All. The reconciler depends on the interface, so it can be tested without HTTP.
 */
import type { EndedSession } from '../attendance/reconciliation.js';
import { pickCallRecord, searchWindow } from './callRecordMatch.js';
import { parseCallRecords, parseCallSessions, type CallRecordSummary, type ParsedSessions } from './callRecordPayloads.js';
import type { GraphClient } from './graphClient.js';

export interface CallRecordSource {
  /** The meeting session's call record, or undefined while Graph does not have it (yet). */
  find(joinUrl: string, session: EndedSession, signal: AbortSignal): Promise<CallRecordSummary | undefined>;
  /** Who was in the call and when, one presence per person and session, and what the sessions held. */
  presences(callRecordId: string, signal: AbortSignal): Promise<ParsedSessions>;
}

export function graphCallRecords(graph: GraphClient): CallRecordSource {
  return {
    async find(joinUrl, session, signal) {
      const { from, to } = searchWindow(session);
      const items = await graph.getAll(
        '/communications/callRecords',
        { $filter: `startDateTime ge ${from} and startDateTime lt ${to}`, $select: 'id,joinWebUrl,startDateTime,endDateTime' },
        signal,
      );
      return pickCallRecord(parseCallRecords(items).items, joinUrl, session);
    },
    async presences(callRecordId, signal) {
      const items = await graph.getAll(`/communications/callRecords/${encodeURIComponent(callRecordId)}/sessions`, {}, signal);
      return parseCallSessions(items);
    },
  };
}
