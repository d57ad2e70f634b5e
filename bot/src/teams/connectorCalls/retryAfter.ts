/**
 * Reading a `Retry-After` header (RFC 9110 §10.2.3): a number of seconds or an HTTP date. Microsoft's
 * services also send fractional seconds ("2.128", seen from Graph), so those are read too. An unreadable
 * value (negative, empty, garbage) gives undefined: the caller falls back to its own backoff plan.
 */

/** The wait the header asks for, in milliseconds, or undefined when it cannot be read. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a real HTTP date: Date.parse also takes bare numbers and odd strings, which must not count.
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
