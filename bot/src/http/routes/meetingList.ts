/**
 * GET /api/meetings?since=&until=&organizer=&$top=: the meetings a sync job should look at, newest first (by when
 * the app first saw them), paged with @odata.nextLink. Applications with Attendance.Read.All see their tenant's
 * meetings (of one organizer, by object id or UPN, when asked); a user sees the meetings they organised. A ranged
 * read of the store's listing index, never a scan.
 */
import type { Request, Response } from 'restify';
import { tenantReadPermission, type Caller } from '../../attendance/access.js';
import { buildSessions } from '../../attendance/ledger.js';
import { meetingListItem } from '../../attendance/meetingListItem.js';
import { badRequest, forbidden } from '../../errors.js';
import { RECONCILE_WORK } from '../../reconciliation/reconciler.js';
import type { MeetingListQuery } from '../../store/store.js';
import { queryOption, sameRequestWith } from '../graph/graphQuery.js';
import type { MeetingReadDeps } from './meetingAccess.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
/** An ISO 8601 date-time with a zone, or a date alone (midnight UTC). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function meetingListRoute(deps: MeetingReadDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const caller = await deps.authenticate(req);
    const organizer = await organizerFilter(deps, req, caller);
    const query: MeetingListQuery = { tenantId: caller.tenantId, limit: pageSize(req), ...organizer };
    const since = instant(req, 'since');
    const until = instant(req, 'until');
    if (since) query.since = since;
    if (until) query.until = until;
    const cursor = queryOption(req, '$skiptoken');
    if (cursor !== undefined) query.cursor = Buffer.from(cursor, 'base64url').toString('utf8');
    const page = organizer === null ? { meetings: [] } : await deps.store.listMeetings(query);
    const value = await Promise.all(
      page.meetings.map(async (meeting) => {
        const [events, work] = await Promise.all([deps.store.readEvents(meeting), deps.store.getWork(meeting, RECONCILE_WORK)]);
        return meetingListItem(meeting, buildSessions(events), work !== undefined);
      }),
    );
    const next = page.cursor ? { '@odata.nextLink': sameRequestWith(req, { $skiptoken: Buffer.from(page.cursor, 'utf8').toString('base64url') }) } : {};
    res.send(200, { value, ...next });
  };
}

/**
 * Whose meetings: an application with the role names anyone (or no one: the whole tenant); a user only
 * themselves. Null when the named organizer is unknown to the app (nothing to list).
 */
async function organizerFilter(deps: MeetingReadDeps, req: Request, caller: Caller): Promise<{ organizerAadObjectId?: string } | null> {
  const named = queryOption(req, 'organizer')?.trim();
  if (caller.kind === 'app') {
    const permission = tenantReadPermission(caller);
    if (!permission.allowed) throw forbidden(permission.reason);
    if (!named) return {};
    const person = await deps.store.findPerson(caller.tenantId, named);
    if (person) return { organizerAadObjectId: person.id };
    return named.includes('@') ? null : { organizerAadObjectId: named.toLowerCase() };
  }
  if (named && named.toLowerCase() !== caller.objectId.toLowerCase()) {
    const person = await deps.store.findPerson(caller.tenantId, named);
    if (person?.id.toLowerCase() !== caller.objectId.toLowerCase()) throw forbidden('a user may list only the meetings they organised');
  }
  return { organizerAadObjectId: caller.objectId };
}

function instant(req: Request, name: string): string | undefined {
  const text = queryOption(req, name)?.trim();
  if (text === undefined || text === '') return undefined;
  const millis = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(millis)) throw badRequest(`${name} must be an ISO 8601 date-time with a zone, e.g. 2025-11-26T09:00:00Z.`);
  return new Date(millis).toISOString();
}

function pageSize(req: Request): number {
  const text = queryOption(req, '$top');
  if (text === undefined) return DEFAULT_PAGE;
  const top = Number(text);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) throw badRequest(`$top must be a whole number from 1 to ${MAX_PAGE}.`);
  return top;
}
