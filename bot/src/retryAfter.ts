/**
 * Reading a `Retry-After` header (RFC 9110 §10.2.3), one reader for every service we call: Teams' connector,
 * Microsoft Graph and webhook receivers. It is delay-seconds or an HTTP date; Microsoft's services also send
 * fractional seconds ("2.128", Graph's throttling example), so those are read too. Anything else (negative,
 * empty, garbage, a partial date) is undefined, so the caller keeps to its own backoff plan rather than
 * retrying at once: Date.parse alone reads far more than HTTP dates.
 */

/** Delay-seconds, whole ("120") or fractional ("2.128"). */
const DELAY_SECONDS = /^\d+(\.\d+)?$/;
/** RFC 9110's HTTP-date: IMF-fixdate, or the obsolete RFC 850 and asctime forms recipients must still accept. */
const HTTP_DATE = [
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/** The wait the header asks for, in seconds (a date gone by asks for none), or undefined when it cannot be read. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (DELAY_SECONDS.test(value)) return Number(value);
  if (!HTTP_DATE.some((form) => form.test(value))) return undefined;
  // asctime carries no zone; HTTP dates are always GMT.
  const date = Date.parse(value.endsWith('GMT') ? value : `${value} GMT`);
  return Number.isFinite(date) ? Math.max(0, (date - now.getTime()) / 1000) : undefined;
}

/** The same wait in whole milliseconds, as the connector calls count it. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  const seconds = retryAfterSeconds(header, now);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}
