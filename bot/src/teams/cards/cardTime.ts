/**
 * Times in cards use Adaptive Cards' {{DATE()}} / {{TIME()}} functions, which every Teams client renders
 * in its own locale and time zone. They take RFC 3339 without fractional seconds.
 */
function rfc3339Seconds(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

export function cardTime(iso: string): string {
  return `{{TIME(${rfc3339Seconds(iso)})}}`;
}

export function cardDateTime(iso: string): string {
  return `{{DATE(${rfc3339Seconds(iso)}, SHORT)}} ${cardTime(iso)}`;
}
