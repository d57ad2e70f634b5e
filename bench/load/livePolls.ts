/**
 * Side panels polling GET …/live on 127.0.0.1: many viewers open-loop (each asks every `everyMs` whatever the
 * answers so far, with the ETag of its last 200, as the panel does; a latency runs from the moment the poll was
 * due, so a server that falls behind cannot hide it), and one caller as fast as it can (autocannon), for req/s.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { keepAliveAgent } from './keepAliveAgent.js';

export interface Viewer {
  /** The panel's URL path: /api/meetings/{id}/live. */
  path: string;
  authorization: string;
}

export interface PollResult {
  polls: number;
  ok: number;
  notModified: number;
  /** Other statuses, connection errors and timeouts. */
  failed: number;
  /** What each failure was (`status 500`, the error's code or message), and how often. */
  failures: Map<string, number>;
  /** Sorted ascending. */
  latenciesMs: number[];
}

/** `etags`: each viewer's last ETag (by index), kept from one call to the next as a panel keeps it between polls. */
export async function pollOpenLoop(options: {
  url: string;
  viewers: readonly Viewer[];
  everyMs: number;
  seconds: number;
  timeoutMs: number;
  etags: Map<number, string>;
}): Promise<PollResult> {
  assertLoopback(options.url);
  const agent = keepAliveAgent(options.viewers.length);
  const { etags } = options;
  const result: PollResult = { polls: 0, ok: 0, notModified: 0, failed: 0, failures: new Map(), latenciesMs: [] };
  const fail = (what: string) => {
    result.failed += 1;
    result.failures.set(what, (result.failures.get(what) ?? 0) + 1);
  };
  const poll = (viewerIndex: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const viewer = options.viewers[viewerIndex] as Viewer;
      const etag = etags.get(viewerIndex);
      result.polls += 1;
      const outgoing = request(
        new URL(viewer.path, options.url),
        { agent, timeout: options.timeoutMs, headers: { authorization: viewer.authorization, ...(etag ? { 'if-none-match': etag } : {}) } },
        (response) => {
          response.resume();
          response.once('end', () => {
            result.latenciesMs.push(performance.now() - dueAt);
            if (response.statusCode === 200) {
              result.ok += 1;
              const tag = response.headers.etag;
              if (tag) etags.set(viewerIndex, tag);
            } else if (response.statusCode === 304) result.notModified += 1;
            else fail(`status ${response.statusCode}`);
            resolve();
          });
        },
      );
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', (error: NodeJS.ErrnoException) => {
        fail(error.code ?? error.message);
        resolve();
      });
      outgoing.end();
    });

  // Every viewer's first poll spread over the first period, then one every period: an even, unsynchronised load.
  const schedule: { viewer: number; at: number }[] = [];
  const periods = Math.max(1, Math.round((options.seconds * 1000) / options.everyMs));
  for (let period = 0; period < periods; period += 1) {
    for (let viewer = 0; viewer < options.viewers.length; viewer += 1) {
      schedule.push({ viewer, at: period * options.everyMs + (viewer * options.everyMs) / options.viewers.length });
    }
  }
  schedule.sort((a, b) => a.at - b.at);
  const startedAt = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const { viewer, at } of schedule) {
    const dueAt = startedAt + at;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(poll(viewer, dueAt));
  }
  await Promise.all(inFlight);
  agent.destroy();
  result.latenciesMs.sort((a, b) => a - b);
  return result;
}

export interface ThroughputResult {
  perSecond: number;
  p99Ms: number;
  /** Requests answered with another status than expected, plus errors. */
  unexpected: number;
}

/** As many GETs as `connections` keep-alive connections carry in `seconds`, each expecting `status`. */
export async function pollThroughput(options: {
  url: string;
  path: string;
  headers: Record<string, string>;
  status: number;
  seconds: number;
  connections: number;
}): Promise<ThroughputResult> {
  assertLoopback(options.url);
  const result = await autocannon({
    url: `${options.url}${options.path}`,
    method: 'GET',
    headers: options.headers,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
  });
  const counts = Object.entries(result.statusCodeStats).map(([code, { count }]) => ({ expected: Number(code) === options.status, count }));
  const expected = counts.filter((entry) => entry.expected).reduce((sum, entry) => sum + entry.count, 0);
  const other = counts.filter((entry) => !entry.expected).reduce((sum, entry) => sum + entry.count, 0);
  return { perSecond: expected / result.duration, p99Ms: result.latency.p99, unexpected: other + result.errors };
}

function assertLoopback(url: string): void {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load only goes to 127.0.0.1, not ${url}`);
}

/** The value at `share` (0.99: p99) of latencies sorted ascending. */
export function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}
