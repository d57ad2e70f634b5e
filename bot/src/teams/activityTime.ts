/** The instant Teams stamped on an activity, normalised to ISO 8601 UTC with milliseconds. */
export function activityTimestamp(activity: { timestamp?: unknown; rawTimestamp?: unknown }): string | undefined {
  const raw = activity.rawTimestamp ?? activity.timestamp;
  if (!(typeof raw === 'string' || raw instanceof Date)) return undefined;
  const millis = raw instanceof Date ? raw.getTime() : Date.parse(raw);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}
