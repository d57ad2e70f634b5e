/**
 * The OData query options the Graph-compatible paths understand: `$filter` on an online meeting's join link or
 * join code, `$expand=attendanceRecords`, and `$top` / `$skiptoken` paging of records. Options Graph SDKs add
 * that change nothing we serve (`$select`, `$count`, `$orderby`, …) are ignored; a malformed value of one we
 * use is a 400 that says what to send instead, never a 500.
 */
import type { Request } from 'restify';
import { joinLinkAlias, type MeetingAlias } from '../../attendance/meetingIds.js';
import { badRequest } from '../../errors.js';

/** Graph's page size for attendance records, and the largest a caller may ask for. */
export const DEFAULT_TOP = 100;
const MAX_TOP = 999;

/**
 * `JoinWebUrl eq '…'` (the property name in any case) or `joinMeetingIdSettings/joinMeetingId eq '…'`; a quote
 * inside the value is doubled, as OData writes it.
 */
const FILTER = /^\s*(joinWebUrl|joinMeetingIdSettings\/joinMeetingId)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

/** A query option as one string: absent is undefined, repeated is refused. */
export function queryOption(req: Request, name: string): string | undefined {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`The query option ${name} must be given once, as text.`);
  return value;
}

/** The meeting alias a `$filter` asks for; undefined when the filter names something no meeting can match. */
export function filterAlias(filter: string): MeetingAlias | undefined {
  const match = FILTER.exec(filter);
  if (!match) {
    throw badRequest(
      "Unsupported $filter. Use JoinWebUrl eq '<the join link, URL-encoded>' or joinMeetingIdSettings/joinMeetingId eq '<the numeric join code>'.",
    );
  }
  const [, property, quoted] = match as unknown as [string, string, string];
  const value = quoted.replace(/''/g, "'");
  if (property.toLowerCase() === 'joinweburl') return joinLinkAlias(value);
  const code = value.trim();
  return /^\d{1,32}$/.test(code) ? { kind: 'joinMeetingId', value: code } : undefined;
}

/** Whether `$expand` asks for the report's records (the only navigation property we expand). */
export function expandsRecords(req: Request): boolean {
  const expand = queryOption(req, '$expand');
  if (expand === undefined) return false;
  const names = expand.split(',').map((name) => name.trim().replace(/\(.*\)$/, ''));
  const unknown = names.filter((name) => name.toLowerCase() !== 'attendancerecords');
  if (unknown.length > 0) throw badRequest(`Cannot $expand ${unknown.join(', ')}: only attendanceRecords can be expanded.`);
  return true;
}

export interface Paging {
  top: number;
  skip: number;
}

/** `$top` (default 100, at most 999) and where to start (`$skiptoken`, which our own nextLink carries). */
export function paging(req: Request): Paging {
  const topText = queryOption(req, '$top');
  const skipText = queryOption(req, '$skiptoken');
  const top = topText === undefined ? DEFAULT_TOP : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw badRequest(`$top must be a whole number from 1 to ${MAX_TOP}.`);
  const skip = skipText === undefined ? 0 : Number(skipText);
  if (!Number.isInteger(skip) || skip < 0) throw badRequest('$skiptoken is not one this server gave: follow @odata.nextLink as given.');
  return { top, skip };
}

/**
 * The absolute URL of this request on the host the client called, with `replace` applied to its query: what
 * @odata.nextLink must be for Graph SDKs' page iterators, which fetch it as given.
 */
export function sameRequestWith(req: Request, replace: Record<string, string>): string {
  const url = new URL(req.url ?? '/', originOf(req));
  for (const [name, value] of Object.entries(replace)) url.searchParams.set(name, value);
  return url.toString();
}

/** The scheme and host the client called (behind App Service's TLS front end, X-Forwarded-Proto says https). */
export function originOf(req: Request): string {
  const forwardedProto = req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : 'http';
  return `${protocol}://${req.header('host') || 'localhost'}`;
}
