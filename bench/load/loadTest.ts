/**
 * One autocannon run against POST /api/messages on 127.0.0.1, every request a distinct activity (the body
 * for request n is `bodyFor(n)`), bounded both in requests and in seconds.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  /** The server's base URL (http://127.0.0.1:port). */
  url: string;
  bodyFor: (index: number) => string;
  /** Requests to send; a run also ends after `maxSeconds`. */
  requests: number;
  maxSeconds: number;
  connections: number;
  /** Paced at this many requests per second over all connections (latencies corrected for coordinated omission); as fast as possible without. */
  ratePerSecond?: number;
}

export interface LoadResult {
  /** Bodies built (`bodyFor` calls): requests sent, plus any built but not sent when the run ended. */
  built: number;
  /** Responses received, whatever their status. */
  completed: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
  /** 2xx responses per second. */
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statusCodes: Record<string, number>;
}

export async function loadTest(options: LoadOptions): Promise<LoadResult> {
  if (!options.url.startsWith('http://127.0.0.1:')) throw new Error(`load only goes to 127.0.0.1, not ${options.url}`);
  let next = 0;
  const instance = autocannon({
    url: `${options.url}/api/messages`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: options.connections,
    // autocannon builds each connection's first request before sending: a few spare bodies, never a repeat.
    amount: options.requests,
    ...(options.ratePerSecond ? { overallRate: options.ratePerSecond } : {}),
    timeout: 10,
    requests: [{ setupRequest: (request) => ({ ...request, body: options.bodyFor(next++) }) }],
  });
  const deadline = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
  try {
    const result = await instance;
    const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
    return {
      built: next,
      completed: Object.values(statusCodes).reduce((sum, count) => sum + count, 0),
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      seconds: result.duration,
      okPerSecond: result['2xx'] / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      statusCodes,
    };
  } finally {
    clearTimeout(deadline);
  }
}
