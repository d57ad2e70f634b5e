/**
 * An open-loop load: request n leaves at start + n / rate whatever the answers so far, as Teams delivers
 * events when they happen, over a pool of keep-alive connections. Each latency runs from the moment the
 * request was due to its last response byte, so a server that falls behind cannot hide it (no coordinated
 * omission). autocannon paces differently: each connection sends its share of a second in a burst at the
 * start of that second, which is a storm of its own.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { median } from '../figures.js';
import { keepAliveAgent } from './keepAliveAgent.js';

export interface PacedOptions {
  url: string;
  bodyFor: (index: number) => string;
  requests: number;
  ratePerSecond: number;
  connections: number;
  timeoutMs: number;
}

export interface PacedResult {
  ok: number;
  non2xx: number;
  errors: number;
  /** From the first request due to the last answer. */
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  if (!options.url.startsWith('http://127.0.0.1:')) throw new Error(`load only goes to 127.0.0.1, not ${options.url}`);
  const target = new URL('/api/messages', options.url);
  const agent = keepAliveAgent(options.connections);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const send = (body: string, dueAt: number) =>
    new Promise<void>((resolve) => {
      const outgoing = request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: options.timeoutMs },
        (response) => {
          response.resume();
          response.once('end', () => {
            latencies.push(performance.now() - dueAt);
            if ((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300) ok += 1;
            else non2xx += 1;
            resolve();
          });
        },
      );
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', () => {
        errors += 1;
        resolve();
      });
      outgoing.end(body);
    });

  const intervalMs = 1000 / options.ratePerSecond;
  const startedAt = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < options.requests; index += 1) {
    const dueAt = startedAt + index * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(options.bodyFor(index), dueAt));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - startedAt) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const percentile = (share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
  return { ok, non2xx, errors, seconds, p50Ms: median(sorted), p99Ms: percentile(0.99), maxMs: sorted.at(-1) ?? Number.NaN };
}
