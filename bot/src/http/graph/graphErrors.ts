/**
 * Errors on the Graph-compatible paths (/v1.0/…) in Microsoft Graph's shape, which typed Graph SDKs parse:
 * `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`, JSON, with a
 * `request-id` header. Our AppErrors keep their messages; their codes become Graph's.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { AppError } from '../../errors.js';
import type { Logger } from '../../log.js';

/** Graph's code for each status our errors carry. */
const GRAPH_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'accessDenied',
  404: 'itemNotFound',
  405: 'BadRequest',
  429: 'TooManyRequests',
};

export const itemNotFound = (what: string) => new AppError('itemNotFound', 404, `${what} Check the id (URL-encoded) and that the Attendance app was added to the meeting.`);

/** Gives the request its Graph request id (echoing the client's own, as Graph does) on the response's headers. */
export function assignRequestId(req: Request, res: Response): string {
  const requestId = randomUUID();
  res.header('request-id', requestId);
  const clientRequestId = req.header('client-request-id');
  if (clientRequestId) res.header('client-request-id', clientRequestId.slice(0, 100));
  return requestId;
}

/** The Graph error body for a status and message. */
export function graphErrorBody(status: number, message: string, requestId: string, clientRequestId?: string): object {
  return {
    error: {
      code: GRAPH_CODES[status] ?? 'generalException',
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': requestId,
        ...(clientRequestId ? { 'client-request-id': clientRequestId.slice(0, 100) } : {}),
      },
    },
  };
}

/** Answers a failed /v1.0 request in Graph's shape; anything not an AppError is logged and becomes a 500. */
export function sendGraphError(req: Request, res: Response, route: string, requestId: string, error: unknown, logger: Logger): void {
  const clientRequestId = req.header('client-request-id') || undefined;
  if (error instanceof AppError) {
    logger.warn({ route, method: req.method, url: req.url, status: error.status, code: error.code, requestId }, error.message);
    for (const [name, value] of Object.entries(error.headers)) res.header(name, value);
    res.send(error.status, graphErrorBody(error.status, error.message, requestId, clientRequestId));
    return;
  }
  logger.error({ route, method: req.method, url: req.url, err: error, requestId }, 'request failed');
  res.send(500, graphErrorBody(500, 'Something went wrong on our side. Retry; if it persists, check the server log.', requestId, clientRequestId));
}
