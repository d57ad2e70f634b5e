/**
 * What a failed connector call tells: its HTTP status and `Retry-After`, read from the errors botbuilder's
 * HTTP pipeline (@azure/core-rest-pipeline's RestError) throws, and our own timeout and budget errors.
 */
import { retryAfterMs } from '../../retryAfter.js';

/** A call that did not answer within its time limit; it was aborted. */
export class ConnectorTimeoutError extends Error {
  override name = 'ConnectorTimeoutError';
}

/** A call not made: the meeting's budget of calls for this purpose is spent for now (see ConnectorGate). */
export class ConnectorBudgetError extends Error {
  override name = 'ConnectorBudgetError';
  constructor(
    message: string,
    /** When the budget allows the next call. */
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** A call not made: too many calls are already waiting on this instance (see ConnectorGate). */
export class ConnectorBusyError extends Error {
  override name = 'ConnectorBusyError';
}

interface RestErrorShape {
  statusCode?: unknown;
  response?: { headers?: { get?: (name: string) => string | undefined } };
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as RestErrorShape | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The wait a 429/503 answer asked for, in milliseconds; undefined when it named none (or none readable). */
export function retryAfterOf(error: unknown, now: Date): number | undefined {
  if (error instanceof ConnectorBudgetError) return error.retryAfterMs;
  const headers = (error as RestErrorShape | undefined)?.response?.headers;
  return typeof headers?.get === 'function' ? retryAfterMs(headers.get('retry-after'), now) : undefined;
}

/** Worth trying again: throttled, a server-side failure, a timeout or a network failure; never a 4xx that will not change. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ConnectorBudgetError || error instanceof ConnectorBusyError) return false;
  if (error instanceof ConnectorTimeoutError) return true;
  const status = statusOf(error);
  if (status === undefined) return true;
  return status === 408 || status === 429 || status >= 500;
}
