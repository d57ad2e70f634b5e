/** An ISO 8601 date-time with a zone, as Teams sends (`2025-11-26T09:00:05.4560000Z`); `Date.parse` alone accepts "12". */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant Teams stamped on an activity, normalised to ISO 8601 UTC with milliseconds. */
export function activityTimestamp(activity: { timestamp?: unknown; rawTimestamp?: unknown }): string | undefined {
  const raw = activity.rawTimestamp ?? activity.timestamp;
  if (typeof raw === 'string' && !ISO_DATE_TIME.test(raw)) return undefined;
  if (!(typeof raw === 'string' || raw instanceof Date)) return undefined;
  const millis = raw instanceof Date ? raw.getTime() : Date.parse(raw);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}
