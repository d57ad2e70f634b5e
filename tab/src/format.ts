/** How the panel writes times and durations: "09:02", "16m 49s" (the same durations as the report and cards). */
export { formatDuration } from '../../bot/src/attendance/duration.js';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** The wall-clock time of an instant, in the viewer's time zone. */
export function clockTime(iso: string): string {
  return clock.format(new Date(iso));
}
